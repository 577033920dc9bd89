-- Release one permit (idempotent) and wake waiters when a permit became available.
-- KEYS[1] permits ZSET, KEYS[2] meta HASH
-- ARGV[1] permit id, ARGV[2] configured limit, ARGV[3] retention ms, ARGV[4] release channel
-- Returns {outcome 1 released | 0 not held | -1 had already expired, holders, limit}
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local retention = tonumber(ARGV[3])

local outcome = 0
local mine = redis.call('ZSCORE', KEYS[1], ARGV[1])
if mine then
  redis.call('ZREM', KEYS[1], ARGV[1])
  if tonumber(mine) > now then outcome = 1 else outcome = -1 end
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)

local limit = tonumber(redis.call('HGET', KEYS[2], 'limit') or ARGV[2])
local holders = redis.call('ZCARD', KEYS[1])
if redis.call('EXISTS', KEYS[2]) == 1 then
  local ttl = retention
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  if last[2] then
    local rest = math.ceil((tonumber(last[2]) - now) / 1000) + 1000
    if rest > ttl then ttl = rest end
  end
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
end
-- After a shrink the count can stay at or above the limit: nobody could acquire, so nobody is woken.
if outcome ~= 0 and holders < limit then
  redis.call('PUBLISH', ARGV[4], ARGV[1])
end
return {outcome, holders, limit}
