-- One decision for every limit of a limiter, all-or-nothing: a request is admitted only if every limit admits it,
-- and only then is anything consumed (a denied request changes no state).
-- KEYS[i]: state key of limit i (all share one hash tag).
-- ARGV[1] request id, ARGV[2] permits, then per limit i four values at 3 + 4*(i-1):
--   kind ('fw' fixed window, 'sl' sliding log, 'sw' sliding window counter, 'tb' token bucket GCRA),
--   limit (n, or the bucket capacity), window in integer µs (for 'tb': the period in which `rate` tokens return),
--   rate (tokens per period for 'tb'; 0 otherwise).
-- Returns {code, now, remaining_1, retry_1, reset_1, ...}: code 1 admitted, 0 denied, 2 never admissible
-- (permits above a limit). Times are integer µs relative to now (the Redis TIME this call used).
-- Every state change here has an exact mirror in the test model (ReferenceModel.java): keep them in step.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local id = ARGV[1]
local permits = tonumber(ARGV[2])
local n = #KEYS

-- a limiter of only sliding logs can leave replay detection to the log itself (ZADD NX never adds our entries twice)
-- and look only when it would deny; a counter next to a log needs to know before it counts
local onlyLogs, hasLogs = true, false
local kinds, limits, windows, rates = {}, {}, {}, {}
for i = 1, n do
  local base = 3 + (i - 1) * 4
  kinds[i] = ARGV[base]
  limits[i] = tonumber(ARGV[base + 1])
  windows[i] = tonumber(ARGV[base + 2])
  rates[i] = tonumber(ARGV[base + 3])
  if kinds[i] == 'sl' then hasLogs = true else onlyLogs = false end
end

local function sw_estimate(prev, cur, w, e)
  return prev * (w - e) / w + cur
end

-- how far a GCRA request of p permits at time at overshoots the burst tolerance tau (> 0: denied)
local function tb_excess(tat, at, p, interval, tau)
  return math.max(tat, at) + p * interval - at - tau
end

-- a replayed call (Lettuce re-sends after a reconnect) finds its own sliding-log entries: it was admitted already
-- (without a sliding log there is nothing to find: counters cannot tell a replay)
local isReplay
if hasLogs then
  isReplay = function()
    for i = 1, n do
      if kinds[i] == 'sl' and redis.call('ZSCORE', KEYS[i], id .. ':1') then
        return true
      end
    end
    return false
  end
end
local replay = false
if hasLogs and not onlyLogs then replay = isReplay() end

