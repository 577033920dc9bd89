-- Removes an in-progress claim we own (the action failed) and wakes waiters so one of them can run it.
-- KEYS[1] record, KEYS[2] channel, ARGV[1] owner. Returns 1 when removed.
local rec = redis.call('HMGET', KEYS[1], 's', 'o')
if rec[1] == 'P' and rec[2] == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.pcall('PUBLISH', KEYS[2], 'R') -- pcall: the release is done even without channel permission
  return 1
end
return 0
