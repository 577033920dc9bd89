-- test script: echoes its first argument
return ARGV[1]
