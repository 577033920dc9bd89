-- Read-only snapshot: expired permits are not counted (they are dropped by the next write).
-- KEYS[1] permits ZSET, KEYS[2] meta HASH
-- ARGV[1] configured limit
-- Returns {limit, live holders, peak, peak period start µs (0: none yet), now µs}
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local meta = redis.call('HMGET', KEYS[2], 'limit', 'peak', 'since')
local limit = tonumber(meta[1] or ARGV[1])
local holders = redis.call('ZCARD', KEYS[1]) - redis.call('ZCOUNT', KEYS[1], '-inf', now)
return {limit, holders, tonumber(meta[2] or 0), tonumber(meta[3] or 0), now}
