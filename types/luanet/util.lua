---@meta util
-- LuaCATS declarations for lua-language-server: require('util') (docs/util-console-assert.md).
-- Types only: nothing here runs. Installed as share/luanet/types/luanet/.

---@class util
local util = {}

---Node's util.format: %s %d %i %f %j %o %O %c %% placeholders, then the
---other arguments separated by spaces.
---@param format? any
---@param ... any
---@return string
function util.format(format, ...) end

---value as Lua source: tables as constructors with sorted keys, nested
---deeper than options.depth (2) as {...}.
---@param value any
---@param options? { depth?: number }
---@return string
function util.inspect(value, options) end

return util
