-- The slips of a Node user writing Lua, and the errors that name their
-- fix: a method called with a dot (socket.write('x')), and `socket:end()`,
-- which does not compile. Loaded by lua/errors.lua on the first slip, so
-- that a start loads none of this.
local _, core = ...

local errors = require('errors')

local type, tonumber, format = type, tonumber, string.format
local getmetatable, rawget, rawequal, pairs, ipairs, pcall =
  getmetatable, rawget, rawequal, pairs, ipairs, pcall
local getinfo, getlocal, getupvalue =
  debug.getinfo, debug.getlocal, debug.getupvalue

local M = {}

-- The metatable's __name of v ('luanet.Socket', 'process'), or nil.
local function typeName(v)
  local mt = getmetatable(v)
  local name = type(mt) == 'table' and rawget(mt, '__name')
  return type(name) == 'string' and name or nil
end

-- The class of v as util.inspect names it ('Socket', 'process'), or nil.
local function classOf(v)
  local name = typeName(v)
  return name and (name:gsub('^luanet%.', ''))
end

-- What the objects of class are called in a hint: socket, server,
-- blockList, emitter.
local function instanceName(class)
  if class == 'EventEmitter' then return 'emitter' end
  return class:sub(1, 1):lower() .. class:sub(2)
end

local function index(v, k) return v[k] end

-- v[k], or nil when v is no table or userdata or its __index raises.
local function field(v, k)
  local t = type(v)
  if t ~= 'table' and t ~= 'userdata' then return nil end
  local ok, x = pcall(index, v, k)
  if ok then return x end
end

-- Line n of a chunk whose source is src as debug.getinfo gives it: read
-- from its file ('@path') or from the text it was loaded from; nil where
-- neither is kept ('=[command line]', '=stdin').
local function sourceLine(src, n)
  if type(src) ~= 'string' or type(n) ~= 'number' or n < 1 or
      src:sub(1, 1) == '=' then
    return nil
  end
  local i = 0
  local lines, f
  if src:sub(1, 1) == '@' then
    f = io.open(src:sub(2), 'rb')
    if not f then return nil end
    lines = f:lines()
  else
    lines = (src .. '\n'):gmatch('([^\n]*)\n')
  end
  local text
  for line in lines do
    i = i + 1
    if i == n then
      text = line
      break
    end
  end
  if f then f:close() end
  return text
end

-- The class of the object whose method f the frame at level (seen from
-- the caller of this function) called by the name name with a dot: the
-- variable before `.name(` on the line of the call, looked up as that
-- frame sees it (its locals, its function's upvalues, its _ENV); else
-- the one class among the frame's values that hold f as name. nil when
-- neither tells.
local function receiverClass(level, f, name)
  level = level + 1
  local info = getinfo(level, 'Slf')
  if not info then return nil end
  local locals, values = {}, {}
  for i = 1, math.huge do
    local k, v = getlocal(level, i)
    if k == nil then break end
    locals[k] = { v } -- the innermost of a name comes last
    values[#values + 1] = v
  end
  local upvalues, env = {}, _G
  for i = 1, math.huge do
    local k, v = getupvalue(info.func, i)
    if k == nil then break end
    upvalues[k] = { v }
    values[#values + 1] = v
  end
  if locals._ENV then env = locals._ENV[1]
  elseif upvalues._ENV then env = upvalues._ENV[1] end
  local line = sourceLine(info.source, info.currentline)
  if line then
    local call = '([%a_][%w_%.]*)%s*%.%s*' .. name:gsub('%p', '%%%0') ..
      '%s*[%(\'"{]'
    for path in line:gmatch(call) do
      local root = path:match('^[^.]+')
      local slot = locals[root] or upvalues[root]
      local v
      if slot then v = slot[1] else v = field(env, root) end
      for key in path:gmatch('%.([^.]+)') do v = field(v, key) end
      if rawequal(field(v, name), f) then
        return classOf(v) or 'EventEmitter'
      end
    end
  end
  local found
  for _, v in ipairs(values) do
    local class = rawequal(field(v, name), f) and classOf(v)
    if class and found and class ~= found then return nil end
    found = found or class
  end
  return found
end

-- The key under which methods (a table, or nil) holds f, or nil.
local function keyOf(methods, f)
  if type(methods) ~= 'table' or f == nil then return nil end
  for k, v in pairs(methods) do
    if rawequal(v, f) and type(k) == 'string' then return k end
  end
end

--- The error for a method of class (the methods of Socket, Server,
--- Timeout... and of every emitter) whose self is not an object of the
--- class. A call with a dot, `socket.write('x')`, or one that passes
--- something else than an object where self goes (a string event name,
--- nil), is a TypeError with Node's code for a method called on the
--- wrong receiver, ERR_INVALID_THIS, and names the fix: "Socket:write
--- called with '.'; use socket:write(...)". A method given another
--- object (pcall(socket.write, {}), or copied into another table) gets
--- Lua's own words, a string: "bad argument #1 to 'write'
--- (luanet.Socket expected, got table)".
---@param class string|nil  'Socket'; nil for the emitter methods, which
---  any object may have: then the class is read from the call's site
---@param self any  what the method got as self
---@param level integer  the method's stack level, 1 being this function
---@param method string|nil  the method's name, when the call has none
---@return table|string err
function M.invalidThis(class, self, level, method)
  local info = getinfo(level, 'nf') or {}
  local how, f = info.namewhat, info.func
  local name = (how == 'field' or how == 'method') and info.name or
    method or keyOf(class and core[class], f) or info.name or '?'
  local t = type(self)
  if how == 'method' or
      (how ~= 'field' and (t == 'table' or t == 'userdata')) then
    local text = (how == 'method' and "calling '%s' on bad self" or
      "bad argument #1 to '%s'") .. ' (%s expected, got %s)'
    return format(text, name, 'luanet.' .. (class or 'EventEmitter'),
      typeName(self) or t)
  end
  class = class or receiverClass(level + 1, f, name) or 'EventEmitter'
  return errors.new('TypeError', 'ERR_INVALID_THIS', class .. ':' .. name ..
    " called with '.'; use " .. instanceName(class) .. ':' ..
    (name == 'end' and 'end_' or name) .. '(...)')
end

--- The line added under a compile error "<name> expected near 'end'",
--- the slip of `socket:end()` written as in Node: "`end` is a Lua keyword:
--- write socket:end_() (or socket['end'](socket))", with the receiver
--- named as on the line of the error when it can be read. nil for any
--- other error.
---@param message string  the error of load()
---@param source string|nil  the chunk: '@path' for a file, else its text
---@return string|nil
function M.keywordHint(message, source)
  local n = type(message) == 'string' and
    message:match(":(%d+): <name> expected near 'end'$")
  if not n then return nil end
  local line = sourceLine(source, tonumber(n))
  local receiver = line and
    line:match('([%a_][%w_%.]*)%s*[:.]%s*end%f[^%w_]') or 'socket'
  return '`end` is a Lua keyword: write ' .. receiver .. ':end_() (or ' ..
    receiver .. "['end'](" .. receiver .. '))'
end

return M
