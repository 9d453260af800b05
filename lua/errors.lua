-- Node-shaped errors (lib/internal/errors.js) and the argument validators
-- (lib/internal/validators.js) that raise them. Every error is a table
-- with the shared metatable M.Error: name, message, code, and the fields
-- Node gives it.
local _, core = ...

local type, tostring, select = type, tostring, select
local getmetatable, rawget = getmetatable, rawget
local math_type, floor, huge = math.type, math.floor, math.huge
local concat, format = table.concat, string.format

local M = {}

-- The metatable is made by luaopen_luanet (core.Error), so that an error
-- table the bindings make before this module is loaded has it too.
local Error = core.Error
Error.__name = 'Error'
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

M._quote = quote -- for lua/events.lua's ERR_UNHANDLED_ERROR

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
-- What finds the fix is in lua/slips.lua, loaded on the first slip: these
-- run only when one happened, and a start loads none of it.

--- The error for a method of class whose self is none of its objects: a
--- call with a dot names the fix, ERR_INVALID_THIS "Socket:write called
--- with '.'; use socket:write(...)" (see slips.invalidThis for the
--- arguments; level counts from this function, 1).
---@return table|string err
function M.invalidThis(class, self, level, method)
  -- a tail call: this frame gives way, so level holds as it is
  return require('slips').invalidThis(class, self, level, method)
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

--- The line added under a compile error "<name> expected near 'end'" (see
--- slips.keywordHint), or nil for any other error.
---@param message string  the error of load()
---@param source string|nil  the chunk: '@path' for a file, else its text
---@return string|nil
function M.keywordHint(message, source)
  if type(message) == 'string' and
      message:find("<name> expected near 'end'$") then
    return require('slips').keywordHint(message, source)
  end
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
    n = require('util')._stringToNumber(port) -- JavaScript's +port
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
