-- Start a new peak-concurrency period: the peak becomes the current number of live holders.
-- KEYS[1] permits ZSET, KEYS[2] meta HASH
-- ARGV[1] configured limit, ARGV[2] retention ms
-- Returns the new peak
-- (keepAlive and liveNeed: semaphore-keepalive.lua)
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local retention = tonumber(ARGV[2])

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
-- every write creates the limit with the hash: a missing one means the hash is new (and has no TTL yet)
local created = redis.call('HSETNX', KEYS[2], 'limit', ARGV[1]) == 1
local holders = redis.call('ZCARD', KEYS[1])
redis.call('HSET', KEYS[2], 'peak', holders, 'since', now)
if created then keepAlive(liveNeed(now, retention), true) else keepAlive(retention, false) end
return holders
