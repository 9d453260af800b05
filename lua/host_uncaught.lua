-- How an uncaught error is shown (host.describe): loaded on the first
-- one, so that a script that raises none does not load it.
local errors = require('errors')

local type, tostring, pcall, getmetatable, rawget, pairs, next, concat =
  type, tostring, pcall, getmetatable, rawget, pairs, next, table.concat

local M = {}

-- The emitter of err, an 'error' event nobody listened to, as Node names
-- it under the stack: "Emitted 'error' event on Socket (127.0.0.1:9),
-- connected at client.lua:12" (the emitter's _origin(err) says where its
-- script made it), or nil when err was not emitted.
local function emittedOn(err)
  local emitter = errors.emittedBy[err]
  if emitter == nil then return nil end
  local ok, origin = pcall(function() return emitter._origin end)
  local what = ok and type(origin) == 'function' and origin(emitter, err)
  if type(what) ~= 'string' then
    local mt = getmetatable(emitter)
    what = type(mt) == 'table' and type(rawget(mt, '__name')) == 'string' and
      rawget(mt, '__name'):gsub('^luanet%.', '') or 'EventEmitter'
  end
  return "Emitted 'error' event on " .. what
end

---The text shown for an uncaught error: "Uncaught Error: ...", the Lua
---traceback (once: a table of the user's own carries none, see lnb_msgh),
---for an 'error' event the emitter and where the script made it, then
---the other fields of one of luanet's errors (any other table is shown
---whole in the first line).
---@param err any
---@param traceback string|nil
---@return string
function M.describe(err, traceback)
  local head
  if type(err) == 'string' then
    head = 'Error: ' .. err
  elseif errors.isError(err) then
    head = tostring(err)
  else
    head = require('util').inspect(err)
  end
  local out = { 'Uncaught ' .. head }
  if traceback then out[#out + 1] = traceback end
  if type(err) == 'table' then
    out[#out + 1] = emittedOn(err)
  end
  if errors.isError(err) then
    local fields = {}
    for k, v in pairs(err) do
      if k ~= 'name' and k ~= 'message' and k ~= 'stack' then fields[k] = v end
    end
    if next(fields) then
      out[#out + 1] = require('util').inspect(fields)
    end
  end
  return concat(out, '\n') .. '\n'
end

return M
