-- Test script: only runs when the preludes precede it.
return twicePlus(tonumber(ARGV[1]), tonumber(ARGV[2]))
