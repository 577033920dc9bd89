-- Test prelude that uses the one before it: preludes are joined in order.
local function twicePlus(x, y)
  return twice(x) + y
end
