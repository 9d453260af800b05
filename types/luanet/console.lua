---@meta console
-- LuaCATS declarations for lua-language-server: the global console, require('console') (docs/util-console-assert.md).
-- Types only: nothing here runs. Installed as share/luanet/types/luanet/.

---@class console
local console = {}

---util.format(...) and a newline on standard output.
---@param ... any
function console.log(...) end

---The same as console.log.
---@param ... any
function console.info(...) end

---The same as console.log.
---@param ... any
function console.debug(...) end

---util.format(...) and a newline on standard error.
---@param ... any
function console.error(...) end

---The same as console.error.
---@param ... any
function console.warn(...) end

---util.inspect(value, options) on standard output.
---@param value any
---@param options? { depth?: number }
function console.dir(value, options) end

---"Assertion failed" on standard error when value is false or nil.
---@param value any
---@param ... any
function console.assert(value, ...) end

---Starts the timer label ('default').
---@param label? any
function console.time(label) end

---Prints the time since console.time(label), then the data.
---@param label? any
---@param ... any
function console.timeLog(label, ...) end

---As timeLog, then stops the timer.
---@param label? any
function console.timeEnd(label) end

return console
