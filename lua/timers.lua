-- The timers module: setTimeout, setInterval, setImmediate and their
-- clear* functions (bindings/ltimers.c), as Node's 'timers'.
local _, core = ...

local process = require('process')

local floor, huge, format, tonumber = math.floor, math.huge, string.format,
  tonumber

-- A number as JavaScript prints it.
local function jsNumber(x)
  if x ~= x then return 'NaN' end
  if x == huge then return 'Infinity' end
  if x == -huge then return '-Infinity' end
  if x == floor(x) and x > -1e21 and x < 1e21 then
    return format('%.0f', x)
  end
  for digits = 15, 17 do
    local s = format('%.' .. digits .. 'g', x)
    if tonumber(s) == x then return s end
  end
  return format('%.17g', x)
end

-- Called by ltimers.c for a delay above 2^31-1 ms, which becomes 1 ms.
function core.timeoutOverflow(after)
  process.emitWarning(jsNumber(after) .. ' does not fit into a 32-bit ' ..
    'signed integer.\nTimeout duration was set to 1.',
    'TimeoutOverflowWarning')
end

return core.timers
