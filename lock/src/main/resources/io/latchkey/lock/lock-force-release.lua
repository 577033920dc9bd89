-- Administrative release: free the lock whoever holds it and hand it to the next waiter.
-- ARGV[1] counter ttl ms, ARGV[2] channel.
-- (lock-grant.lua and lock-queue.lua precede this and name the KEYS.)
-- Returns 1 if it was held, 0 if not.
local held = redis.call('DEL', KEYS[1])
handOver(nil, tonumber(ARGV[1]), ARGV[2], false)
return held
