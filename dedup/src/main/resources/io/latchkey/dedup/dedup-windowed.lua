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

-- the ids are read from each live bucket at once (one HMGET per bucket and chunk of ids; a single id: one HGET),
-- not one HGET per id and bucket; a chunk stays far below Lua's stack limit for unpack
local CHUNK = 500
local nIds = #ARGV - 3

-- owners[i]: the claimId stored for ARGV[3 + i] in the newest bucket that really holds its epoch
local owners = {}
local currentValid = false
for j = 0, k do
  local e = epoch - j
  local key = KEYS[(e % n) + 1]
  local stored = redis.call('HGET', key, '')
  -- a slot that holds an epoch that left the window (or nothing) is skipped: none of its ids count
  if stored and tonumber(stored) == e then
    if j == 0 then currentValid = true end
    if nIds == 1 then
      if not owners[1] then owners[1] = redis.call('HGET', key, ARGV[4]) end
    else
      for first = 1, nIds, CHUNK do
        local last = math.min(first + CHUNK - 1, nIds)
        local got = redis.call('HMGET', key, unpack(ARGV, 3 + first, 3 + last))
        for i = first, last do
          if not owners[i] and got[i - first + 1] then owners[i] = got[i - first + 1] end
        end
      end
    end
  end
end

if claim and not currentValid then
  -- start the current slot afresh, with its own expiry at the end of the last window that can still see it
  redis.call('UNLINK', current)
  redis.call('HSET', current, '', epoch)
  redis.call('PEXPIRE', current, math.ceil(((epoch + n) * width - now) / 1000) + 1)
end

local result = {}
local inBatch = {}
local claims = {}
for i = 1, nIds do
  local id = ARGV[3 + i]
  local r = 0
  if not inBatch[id] then
    local owner = owners[i]
    if claim then
      if owner then
        if owner == claimId then r = 1 end
      else
        -- absent from every live bucket, the current one included: a plain HSET is the HSETNX it stands for
        claims[#claims + 1] = id
        claims[#claims + 1] = claimId
        r = 1
      end
    elseif owner then
      r = 1
    end
    inBatch[id] = true
  end
  result[i] = r
end
for first = 1, #claims, 2 * CHUNK do
  redis.call('HSET', current, unpack(claims, first, math.min(first + 2 * CHUNK - 1, #claims)))
end
return result
