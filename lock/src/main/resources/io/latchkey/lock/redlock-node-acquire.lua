-- Redlock runs this on every node (RedlockNode); the single-instance lock has its own queueing version (lock-*.lua).
-- Acquire a lease lock: SET-NX-PX semantics on a hash that also stores the fencing token, in one call.
-- KEYS[1] lock HASH {owner, token} (expires with the lease), KEYS[2] fencing counter (same hash tag)
-- ARGV[1] owner id, ARGV[2] lease ms, ARGV[3] counter ttl ms
-- Returns {1, token, remaining ms} when acquired (or when this owner already holds it: a replayed request),
--         {0, 0, holder's remaining ms} when another owner holds it.
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner == ARGV[1] then
  -- Lettuce re-sent our request after a reconnect: same lease, same token, no new grant.
  return {1, tonumber(redis.call('HGET', KEYS[1], 'token')), redis.call('PTTL', KEYS[1])}
end
if owner then
  return {0, 0, redis.call('PTTL', KEYS[1])}
end

local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
-- Never below Redis time in microseconds: tokens keep increasing even if the counter key is lost.
local token = math.max(last + 1, now)
local lease = tonumber(ARGV[2])
local keep = math.max(tonumber(ARGV[3]), lease)
-- numbers go to redis.call as numbers (converted with 17 digits), never through tostring/..
redis.call('SET', KEYS[2], token, 'PX', keep)
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'token', token)
redis.call('PEXPIRE', KEYS[1], lease)
return {1, token, lease}
