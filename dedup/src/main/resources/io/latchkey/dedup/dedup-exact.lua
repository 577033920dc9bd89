-- Exact dedup: one string key per id (value = claimId), for the ids of one hash slot, in one atomic call.
-- KEYS: the ids' keys, ARGV[1] claimId, ARGV[2] ttl in ms.
-- Returns one 0/1 per key, in order: 1 = first seen (or our own earlier claim, i.e. a replay), 0 = duplicate.
local claimId = ARGV[1]
local ttl = ARGV[2]
-- one id (the common call): no tables to build
if #KEYS == 1 then
  if redis.call('SET', KEYS[1], claimId, 'NX', 'PX', ttl) or redis.call('GET', KEYS[1]) == claimId then
    return {1}
  end
  return {0}
end
local result = {}
local inBatch = {}
for i, key in ipairs(KEYS) do
  local r = 0
  if not inBatch[key] then
    if redis.call('SET', key, claimId, 'NX', 'PX', ttl) then
      r = 1
    elseif redis.call('GET', key) == claimId then
      r = 1
    end
    inBatch[key] = true
  end
  result[i] = r
end
return result
