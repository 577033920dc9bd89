-- Release one permit (idempotent) and wake waiters when a permit became available.
-- KEYS[1] permits ZSET, KEYS[2] meta HASH
-- ARGV[1] permit id, ARGV[2] configured limit, ARGV[3] retention ms, ARGV[4] release channel
-- Returns {outcome 1 released | 0 not held | -1 had already expired, holders, limit}
-- (keepAlive: semaphore-keepalive.lua)
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local retention = tonumber(ARGV[3])

local outcome = 0
local mine = redis.call('ZSCORE', KEYS[1], ARGV[1])
if mine then
  redis.call('ZREM', KEYS[1], ARGV[1])
  if tonumber(mine) > now then outcome = 1 else outcome = -1 end
end

local limit = tonumber(redis.call('HGET', KEYS[2], 'limit') or ARGV[2])
-- live permits only (scores are integer µs: live means score >= now + 1); expired ones stay until the next acquire
-- drops them, which changes no answer
local holders = redis.call('ZCOUNT', KEYS[1], now + 1, '+inf')
-- no permit left: back to the bare retention (a shrink); otherwise only raised if short
keepAlive(retention, holders == 0)
-- After a shrink the count can stay at or above the limit: nobody could acquire, so nobody is woken.
if outcome ~= 0 and holders < limit then
  redis.pcall('PUBLISH', ARGV[4], ARGV[1]) -- pcall: the release is done even without channel permission
end
return {outcome, holders, limit}
