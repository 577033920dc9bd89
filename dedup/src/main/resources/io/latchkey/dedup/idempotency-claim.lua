-- Idempotent execution: claim a key, or report what holds it.
-- KEYS[1] the record hash (s = P(in progress) | C(completed), o = owner, f = fingerprint, r = result).
-- ARGV[1] owner, ARGV[2] lease in ms, ARGV[3] fingerprint ("" = none).
-- Returns {status, value}: {"new"}, {"in_progress", pttl}, {"completed", result}, {"mismatch"}.
local key = KEYS[1]
local owner = ARGV[1]
local fp = ARGV[3]
local rec = redis.call('HMGET', key, 's', 'o', 'f', 'r')
local state, holder, storedFp, result = rec[1], rec[2], rec[3], rec[4]
if not state then
  redis.call('HSET', key, 's', 'P', 'o', owner, 'f', fp)
  redis.call('PEXPIRE', key, tonumber(ARGV[2]))
  return {'new'}
end
if holder == owner then
  -- our own claim, seen again because the request was replayed (or we are waiting on ourselves after a retry)
  if state == 'P' then
    return {'new'}
  end
  return {'completed', result}
end
if fp ~= '' and storedFp and storedFp ~= '' and storedFp ~= fp then
  return {'mismatch'}
end
if state == 'C' then
  return {'completed', result}
end
return {'in_progress', redis.call('PTTL', key)}
