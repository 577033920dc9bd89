-- Prelude of every script that grants a lease lock: the single-instance lock's (before lock-queue.lua) and Redlock's
-- per-node acquire. KEYS[1] the lock HASH {owner, token, prev} (expires with the lease), KEYS[2] its fencing counter.

local function nowMicros()
  local t = redis.call('TIME')
  return t[1] * 1000000 + t[2]
end

-- If owner me holds the lock already (a re-sent request, or a hand-over it has not heard of yet): the answer
-- {1, token, remaining ms}, with no new grant. Otherwise nil, and the current holder (nil when the lock is free).
local function heldBy(me)
  local holder = redis.call('HGET', KEYS[1], 'owner')
  if holder == me then
    return {1, tonumber(redis.call('HGET', KEYS[1], 'token')), redis.call('PTTL', KEYS[1])}
  end
  return nil, holder
end

-- Makes owner the holder for lease ms and returns its fencing token: never below Redis time in microseconds, so
-- tokens keep increasing even if the counter key is lost. prev (or false) is the owner that handed it over, so its
-- re-sent release can tell it already released; without one the lock key does not exist, so no stale prev remains.
local function grant(owner, lease, now, counterTtl, prev)
  local last = tonumber(redis.call('GET', KEYS[2]) or '0')
  local token = math.max(last + 1, now)
  -- numbers go to redis.call as numbers (converted with 17 digits), never through tostring/..
  redis.call('SET', KEYS[2], token, 'PX', math.max(counterTtl, lease))
  if prev then
    redis.call('HSET', KEYS[1], 'owner', owner, 'token', token, 'prev', prev)
  else
    redis.call('HSET', KEYS[1], 'owner', owner, 'token', token)
  end
  redis.call('PEXPIRE', KEYS[1], lease)
  return token
end
