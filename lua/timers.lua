-- The timers module: setTimeout, setInterval, setImmediate and their
-- clear* functions (bindings/ltimers.c), as Node's 'timers'.
local _, core = ...

local process = require('process')

local floor, huge, format, tonumber = math.floor, math.huge, string.format,
  tonumber
local type, error, setmetatable = type, error, setmetatable

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

-- ---- sleep ---------------------------------------------------------------

---timers.sleep(ms): waits ms milliseconds, in a task (Node's
---timers/promises setTimeout). Raises ERR_INVALID_ARG_TYPE for ms not a
---number, ERR_NOT_IN_COROUTINE where nothing can wait.
---@param ms number
local function sleep(ms)
  if type(ms) ~= 'number' then
    error(require('errors').invalidArgType('delay', 'number', ms), 2)
  end
  local task = require('task')
  local co = task.check('timers.sleep')
  -- (a Timeout's __close clears it: cancelling the task stops it)
  local _ <close> = core.timers.setTimeout(task.resume, ms, co)
  task.park(co)
end

-- Not a global: the host makes globals of the functions it finds in the
-- module table, and sleep is not one of Node's.
return setmetatable(core.timers, { __index = { sleep = sleep } })
