-- Node-shaped errors (lib/internal/errors.js) and the argument validators
-- (lib/internal/validators.js) that raise them. Every error is a table
-- with the shared metatable M.Error: name, message, code, and the fields
-- Node gives it.
local _, core = ...

local type, tostring, tonumber, select = type, tostring, tonumber, select
local getmetatable, rawget, rawequal, pairs, ipairs, pcall =
  getmetatable, rawget, rawequal, pairs, ipairs, pcall
local math_type, floor, huge = math.type, math.floor, math.huge
local concat, format = table.concat, string.format
local getinfo, getlocal, getupvalue =
  debug.getinfo, debug.getlocal, debug.getupvalue

local M = {}

local Error = { __name = 'Error' }
M.Error = Error

--- tostring(err): "Error: message", or "TypeError [ERR_X]: message" for
--- Node's own codes, as Node's Error.prototype.toString shows them.
function Error.__tostring(e)
  local name, code = rawget(e, 'name') or 'Error', rawget(e, 'code')
  local message = rawget(e, 'message')
  if type(code) == 'string' and code:sub(1, 4) == 'ERR_' then
    name = name .. ' [' .. code .. ']'
  end
  if message == nil or message == '' then return name end
  return name .. ': ' .. tostring(message)
end

-- One side of a concatenation: an error's text, as JavaScript's + gives
-- String(err); a string or number as Lua's .. takes it.
local function concatText(v)
  local t = type(v)
  if t == 'string' or t == 'number' then return v end
  if getmetatable(v) == Error then return Error.__tostring(v) end
  error('attempt to concatenate a ' .. t .. ' value', 3)
end

--- 'failed: ' .. err, err .. '!': the error's text joined as JavaScript's
--- + joins an Error ("failed: Error: connect ECONNREFUSED 127.0.0.1:9").
--- The other side must be a string, a number or an error table.
function Error.__concat(a, b)
  return concatText(a) .. concatText(b)
end

---@param name string  'Error', 'TypeError', 'RangeError'...
---@param code string|nil
---@param message string
---@param fields table|nil  more fields to copy in
---@return table err
function M.new(name, code, message, fields)
  local e = setmetatable({ name = name, code = code, message = message },
    Error)
  if fields then for k, v in pairs(fields) do e[k] = v end end
  return e
end
local new = M.new

--- Whether v is one of luanet's error tables.
function M.isError(v)
  return getmetatable(v) == Error
end

-- Node's util.inspect of a string (strEscape): in single quotes, or in
-- double quotes (else backticks) when that spares escaping one; control
-- characters as \n or \xHH. s is taken as UTF-8: U+0080-U+009F are
-- escaped too, other bytes above 127 stay as they are.
local ESCAPES = { ['\b'] = '\\b', ['\t'] = '\\t', ['\n'] = '\\n',
  ['\f'] = '\\f', ['\r'] = '\\r', ['\\'] = '\\\\' }
local function hexEscape(c)
  return ESCAPES[c] or format('\\x%02X', c:byte(-1))
end
local function quote(s)
  local q = "'"
  if s:find("'", 1, true) then
    if not s:find('"', 1, true) then
      q = '"'
    elseif not s:find('`', 1, true) and not s:find('${', 1, true) then
      q = '`'
    end
  end
  s = s:gsub('[\0-\31\\\127]', hexEscape)
    :gsub('\194[\128-\159]', hexEscape)
  if q == "'" then s = s:gsub("'", "\\'") end
  return q .. s .. q
end

-- JSON.stringify of a string (Node's choice where a string holds a ').
local function jsonQuote(s)
  return '"' .. s:gsub('[\0-\31"\\]', function(c)
    if c == '"' or c == '\\' then return '\\' .. c end
    return ESCAPES[c] or format('\\u%04x', c:byte())
  end) .. '"'
end

local function inspected(value)
  local t = type(value)
  if t == 'string' then return quote(value) end
  if t == 'table' then return require('util').inspect(value) end
  if t == 'number' then
    if value ~= value then return 'NaN' end
    if value == huge then return 'Infinity' end
    if value == -huge then return '-Infinity' end
    if math_type(value) == 'float' and value == floor(value)
        and value > -1e15 and value < 1e15 then
      return format('%d', value)
    end
  end
  return tostring(value)
end

local function received(value)
  local t = type(value)
  if value == nil then return 'nil' end
  if t == 'function' then return 'function' end
  if t == 'userdata' then
    local mt = getmetatable(value)
    local name = type(mt) == 'table' and rawget(mt, '__name')
    if type(name) == 'string' then
      return 'an instance of ' .. name:gsub('^luanet%.', '')
    end
    return 'type userdata'
  end
  if t == 'table' then return 'type table' end
  if t == 'string' then -- Node 22: the raw text, cut, then quoted
    if #value > 28 then value = value:sub(1, 25) .. '...' end
    if not value:find("'", 1, true) then
      return "type string ('" .. value .. "')"
    end
    return 'type string (' .. jsonQuote(value) .. ')'
  end
  return 'type ' .. t .. ' (' .. inspected(value) .. ')'
