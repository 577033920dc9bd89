-- Change the stored limit atomically. Holders beyond a smaller limit keep their permits until they release or
-- expire; a larger limit wakes waiters.
-- KEYS[1] permits ZSET, KEYS[2] meta HASH
-- ARGV[1] new limit, ARGV[2] configured limit, ARGV[3] retention ms, ARGV[4] release channel
-- Returns {previous limit, holders}
-- (keepAlive and liveNeed: semaphore-keepalive.lua)
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local limit = tonumber(ARGV[1])
local retention = tonumber(ARGV[3])

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local previous = tonumber(redis.call('HGET', KEYS[2], 'limit') or ARGV[2])
redis.call('HSET', KEYS[2], 'limit', limit)
-- every write creates the peak with the hash: a missing one means the hash is new (and has no TTL yet)
local created = redis.call('HSETNX', KEYS[2], 'peak', 0) == 1
if created then
  redis.call('HSET', KEYS[2], 'since', now)
end
local holders = redis.call('ZCARD', KEYS[1])
if created then keepAlive(liveNeed(now, retention), true) else keepAlive(retention, false) end
if limit > previous and holders < limit then
  redis.pcall('PUBLISH', ARGV[4], 'resize') -- pcall: the resize is done even without channel permission
end
return {previous, holders}
