-- Test prelude: a function the script below calls.
local function twice(x)
  return x * 2
end
