-- Re-score our permit to now + lease if it is still live; never creates a permit (also the watchdog's renewal).
-- KEYS[1] permits ZSET, KEYS[2] meta HASH
-- ARGV[1] permit id, ARGV[2] lease ms, ARGV[3] retention ms
-- Returns 1 if extended, 0 if the permit was gone (released or expired)
-- (keepAlive: semaphore-keepalive.lua)
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local leaseMs = tonumber(ARGV[2])
local lease = leaseMs * 1000
local retention = tonumber(ARGV[3])

local mine = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not mine then
  return 0
end
if tonumber(mine) <= now then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 0
end
redis.call('ZADD', KEYS[1], 'XX', now + lease, ARGV[1])
keepAlive(math.max(retention, leaseMs + 2000), false)
return 1
