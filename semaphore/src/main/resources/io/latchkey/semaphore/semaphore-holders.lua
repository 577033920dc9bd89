-- Read-only: the live permits with their remaining lease.
-- KEYS[1] permits ZSET
-- Returns {permit id, remaining µs, permit id, remaining µs, ...}, soonest expiry first
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local live = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local out = {}
for i = 1, #live, 2 do
  local rest = tonumber(live[i + 1]) - now
  if rest > 0 then
    out[#out + 1] = live[i]
    out[#out + 1] = rest
  end
end
return out
