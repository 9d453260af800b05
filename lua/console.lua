-- console, as Node's lib/internal/console/constructor.js: log, info and
-- debug on standard output, warn and error on standard error, each line
-- made by util.format; dir, assert, and the time/timeLog/timeEnd timers.
local _, core = ...

local util = require('util')

local tostring, select, floor = tostring, select, math.floor
local write, hrtime = core.write, core.hrtime
local format, inspect = util.format, util.inspect

local console = {}

---console.log(...): util.format(...) and a newline on standard output.
---@param ... any
function console.log(...)
  write(1, format(...) .. '\n')
end
console.info = console.log
console.debug = console.log

---console.error(...): util.format(...) and a newline on standard error.
---@param ... any
function console.error(...)
  write(2, format(...) .. '\n')
end
console.warn = console.error

---console.dir(value[, options]): util.inspect(value, options) on standard
---output (a string is quoted, unlike console.log's).
---@param value any
---@param options? { depth?: number }
function console.dir(value, options)
  write(1, inspect(value, options) .. '\n')
end

---console.assert(value, ...): if value is false or nil, "Assertion failed"
---on standard error, followed by ": " and util.format(...) if there is
---more to say.
---@param value any
---@param ... any
function console.assert(value, ...)
  if not value then
    if select('#', ...) == 0 then
      write(2, 'Assertion failed\n')
    else
      write(2, 'Assertion failed: ' .. format(...) .. '\n')
    end
  end
end

-- ---- timers -----------------------------------------------------------------

local started = {}

local function now()
  local s, ns = hrtime()
  return s * 1000 + ns / 1e6
end

local function pad(n)
  return ('0'):rep(2 - #tostring(n)) .. tostring(n)
end

-- Node's formatTime: "1.234ms", "1.234s", "1:02.345 (m:ss.mmm)" or
-- "1:02:03.456 (h:mm:ss.mmm)".
local function formatTime(ms)
  local hours, minutes, seconds = 0, 0, 0
  if ms >= 1000 then
    if ms >= 60000 then
      if ms >= 3600000 then
        hours = floor(ms / 3600000)
        ms = ms % 3600000
      end
      minutes = floor(ms / 60000)
      ms = ms % 60000
    end
    seconds = ms / 1000
  end
  if hours ~= 0 or minutes ~= 0 then
    local s, fraction = ('%.3f'):format(seconds):match('^(%d+)%.(%d+)$')
    return (hours ~= 0 and hours .. ':' .. pad(minutes) or minutes) .. ':' ..
      pad(s) .. '.' .. fraction .. (hours ~= 0 and ' (h:mm:ss.mmm)' or
      ' (m:ss.mmm)')
  end
  if seconds ~= 0 then return ('%.3fs'):format(seconds) end
  -- Number(ms.toFixed(3)): util.format's %d is Number(), '1.500' is 1.5
  return format('%d', ('%.3f'):format(ms)) .. 'ms'
end

-- Node's timeLogImpl: prints "label: time" and the data; warns and
-- returns false when there is no such timer.
local function timeLog(name, label, ...)
  local start = started[label]
  if start == nil then
    require('process').emitWarning(("No such label '%s' for console.%s()")
      :format(label, name))
    return false
  end
  console.log('%s: %s', label, formatTime(now() - start), ...)
  return true
end

---console.time([label]): starts the timer label ('default').
---@param label? any
function console.time(label)
  label = label == nil and 'default' or tostring(label)
  if started[label] ~= nil then
    require('process').emitWarning(
      ("Label '%s' already exists for console.time()"):format(label))
    return
  end
  started[label] = now()
end

---console.timeLog([label][, ...]): prints the time since
---console.time(label) as "label: 1.234ms", then the data.
---@param label? any
---@param ... any
function console.timeLog(label, ...)
  timeLog('timeLog', label == nil and 'default' or tostring(label), ...)
end

---console.timeEnd([label]): prints the time since console.time(label) as
---"label: 1.234ms", and stops the timer.
---@param label? any
function console.timeEnd(label)
  label = label == nil and 'default' or tostring(label)
  if timeLog('timeEnd', label) then started[label] = nil end
end

return console
