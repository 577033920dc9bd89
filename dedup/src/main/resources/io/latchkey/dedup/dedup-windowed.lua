-- Windowed dedup: a check-and-claim (or a read-only check) of a batch of ids in one atomic call.
-- KEYS: the fixed ring of n = k + 1 bucket hashes of one deduplicator (one hash tag). Bucket of epoch e is
--       KEYS[e % n + 1]; it stores its epoch in the field "" (ids are never empty) and each claimed id as
--       field id -> claimId, so a replayed claim (same claimId) is recognised as ours.
-- ARGV[1] bucket width in ms, ARGV[2] claimId, ARGV[3] "claim" | "seen", ARGV[4..] ids.
-- Returns one 0/1 per id, in order: 1 = first seen (or our own earlier claim), 0 = duplicate.
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local width = tonumber(ARGV[1]) * 1000
local claimId = ARGV[2]
local claim = ARGV[3] == 'claim'
local n = #KEYS
local k = n - 1
local epoch = math.floor(now / width)
local current = KEYS[(epoch % n) + 1]

if claim then
  local stored = redis.call('HGET', current, '')
  if not stored or tonumber(stored) ~= epoch then
    -- the slot still holds an epoch that left the window (or nothing): start it afresh, with its own expiry
    -- at the end of the last window that can still see it
    redis.call('UNLINK', current)
    redis.call('HSET', current, '', epoch)
    redis.call('PEXPIRE', current, math.ceil(((epoch + n) * width - now) / 1000) + 1)
  end
end

-- the buckets covering the TTL: epochs epoch-k .. epoch, each only if the slot really holds that epoch
local valid = {}
for j = 0, k do
  local e = epoch - j
  local key = KEYS[(e % n) + 1]
  local stored = redis.call('HGET', key, '')
  if stored and tonumber(stored) == e then
    valid[#valid + 1] = key
  end
end

local result = {}
local inBatch = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  local r = 0
  if not inBatch[id] then
    local owner = false
    for _, key in ipairs(valid) do
      owner = redis.call('HGET', key, id)
      if owner then
        break
      end
    end
    if claim then
      if owner then
        if owner == claimId then r = 1 end
      else
        redis.call('HSETNX', current, id, claimId)
        r = 1
      end
    elseif owner then
      r = 1
    end
    inBatch[id] = true
  end
  result[#result + 1] = r
end
return result