local avail, retry, reset, state = {}, {}, {}, {}
local code = 1
for i = 1, n do
  local key, kind, lim, w = KEYS[i], kinds[i], limits[i], windows[i]
  if permits > lim then
    code = 2
  end
  if kind == 'fw' then
    local ws = now - (now % w)
    local h = redis.call('HMGET', key, 's', 'c')
    local count = 0
    if tonumber(h[1]) == ws then count = tonumber(h[2]) end
    state[i] = {ws, count}
    avail[i] = lim - count
    reset[i] = ws + w - now
    if count + permits > lim then retry[i] = ws + w - now else retry[i] = 0 end
  elseif kind == 'sl' then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now - w)
    local count = redis.call('ZCARD', key)
    avail[i] = lim - count
    -- reset (until the newest entry leaves) is read only if the call is not admitted: an admission makes it w
    state[i] = count
    if count + permits > lim and permits <= lim then
      local k = count + permits - lim
      local kth = redis.call('ZRANGE', key, k - 1, k - 1, 'WITHSCORES')
      retry[i] = tonumber(kth[2]) + w - now
    elseif count + permits > lim then
      retry[i] = w
    else
      retry[i] = 0
    end
  elseif kind == 'sw' then
    local ws = now - (now % w)
    local e = now - ws
    local h = redis.call('HMGET', key, 's', 'c', 'p')
    local s = tonumber(h[1])
    local cur, prev = 0, 0
    if s == ws then
      cur, prev = tonumber(h[2]), tonumber(h[3])
    elseif s == ws - w then
      prev = tonumber(h[2])
    end
    state[i] = {ws, cur, prev}
    local est = sw_estimate(prev, cur, w, e)
    avail[i] = math.floor(lim - est)
    if cur > 0 then reset[i] = ws + 2 * w - now elseif prev > 0 then reset[i] = ws + w - now else reset[i] = 0 end
    if est + permits <= lim or permits > lim then
      retry[i] = 0
      if permits > lim then retry[i] = w end
    elseif cur + permits <= lim then
      -- still in this window: the previous window's weight must shrink enough
      local target = math.ceil(w - (lim - cur - permits) * w / prev)
      if target >= w then
        retry[i] = ws + w - now
      else
        if target < e then target = e end
        while target < w and sw_estimate(prev, cur, w, target) + permits > lim do target = target + 1 end
        retry[i] = target - e
      end
    else
      -- the next window: this window's count becomes the weighted previous one
      local target = 0
      if cur > 0 then
        target = math.ceil(w - (lim - permits) * w / cur)
        if target < 0 then target = 0 end
        while target < w and sw_estimate(cur, 0, w, target) + permits > lim do target = target + 1 end
      end
      retry[i] = w - e + target
    end
  else
    -- GCRA: one theoretical arrival time (TAT); the bucket is full when TAT <= now
    local interval = w / rates[i]
    local tau = lim * interval
    local tat = tonumber(redis.call('GET', key)) or now
    if tat < now then tat = now end
    state[i] = {tat, interval, tau}
    avail[i] = math.floor((tau - (tat - now)) / interval + 1e-9)
    reset[i] = math.ceil(tat - now)
    if permits > lim then
      retry[i] = w
    else
      local excess = tb_excess(tat, now, permits, interval, tau)
      if excess <= 0 then
        retry[i] = 0
      else
        local r = math.ceil(excess)
        while tb_excess(tat, now + r, permits, interval, tau) > 0 do r = r + 1 end
        retry[i] = r
      end
    end
  end
  if retry[i] > 0 and code == 1 then code = 0 end
end

if code ~= 1 and onlyLogs then replay = isReplay() end
if hasLogs and (code ~= 1 or replay) then
  for i = 1, n do
    if kinds[i] == 'sl' then
      if state[i] > 0 then
        local newest = redis.call('ZRANGE', KEYS[i], -1, -1, 'WITHSCORES')
        reset[i] = tonumber(newest[2]) + windows[i] - now
      else
        reset[i] = 0
      end
    end
  end
end

if replay then
  code = 1
  for i = 1, n do retry[i] = 0 end
elseif code == 1 then
  for i = 1, n do
    local key, kind, lim, w = KEYS[i], kinds[i], limits[i], windows[i]
    if kind == 'fw' then
      local ws, count = state[i][1], state[i][2]
      redis.call('HSET', key, 's', ws, 'c', count + permits)
      redis.call('PEXPIRE', key, math.ceil((ws + w - now) / 1000) + 1)
    elseif kind == 'sl' then
      local members = {}
      for k = 1, permits do
        members[#members + 1] = now
        members[#members + 1] = id .. ':' .. k
        if #members >= 1000 then
          redis.call('ZADD', key, 'NX', unpack(members))
          members = {}
        end
      end
      if #members > 0 then redis.call('ZADD', key, 'NX', unpack(members)) end
      redis.call('PEXPIRE', key, math.ceil(w / 1000) + 1)
      reset[i] = w
    elseif kind == 'sw' then
      local ws, cur, prev = state[i][1], state[i][2], state[i][3]
      redis.call('HSET', key, 's', ws, 'c', cur + permits, 'p', prev)
      redis.call('PEXPIRE', key, math.ceil((ws + 2 * w - now) / 1000) + 1)
      reset[i] = ws + 2 * w - now
    else
      local tat = state[i][1] + permits * state[i][2]
      redis.call('SET', key, tat, 'PX', math.ceil((tat - now) / 1000) + 1)
      reset[i] = math.ceil(tat - now)
    end
    avail[i] = avail[i] - permits
  end
end

local out = {code, now}
for i = 1, n do
  local a = avail[i]
  if a < 0 then a = 0 end
  out[#out + 1] = a
  out[#out + 1] = retry[i]
  out[#out + 1] = reset[i]
end
return out
