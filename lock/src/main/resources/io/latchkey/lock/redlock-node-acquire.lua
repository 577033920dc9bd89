-- Redlock runs this on every node (RedlockNode, after lock-grant.lua); the single-instance lock queues its waiters
-- instead (lock-acquire.lua).
-- Acquire a lease lock: SET-NX-PX semantics on a hash that also stores the fencing token, in one call.
-- KEYS[1] lock HASH {owner, token} (expires with the lease), KEYS[2] fencing counter (same hash tag)
-- ARGV[1] owner id, ARGV[2] lease ms, ARGV[3] counter ttl ms
-- Returns {1, token, remaining ms} when acquired (or when this owner already holds it: a replayed request),
--         {0, 0, holder's remaining ms} when another owner holds it.
local mine, holder = heldBy(ARGV[1])
if mine then
  return mine
end
if holder then
  return {0, 0, redis.call('PTTL', KEYS[1])}
end
local lease = tonumber(ARGV[2])
return {1, grant(ARGV[1], lease, nowMicros(), tonumber(ARGV[3]), false), lease}
