-- Prelude of the single-instance lock's acquire, release and force-release scripts (RedisLock joins it before each,
-- after lock-grant.lua).
-- The lock hands itself over: whoever frees it grants it to the first waiter still waiting, in the same call, and
-- tells that waiter on the channel. Waiters never race each other for a freed lock (no thundering herd, no wasted
-- round trips) and are served in arrival order.
-- KEYS[1] lock HASH {owner, token, prev: the owner that handed it over} (expires with the lease),
-- KEYS[2] fencing counter, KEYS[3] queue LIST of waiting owner ids,
-- KEYS[4] waiters HASH owner -> "leaseMs aliveUntilMs" (Redis time).
-- A waiter's entry is alive until the end of its wait or a little after its next re-check, whichever is first, so
-- a waiter that died or gave up is skipped rather than granted a lease nobody uses.

-- The first live waiter, its lease ms and Redis time (µs), dropping dead entries from the head of the queue; nil
-- when nobody waits. now may be nil: TIME is read only when someone is queued, so uncontended calls skip it.
local function firstWaiter(now)
  while true do
    local w = redis.call('LINDEX', KEYS[3], 0)
    if not w then
      return nil
    end
    now = now or nowMicros()
    local entry = redis.call('HGET', KEYS[4], w)
    if entry then
      local lease, alive = string.match(entry, '^(%d+) (%d+)$')
      if tonumber(alive) > math.floor(now / 1000) then
        return w, tonumber(lease), now
      end
      redis.call('HDEL', KEYS[4], w)
    end
    redis.call('LPOP', KEYS[3])
  end
end

-- Grants the free lock to the first live waiter and publishes "<owner> <token>" on channel; returns that owner.
-- now (Redis µs) may be nil.
local function handOver(now, counterTtl, channel, prev)
  local w, lease, t = firstWaiter(now)
  if w then
    redis.call('LPOP', KEYS[3])
    redis.call('HDEL', KEYS[4], w)
    local token = grant(w, lease, t, counterTtl, prev)
    -- pcall: the grant is done; a user without channel permission must not see it fail (the waiter re-checks)
    redis.pcall('PUBLISH', channel, w .. ' ' .. string.format('%d', token))
  end
  return w
end

-- Queues owner (or refreshes its entry, keeping its place) until Redis time nowMs + window.
local function enqueue(owner, lease, nowMs, window)
  local entry = redis.call('HGET', KEYS[4], owner)
  local alive = entry and tonumber(string.match(entry, ' (%d+)$'))
  if not alive or alive <= nowMs then
    -- not queued, or its entry is dead: a dead entry may have been dropped from the list already
    redis.call('RPUSH', KEYS[3], owner)
  end
  redis.call('HSET', KEYS[4], owner, string.format('%d %d', lease, nowMs + window))
  for i = 3, 4 do
    if redis.call('PTTL', KEYS[i]) < window then
      redis.call('PEXPIRE', KEYS[i], window)
    end
  end
end
