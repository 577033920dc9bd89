-- Redlock fencing write-back (DESIGN 3.12), phase two of an acquisition: raise this node's fencing counter to the
-- token chosen from the acquiring majority, but ONLY while this owner still holds the lock on this node. A write-back
-- that lands after the lock moved on (expired, released, taken over) changes nothing and is reported as such, so a
-- majority of "written" replies proves the token was recorded on a majority before any later holder got them.
-- Replays are harmless: max() is idempotent.
-- KEYS[1] lock HASH {owner, token} (as written by lock-acquire.lua), KEYS[2] fencing counter (same hash tag)
-- ARGV[1] owner id, ARGV[2] quorum token, ARGV[3] counter ttl ms
-- Returns 1 written (or the counter was already >= token), 0 the lock is gone here, 2 another owner holds it here.
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner ~= ARGV[1] then
  if owner then
    return 2
  end
  return 0
end
local token = tonumber(ARGV[2])
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
if token > last then
  -- ARGV[2] goes back as sent (a decimal string): no number formatting on the way
  redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
else
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
return 1
