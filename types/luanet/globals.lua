---@meta
-- LuaCATS declarations for lua-language-server: the globals a script run by
-- the luanet command sees (docs/host.md). Types only: nothing here runs.

---@type console
console = nil

---@type process
process = nil

---callback(...) once, after ms.
---@param callback fun(...)
---@param ms? number
---@param ... any
---@return Timeout
function setTimeout(callback, ms, ...) end

---callback(...) every ms.
---@param callback fun(...)
---@param ms? number
---@param ... any
---@return Timeout
function setInterval(callback, ms, ...) end

---callback(...) after this turn's I/O.
---@param callback fun(...)
---@param ... any
---@return Immediate
function setImmediate(callback, ...) end

---@param timeout Timeout|any
function clearTimeout(timeout) end

---@param timeout Timeout|any
function clearInterval(timeout) end

---@param immediate Immediate|any
function clearImmediate(immediate) end
