-- Acquire one permit: drop expired permits, check the count against the stored limit, add ours.
-- KEYS[1] permits ZSET (member = permit id, score = expiry in Redis-time microseconds)
-- KEYS[2] meta HASH (limit, peak, since)
-- ARGV[1] permit id, ARGV[2] lease ms, ARGV[3] configured limit (used only when none is stored), ARGV[4] retention ms
-- Returns {acquired 0|1, holders, limit, µs (our remaining lease, or the nearest expiry when denied), peak}
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local lease = tonumber(ARGV[2]) * 1000
local retention = tonumber(ARGV[4])

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('HSETNX', KEYS[2], 'limit', ARGV[3])
if redis.call('HSETNX', KEYS[2], 'peak', 0) == 1 then
  redis.call('HSET', KEYS[2], 'since', now)
end
local limit = tonumber(redis.call('HGET', KEYS[2], 'limit'))
local peak = tonumber(redis.call('HGET', KEYS[2], 'peak'))

local function keepAlive()
  local ttl = retention
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  if last[2] then
    local rest = math.ceil((tonumber(last[2]) - now) / 1000) + 1000
    if rest > ttl then ttl = rest end
  end
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
end

-- A replay (Lettuce re-sends in-flight commands after a reconnect) finds our live permit: same answer, no new permit.
local mine = redis.call('ZSCORE', KEYS[1], ARGV[1])
if mine then
  keepAlive()
  return {1, redis.call('ZCARD', KEYS[1]), limit, tonumber(mine) - now, peak}
end

local holders = redis.call('ZCARD', KEYS[1])
if holders >= limit then
  local nearest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  local wait = 0
  if nearest[2] then wait = tonumber(nearest[2]) - now end
  keepAlive()
  return {0, holders, limit, wait, peak}
end

redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
holders = holders + 1
if holders > peak then
  peak = holders
  redis.call('HSET', KEYS[2], 'peak', peak)
end
keepAlive()
return {1, holders, limit, lease, peak}
