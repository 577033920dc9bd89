-- Removes an id from every bucket of the ring. KEYS: the ring, ARGV[1]: the id. Returns how many were removed.
local removed = 0
for _, key in ipairs(KEYS) do
  removed = removed + redis.call('HDEL', key, ARGV[1])
end
return removed
