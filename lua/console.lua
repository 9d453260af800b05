-- console: Node's console.log/info/debug (standard output) and
-- warn/error (standard error), with util.format placeholders.
local _, core = ...

local util = require('util')
local write, format = core.write, util.format

local console = {}

---console.log(...): util.format(...) and a newline, on standard output.
function console.log(...)
  write(1, format(...) .. '\n')
end
console.info = console.log
console.debug = console.log

---console.error(...): the same on standard error.
function console.error(...)
  write(2, format(...) .. '\n')
end
console.warn = console.error

---console.dir(value[, options]): util.inspect(value, options).
function console.dir(value, options)
  write(1, util.inspect(value, options) .. '\n')
end

---console.assert(value, ...): prints "Assertion failed" on standard error
---when value is false or nil.
function console.assert(value, ...)
  if not value then
    local n = select('#', ...)
    write(2, 'Assertion failed' .. (n > 0 and ': ' .. format(...) or '') ..
      '\n')
  end
end

local timers = {}

---console.time([label]) / console.timeEnd([label]): prints the time between
---the two, in ms, as "label: 1.234ms".
function console.time(label)
  local s, ns = core.hrtime()
  timers[label or 'default'] = s * 1e9 + ns
end

function console.timeEnd(label)
  label = label or 'default'
  local start = timers[label]
  if start then
    local s, ns = core.hrtime()
    timers[label] = nil
    write(1, format('%s: %sms', label,
      string.format('%.3f', (s * 1e9 + ns - start) / 1e6)) .. '\n')
  end
end

return console
