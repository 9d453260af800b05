---@meta luanet
-- LuaCATS declarations for lua-language-server: require('luanet') in a stock Lua 5.4 (docs/host.md).
-- Types only: nothing here runs. Installed as share/luanet/types/luanet/.

---The C module luanet.so.
---@class luanet
---@field net net
---@field events EventEmitter
---@field timers timers
---@field process process
---@field version string  '0.1.0'
local luanet = {}

---Runs the event loop until nothing referenced is left. Raises an uncaught
---error; ERR_LOOP_RUNNING when called from inside the loop.
function luanet.run() end

return luanet
