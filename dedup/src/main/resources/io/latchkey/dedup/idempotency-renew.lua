-- Heartbeat of a running action: extends the lease of an in-progress claim we own; never creates the record.
-- KEYS[1] record, ARGV[1] owner, ARGV[2] lease in ms. Returns 1 when still owned.
local rec = redis.call('HMGET', KEYS[1], 's', 'o')
if rec[1] == 'P' and rec[2] == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0
