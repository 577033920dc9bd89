-- Acquire one permit: drop expired permits, check the count against the stored limit, add ours.
-- KEYS[1] permits ZSET (member = permit id, score = expiry in Redis-time microseconds)
-- KEYS[2] meta HASH (limit, peak, since)
-- ARGV[1] permit id, ARGV[2] lease ms, ARGV[3] configured limit (used only when none is stored), ARGV[4] retention ms
-- Returns {acquired 0|1, holders, limit, µs (our remaining lease, or the nearest expiry when denied), peak}
-- (keepAlive and liveNeed: semaphore-keepalive.lua)
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local leaseMs = tonumber(ARGV[2])
local lease = leaseMs * 1000
local retention = tonumber(ARGV[4])
-- our permit needs the keys for its lease plus the 1 s margin, plus the 1 s keepAlive may fall short
local need = math.max(retention, leaseMs + 2000)

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local meta = redis.call('HMGET', KEYS[2], 'limit', 'peak')
local created = false
if not meta[1] then
  meta[1] = ARGV[3]
  redis.call('HSET', KEYS[2], 'limit', meta[1])
  created = true
end
if not meta[2] then
  meta[2] = 0
  redis.call('HSET', KEYS[2], 'peak', 0, 'since', now)
  created = true
end
local limit = tonumber(meta[1])
local peak = tonumber(meta[2])
local holders = redis.call('ZCARD', KEYS[1])

-- a fresh meta hash has no TTL yet, and a ZSET that held nothing is recreated by our ZADD without one: set both
local newZset = holders == 0
local function refresh()
  if created and not newZset then
    keepAlive(math.max(need, liveNeed(now, retention)), true)
  else
    keepAlive(need, created or newZset)
  end
end

if holders < limit then
  -- NX: a replay (Lettuce re-sends in-flight commands after a reconnect) finds our live permit and keeps it as it is
  if redis.call('ZADD', KEYS[1], 'NX', now + lease, ARGV[1]) == 0 then
    refresh()
    return {1, holders, limit, tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1])) - now, peak}
  end
  holders = holders + 1
  if holders > peak then
    peak = holders
    redis.call('HSET', KEYS[2], 'peak', peak)
  end
  refresh()
  return {1, holders, limit, lease, peak}
end

-- full: a replay of our own earlier acquire still gets its permit back
local mine = redis.call('ZSCORE', KEYS[1], ARGV[1])
refresh()
if mine then
  return {1, holders, limit, tonumber(mine) - now, peak}
end
local nearest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local wait = 0
if nearest[2] then wait = tonumber(nearest[2]) - now end
return {0, holders, limit, wait, peak}
