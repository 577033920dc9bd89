-- Shared by Redlock (RedlockNode runs it on every node) and the single-instance lock: keep its KEYS/ARGV/reply shape.
-- Who holds a lock. KEYS[1] lock HASH.
-- Returns {owner, token, remaining ms}, or an empty array when free.
local h = redis.call('HMGET', KEYS[1], 'owner', 'token')
if not h[1] then
  return {}
end
return {h[1], tonumber(h[2]), redis.call('PTTL', KEYS[1])}
