-- Release: if this owner holds the lock, free it and hand it to the next waiter; in any case leave the queue.
-- ARGV[1] owner id, ARGV[2] counter ttl ms, ARGV[3] channel.
-- (lock-grant.lua and lock-queue.lua precede this and name the KEYS.)
-- Returns 1 released, 0 already gone (expired or force-released), 2 held by another owner (left alone).
local me, counterTtl = ARGV[1], tonumber(ARGV[2])
redis.call('HDEL', KEYS[4], me)
local h = redis.call('HMGET', KEYS[1], 'owner', 'prev')
if h[1] == me then
  if not handOver(nil, counterTtl, ARGV[3], me) then
    redis.call('DEL', KEYS[1])
  end
  return 1
end
if h[2] == me then
  -- a re-sent release whose first run already handed the lock over
  return 1
end
if h[1] then
  return 2
end
-- it expired with nobody to hand it over: the next waiter need not sleep until its re-check
handOver(nil, counterTtl, ARGV[3], false)
return 0