end
M.received = received

local function subject(name)
  if name:find(' argument$') then return name end
  return '"' .. name .. '" ' .. (name:find('%.') and 'property' or 'argument')
end

--- ERR_INVALID_ARG_TYPE. expected: a type name or a list of them;
--- instances: class names ("Buffer").
function M.invalidArgType(name, expected, actual, instances)
  local types = type(expected) == 'table' and expected or { expected }
  local parts = {}
  if #types > 2 then
    parts[1] = 'one of type ' .. concat(types, ', ', 1, #types - 1) ..
      ', or ' .. types[#types]
  elseif #types == 2 then
    parts[1] = 'one of type ' .. types[1] .. ' or ' .. types[2]
  elseif #types == 1 then
    parts[1] = 'of type ' .. types[1]
  end
  if instances then
    local n = #instances
    local list = n > 1 and (concat(instances, ', ', 1, n - 1) ..
      (n > 2 and ', or ' or ' or ') .. instances[n]) or instances[1]
    parts[#parts + 1] = 'an instance of ' .. list
  end
  return new('TypeError', 'ERR_INVALID_ARG_TYPE',
    'The ' .. subject(name) .. ' must be ' .. concat(parts, ' or ') ..
    '. Received ' .. received(actual))
end

-- The data argument of write() and end().
function M.invalidChunk(actual)
  return M.invalidArgType('chunk', 'string', actual,
    { 'Buffer', 'TypedArray', 'DataView' })
end

--- ERR_INVALID_ARG_VALUE
function M.invalidArgValue(name, value, reason)
  local kind = name:find('%.') and 'property' or 'argument'
  return new('TypeError', 'ERR_INVALID_ARG_VALUE',
    'The ' .. kind .. " '" .. name .. "' " .. (reason or 'is invalid') ..
    '. Received ' .. inspected(value))
end

--- ERR_OUT_OF_RANGE
function M.outOfRange(name, range, value)
  return new('RangeError', 'ERR_OUT_OF_RANGE',
    'The value of "' .. name .. '" is out of range. It must be ' .. range ..
    '. Received ' .. inspected(value))
end

--- ERR_SOCKET_BAD_PORT
function M.socketBadPort(name, port)
  return new('RangeError', 'ERR_SOCKET_BAD_PORT',
    (name or 'Port') .. ' should be >= 0 and < 65536. Received ' ..
    received(port) .. '.')
end

--- ERR_MISSING_ARGS: each argument a name or a list of alternatives.
function M.missingArgs(...)
  local names = {}
  for i = 1, select('#', ...) do
    local a = select(i, ...)
    if type(a) == 'table' then
      local alt = {}
      for j, v in ipairs(a) do alt[j] = '"' .. v .. '"' end
      names[i] = concat(alt, ' or ')
    else
      names[i] = '"' .. a .. '"'
    end
  end
  local msg
  if #names == 1 then msg = names[1] .. ' argument'
  elseif #names == 2 then msg = names[1] .. ' and ' .. names[2] .. ' arguments'
  else
    msg = concat(names, ', ', 1, #names - 1) .. ', and ' .. names[#names] ..
      ' arguments'
  end
  return new('TypeError', 'ERR_MISSING_ARGS', 'The ' .. msg ..
    ' must be specified')
end

function M.invalidIpAddress(ip)
  return new('TypeError', 'ERR_INVALID_IP_ADDRESS',
    'Invalid IP address: ' .. tostring(ip))
end

function M.invalidFdType(what)
  return new('TypeError', 'ERR_INVALID_FD_TYPE',
    'Unsupported fd type: ' .. tostring(what))
end

function M.invalidHandleType()
  return new('TypeError', 'ERR_INVALID_HANDLE_TYPE',
    'This handle type cannot be sent')
end

function M.streamNullValues()
  return new('TypeError', 'ERR_STREAM_NULL_VALUES',
    'May not write null values to stream')
end

function M.serverAlreadyListen()
  return new('Error', 'ERR_SERVER_ALREADY_LISTEN',
    'Listen method has been called more than once without closing.')
end

function M.serverNotRunning()
  return new('Error', 'ERR_SERVER_NOT_RUNNING', 'Server is not running.')
end

function M.unknownEncoding(enc)
  return new('TypeError', 'ERR_UNKNOWN_ENCODING',
    'Unknown encoding: ' .. tostring(enc))
end

--- Node's ExceptionWithHostPort: a system error of libuv's code (a name
--- such as 'EALREADY') raised by syscall towards address and port, as
--- "connect EALREADY 127.0.0.1:80 - Local (127.0.0.1:5000)"; port (a
--- number, shown as JavaScript shows it) only if above 0; local (a string)
--- only if given.
---@param code string
---@param syscall string
---@param address string
---@param port number|nil
---@param localDetails string|nil
---@return table err
function M.exceptionWithHostPort(code, syscall, address, port, localDetails)
  local details = ''
  if port and port > 0 then
    details = ' ' .. address .. ':' .. inspected(port)
  elseif address then
    details = ' ' .. address
  end
  if localDetails then
    details = details .. ' - Local (' .. localDetails .. ')'
  end
  return new('Error', code, syscall .. ' ' .. code .. details, {
    errno = core.errno[code], syscall = syscall, address = address,
    port = port ~= 0 and port == port and port or nil }) -- Node: if (port)
end

--- ERR_UNHANDLED_ERROR: an 'error' event that was not an error table.
function M.unhandledError(err, shown)
  local msg = 'Unhandled error.'
  if shown ~= nil then msg = msg .. ' (' .. shown .. ')' end
  return new('Error', 'ERR_UNHANDLED_ERROR', msg, { context = err })
end

--- Assigning a field that is only computed (Node's strict-mode TypeError).
function M.readOnlyProperty(class, key)
  return new('TypeError', nil, 'Cannot set property ' .. tostring(key) ..
    ' of #<' .. tostring(class):gsub('^luanet%.', '') ..
    '> which has only a getter')
end

-- ---- hints: the slips of a Node user writing Lua ------------------------

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
  return new('TypeError', 'ERR_INVALID_THIS', class .. ':' .. name ..
    " called with '.'; use " .. instanceName(class) .. ':' ..
    (name == 'end' and 'end_' or name) .. '(...)')
end

--- Raises invalidThis's error unless is(self) is true: the first line
--- of a Lua method (class and method as invalidThis takes them).
---@param self any
---@param is fun(v: any): boolean
---@param class string
---@param method string
function M.checkThis(self, is, class, method)
  if not is(self) then error(M.invalidThis(class, self, 3, method), 3) end
end

--- The emitter of each 'error' that had no listener (lua/events.lua
--- records it; the host's describe() names it). Weak keys.
M.emittedBy = setmetatable({}, { __mode = 'k' })

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

-- ---- validators: raise at the caller's level ----------------------------

local function raise(e) error(e, 3) end

--- Node's validatePort: a number or a non-blank string of digits naming
--- an integer 0-65535. Returns the port as an integer.
function M.validatePort(port, name)
  local n
  if type(port) == 'number' then
    n = port
  elseif type(port) == 'string' and port:find('%S') then
    n = tonumber(port)
  end
  if n == nil or n ~= n or n < 0 or n > 0xFFFF or n ~= floor(n) then
    raise(M.socketBadPort(name, port))
  end
  return floor(n)
end

--- Node's validateNumber(value, name[, min[, max]]): NaN passes unless
--- a bound is given, as in Node.
function M.validateNumber(value, name, min, max)
  if type(value) ~= 'number' then
    raise(M.invalidArgType(name, 'number', value))
  end
  if (min and value < min) or (max and value > max) or
      ((min or max) and value ~= value) then
    local range
    if min and max then range = '>= ' .. min .. ' && <= ' .. max
    elseif min then range = '>= ' .. min
    else range = '<= ' .. max end
    raise(M.outOfRange(name, range, value))
  end
  return value
end

--- Node's validateInt32(value, name[, min[, max]]).
function M.validateInt32(value, name, min, max)
  min, max = min or -2147483648, max or 2147483647
  if type(value) ~= 'number' then
    raise(M.invalidArgType(name, 'number', value))
  end
  if value ~= floor(value) or value == huge or value == -huge then
    raise(M.outOfRange(name, 'an integer', value))
  end
  if value < min or value > max then
    raise(M.outOfRange(name, '>= ' .. min .. ' && <= ' .. max, value))
  end
  return value
end

function M.validateFunction(value, name)
  if type(value) ~= 'function' then
    raise(M.invalidArgType(name, 'function', value))
  end
  return value
end

function M.validateString(value, name)
  if type(value) ~= 'string' then
    raise(M.invalidArgType(name, 'string', value))
  end
  return value
end

function M.validateBoolean(value, name)
  if type(value) ~= 'boolean' then
    raise(M.invalidArgType(name, 'boolean', value))
  end
  return value
end

function M.validateTable(value, name)
  if type(value) ~= 'table' then
    raise(M.invalidArgType(name, 'table', value))
  end
  return value
end

return M
