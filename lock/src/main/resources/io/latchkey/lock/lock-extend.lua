-- Shared by Redlock (RedlockNode runs it on every node) and the single-instance lock: keep its KEYS/ARGV/reply shape.
-- Extend a lease lock if this owner, with this token, still holds it. Never re-creates an expired lock.
-- KEYS[1] lock HASH; ARGV[1] owner id, ARGV[2] token, ARGV[3] lease ms
-- Returns 1 extended, 0 not held.
if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] and redis.call('HGET', KEYS[1], 'token') == ARGV[2] then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return 1
end
return 0
