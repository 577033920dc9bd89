-- Prelude of every semaphore script that writes: the TTL keep-alive of the two state keys
-- (KEYS[1] permits ZSET, KEYS[2] meta HASH). Invariant after every write: both keys outlive every live permit by at
-- least 1 s, and live at least the retention (less at most 1 s) after the last write; both carry the same TTL, so
-- the meta hash's PTTL stands for both.
-- Instead of reading the latest expiry (ZRANGE) and setting both TTLs on every call, a write checks PTTL and raises
-- both to `need` only when they fall more than 1 s short of it: one PTTL instead of a ZRANGE and two PEXPIREs.

-- ms the keys must live so that they outlive the latest live permit by 1 s (and the retention): the exact figure,
-- read from the ZSET, for the rare writes that must set the TTLs without knowing them (a recreated meta hash)
local function liveNeed(now, retention)
  local need = retention
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  if last[2] then
    local rest = math.ceil((tonumber(last[2]) - now) / 1000) + 1000
    if rest > need then need = rest end
  end
  return need
end

-- set: true to set both TTLs to exactly `need` (a new key, or a shrink when no permit is left), otherwise they are
-- only raised, and only when short by more than 1 s
local function keepAlive(need, set)
  if not set and redis.call('PTTL', KEYS[2]) >= need - 1000 then
    return
  end
  redis.call('PEXPIRE', KEYS[1], need)
  redis.call('PEXPIRE', KEYS[2], need)
end
