-- Physical-limit baseline for a rate-limit decision: the classic INCR + PEXPIRE-on-first-hit fixed window.
-- KEYS[1] counter key; ARGV[1] limit; ARGV[2] window in ms. Returns 1 if admitted.
local n = redis.call('INCR', KEYS[1])
if n == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if n > tonumber(ARGV[1]) then
  return 0
end
return 1
