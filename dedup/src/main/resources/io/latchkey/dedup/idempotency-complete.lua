-- Stores the result of a claim we still own and wakes waiters. KEYS[1] record, KEYS[2] channel.
-- ARGV[1] owner, ARGV[2] encoded result, ARGV[3] ttl in ms. Returns 1 when stored (or already stored by us), 0 when
-- the claim was lost (expired, or taken over after its lease).
local rec = redis.call('HMGET', KEYS[1], 's', 'o')
if rec[2] ~= ARGV[1] then
  return 0
end
if rec[1] == 'P' then
  redis.call('HSET', KEYS[1], 's', 'C', 'r', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
  redis.pcall('PUBLISH', KEYS[2], 'C') -- pcall: the result is stored even without channel permission
end
return 1
