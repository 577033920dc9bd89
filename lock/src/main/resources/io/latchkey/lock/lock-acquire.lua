-- Acquire: SET-NX-PX semantics plus the fencing token in one call; queues the caller when it will wait.
-- ARGV[1] owner id, ARGV[2] lease ms, ARGV[3] counter ttl ms, ARGV[4] queue window ms (0: do not queue),
-- ARGV[5] channel. (lock-grant.lua and lock-queue.lua precede this and name the KEYS.)
-- Returns {1, token, remaining ms} when acquired, or when this owner already holds it (a re-sent request, or a
-- hand-over whose message the waiter has not seen); {0, 0, holder's remaining ms} otherwise.
local me, lease, counterTtl, window = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local mine, holder = heldBy(me)
if mine then
  return mine
end
local now = nowMicros()
local nowMs = math.floor(now / 1000)
if not holder then
  local first = firstWaiter(now)
  if not first or first == me then
    if first then
      redis.call('LPOP', KEYS[3])
      redis.call('HDEL', KEYS[4], me)
    end
    return {1, grant(me, lease, now, counterTtl, false), lease}
  end
  -- the holder's lease ran out with nobody to hand it over: whoever waited longest gets it, not us
  handOver(now, counterTtl, ARGV[5], false)
end
if window > 0 then
  enqueue(me, lease, nowMs, window)
end
return {0, 0, redis.call('PTTL', KEYS[1])}
