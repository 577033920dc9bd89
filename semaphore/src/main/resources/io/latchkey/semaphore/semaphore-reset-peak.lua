-- Start a new peak-concurrency period: the peak becomes the current number of live holders.
-- KEYS[1] permits ZSET, KEYS[2] meta HASH
-- ARGV[1] configured limit, ARGV[2] retention ms
-- Returns the new peak
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local retention = tonumber(ARGV[2])

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('HSETNX', KEYS[2], 'limit', ARGV[1])
local holders = redis.call('ZCARD', KEYS[1])
redis.call('HSET', KEYS[2], 'peak', holders, 'since', now)
local ttl = retention
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then
  local rest = math.ceil((tonumber(last[2]) - now) / 1000) + 1000
  if rest > ttl then ttl = rest end
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return holders
