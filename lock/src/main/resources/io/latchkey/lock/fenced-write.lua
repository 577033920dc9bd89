-- Write a value guarded by fencing tokens: refuse writers older than the newest writer seen.
-- KEYS[1] resource HASH {value, token}
-- ARGV[1] token, ARGV[2] value, ARGV[3] ttl ms, ARGV[4] '1' = the token must be strictly greater
-- Returns {1, token} written, or {0, stored token} refused.
local stored = redis.call('HGET', KEYS[1], 'token')
local token = tonumber(ARGV[1])
if stored then
  local s = tonumber(stored)
  if token < s or (ARGV[4] == '1' and token == s) then
    return {0, s}
  end
end
-- ARGV[1] is stored as sent (a string): no number formatting on the way.
redis.call('HSET', KEYS[1], 'token', ARGV[1], 'value', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {1, token}
