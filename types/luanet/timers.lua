---@meta timers
-- LuaCATS declarations for lua-language-server: require('timers') and the timer globals (docs/timers.md).
-- Types only: nothing here runs. Installed as share/luanet/types/luanet/.

---@class timers
local timers = {}

---What setTimeout and setInterval return.
---@class Timeout
---@field _idleTimeout number  the delay in ms (-1 once cleared)
---@field _repeat number?  an interval's delay
local Timeout = {}

---It keeps the process alive while pending (the default).
---@return Timeout
function Timeout:ref() end

---It no longer keeps the process alive.
---@return Timeout
function Timeout:unref() end

---@return boolean
function Timeout:hasRef() end

---Starts the full delay again from now.
---@return Timeout
function Timeout:refresh() end

---clearTimeout(self).
---@return Timeout
function Timeout:close() end

---What setImmediate returns.
---@class Immediate
local Immediate = {}

---@return Immediate
function Immediate:ref() end

---@return Immediate
function Immediate:unref() end

---false once it ran or was cleared.
---@return boolean
function Immediate:hasRef() end

---callback(...) once, after ms (1 to 2^31 - 1; else 1). Raises
---ERR_INVALID_ARG_TYPE without a function.
---@param callback fun(...)
---@param ms? number
---@param ... any
---@return Timeout
function timers.setTimeout(callback, ms, ...) end

---callback(...) every ms.
---@param callback fun(...)
---@param ms? number
---@param ... any
---@return Timeout
function timers.setInterval(callback, ms, ...) end

---callback(...) after this turn's I/O.
---@param callback fun(...)
---@param ... any
---@return Immediate
function timers.setImmediate(callback, ...) end

---It will not fire again; anything else is ignored.
---@param timeout Timeout|any
function timers.clearTimeout(timeout) end

---The same as clearTimeout.
---@param timeout Timeout|any
function timers.clearInterval(timeout) end

---It will not run; anything else is ignored.
---@param immediate Immediate|any
function timers.clearImmediate(immediate) end

---luanet's own, in a task: waits ms milliseconds (Node's timers/promises
---setTimeout). Raises ERR_INVALID_ARG_TYPE, ERR_NOT_IN_COROUTINE.
---@param ms number
function timers.sleep(ms) end

return timers
