-- Redlock runs this on every node (RedlockNode); the single-instance lock has its own queueing version (lock-*.lua).
-- Administrative release: remove the lock whoever holds it, and wake waiters.
-- KEYS[1] lock HASH; ARGV[1] release channel. Returns 1 if it was held, 0 if not.
local n = redis.call('DEL', KEYS[1])
if n == 1 then
  redis.pcall('PUBLISH', ARGV[1], 'forced') -- pcall: the release is done even without channel permission
end
return n
