-- Redlock runs this on every node (RedlockNode); the single-instance lock has its own queueing version (lock-*.lua).
-- Release a lease lock if this owner still holds it, and wake waiters.
-- KEYS[1] lock HASH; ARGV[1] owner id, ARGV[2] release channel
-- Returns 1 released, 0 already gone (expired or force-released), 2 held by another owner (left alone).
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.pcall('PUBLISH', ARGV[2], 'released') -- pcall: the release is done even without channel permission
  return 1
end
if owner then
  return 2
end
-- Gone without a release message (it expired): waiters may be sleeping until their re-check, wake them now.
redis.pcall('PUBLISH', ARGV[2], 'expired')
return 0
