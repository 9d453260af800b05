-- util.format and util.inspect: Node's placeholders, and values written as
-- Lua table constructors with sorted keys.
local _, core = ...

local type, tostring, tonumber, pairs, ipairs, select = type, tostring,
  tonumber, pairs, ipairs, select
local getmetatable, rawget, next = getmetatable, rawget, next
local math_type, floor, huge = math.type, math.floor, math.huge
local concat, sort, format = table.concat, table.sort, string.format

local M = {}

local BREAK = 72 -- longer than this, a table is written one entry a line

local function quote(s)
  return format('%q', s):gsub('\\\n', '\\n'):gsub('\\9', '\\t')
end

local function number(n)
  if n ~= n then return 'nan' end
  if n == huge then return 'math.huge' end
  if n == -huge then return '-math.huge' end
  if math_type(n) == 'float' and n == floor(n) and n > -1e15 and n < 1e15 then
    return format('%.1f', n)
  end
  return tostring(n)
end

local function isIdentifier(k)
  return type(k) == 'string' and k:match('^[%a_][%w_]*$') ~= nil and
    k ~= 'end' and k ~= 'and' and k ~= 'or' and k ~= 'not' and k ~= 'nil' and
    k ~= 'function' and k ~= 'local' and k ~= 'return' and k ~= 'then' and
    k ~= 'if' and k ~= 'else' and k ~= 'elseif' and k ~= 'for' and
    k ~= 'while' and k ~= 'do' and k ~= 'repeat' and k ~= 'until' and
    k ~= 'in' and k ~= 'break' and k ~= 'goto' and k ~= 'true' and
    k ~= 'false'
end

local typeOrder = { number = 1, string = 2, boolean = 3 }

local function keyLess(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then
    return (typeOrder[ta] or 9) < (typeOrder[tb] or 9) or
      ((typeOrder[ta] or 9) == (typeOrder[tb] or 9) and ta < tb)
  end
  if ta == 'number' or ta == 'string' then return a < b end
  return tostring(a) < tostring(b)
end

local function className(v)
  local mt = getmetatable(v)
  local name = type(mt) == 'table' and rawget(mt, '__name')
  return type(name) == 'string' and name:gsub('^luanet%.', '') or nil
end

-- What a Socket or a Server shows of itself.
local views = {
  Socket = { 'readyState', 'remoteAddress', 'remotePort', 'localAddress',
    'localPort', 'bytesRead', 'bytesWritten', 'destroyed' },
  Server = { 'listening', 'address', 'connections' },
}

local function view(v, class)
  local fields = views[class]
  if not fields then return nil end
  local t = {}
  for _, k in ipairs(fields) do
    if k == 'address' then t[k] = v:address()
    elseif k == 'connections' then t[k] = v._connections
    else t[k] = v[k] end
  end
  return t
end

local write

local function writeTable(t, opts, depth, seen, indent, prefix)
  if seen[t] then return '<cycle>' end
  if depth > opts.depth then return prefix .. '{...}' end
  seen[t] = true
  local items, n = {}, #t
  for i = 1, n do items[i] = write(t[i], opts, depth + 1, seen, indent .. '  ') end
  local keys = {}
  for k in pairs(t) do
    if not (math_type(k) == 'integer' and k >= 1 and k <= n) then
      keys[#keys + 1] = k
    end
  end
  sort(keys, keyLess)
  for _, k in ipairs(keys) do
    local key = isIdentifier(k) and k or
      '[' .. write(k, opts, depth + 1, seen, indent) .. ']'
    items[#items + 1] = key .. ' = ' ..
      write(t[k], opts, depth + 1, seen, indent .. '  ')
  end
  seen[t] = nil
  if #items == 0 then return prefix .. '{}' end
  local line = prefix .. '{ ' .. concat(items, ', ') .. ' }'
  if #line <= BREAK and not line:find('\n') then return line end
  return prefix .. '{\n' .. indent .. '  ' ..
    concat(items, ',\n' .. indent .. '  ') .. '\n' .. indent .. '}'
end

function write(v, opts, depth, seen, indent)
  local t = type(v)
  if t == 'string' then return quote(v) end
  if t == 'number' then return number(v) end
  if t == 'nil' or t == 'boolean' then return tostring(v) end
  if t == 'function' then return '<function>' end
  if t == 'thread' then return '<thread>' end
  local class = className(v)
  if t == 'table' and getmetatable(v) == require('errors').Error then
    local rest = {}
    for k, x in pairs(v) do
      if k ~= 'name' and k ~= 'message' and k ~= 'stack' then rest[k] = x end
    end
    local s = tostring(v)
    if next(rest) == nil then return s end
    return s .. ' ' .. writeTable(rest, opts, depth, seen, indent, '')
  end
  if t == 'userdata' then
    local fields = view(v, class)
    if fields then
      return writeTable(fields, opts, depth, seen, indent, class .. ' ')
    end
    if class then return '<' .. class .. '>' end
    return '<userdata>'
  end
  local prefix = ''
  if class and class ~= 'EventEmitter' then prefix = class .. ' ' end
  return writeTable(v, opts, depth, seen, indent, prefix)
end

---util.inspect(value[, options]) -> string: value as a Lua constructor,
---keys sorted; options.depth (default 2) limits nesting.
---@param value any
---@param options? { depth: integer }
---@return string
function M.inspect(value, options)
  local depth = options and options.depth
  if depth == nil then depth = 2 end
  if depth == huge or depth == nil then depth = math.maxinteger end
  return write(value, { depth = depth }, 0, {}, '')
end

-- ---- JSON, for %j ---------------------------------------------------------

local function json(v, seen)
  local t = type(v)
  if t == 'string' then
    return '"' .. v:gsub('[%c"\\]', function(c)
      local esc = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n',
        ['\r'] = '\\r', ['\t'] = '\\t' }
      return esc[c] or format('\\u%04x', c:byte())
    end) .. '"'
  end
  if t == 'number' then
    if v ~= v or v == huge or v == -huge then return 'null' end
    return number(v):gsub('%.0$', '')
  end
  if t == 'boolean' then return tostring(v) end
  if t ~= 'table' then return 'null' end
  if seen[v] then return '"[Circular]"' end
  seen[v] = true
  local out = {}
  if #v > 0 then
    for i = 1, #v do out[i] = json(v[i], seen) end
    seen[v] = nil
    return '[' .. concat(out, ',') .. ']'
  end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = tostring(k) end
  sort(keys)
  for _, k in ipairs(keys) do
    local x = v[k]
    if x == nil then x = v[tonumber(k)] end
    if type(x) ~= 'function' then out[#out + 1] = json(k, seen) .. ':' .. json(x, seen) end
  end
  seen[v] = nil
  return '{' .. concat(out, ',') .. '}'
end

-- ---- format -------------------------------------------------------------

local function plain(v)
  if type(v) == 'string' then return v end
  return M.inspect(v)
end

local function toNumber(v)
  if type(v) == 'number' then return v end
  if type(v) == 'string' then return tonumber(v) or 0 / 0 end
  if type(v) == 'boolean' then return v and 1 or 0 end
  return 0 / 0
end

local specifiers = {
  s = function(v)
    if type(v) == 'string' then return v end
    if type(v) == 'number' then return number(v):gsub('%.0$', '') end
    if type(v) == 'table' or type(v) == 'userdata' then
      return M.inspect(v, { depth = 0 })
    end
    return tostring(v)
  end,
  d = function(v)
    local n = toNumber(v)
    return n ~= n and 'NaN' or number(n):gsub('%.0$', '')
  end,
  i = function(v)
    local n = toNumber(v)
    if n ~= n or n == huge or n == -huge then return 'NaN' end
    return format('%d', n < 0 and -floor(-n) or floor(n))
  end,
  f = function(v)
    local n = toNumber(v)
    return n ~= n and 'NaN' or number(n):gsub('%.0$', '')
  end,
  j = function(v) return json(v, {}) end,
  o = function(v) return M.inspect(v, { depth = 4 }) end,
  O = function(v) return M.inspect(v) end,
  c = function() return '' end,
}

---util.format(format, ...) -> string, with Node's placeholders %s %d %i
---%f %j %o %O %c %%; the arguments left over follow, space-separated
---(strings as they are, anything else through inspect).
function M.format(...)
  local n = select('#', ...)
  local args = { ... }
  local first, out, used = args[1], {}, 1
  if type(first) == 'string' and n > 1 then
    local i, len, parts = 1, #first, {}
    local start = 1
    while i < len do
      if first:byte(i) == 37 then -- '%'
        local c = first:sub(i + 1, i + 1)
        if c == '%' then
          parts[#parts + 1] = first:sub(start, i)
          start = i + 2
          i = i + 2
        elseif specifiers[c] and used < n then
          parts[#parts + 1] = first:sub(start, i - 1)
          used = used + 1
          parts[#parts + 1] = specifiers[c](args[used])
          start = i + 2
          i = i + 2
        else
          i = i + 1
        end
      else
        i = i + 1
      end
    end
    parts[#parts + 1] = first:sub(start)
    out[1] = concat(parts)
  elseif n >= 1 then
    out[1] = plain(first)
  end
  for k = used + 1, n do out[#out + 1] = plain(args[k]) end
  return concat(out, ' ')
end

M.types = { isError = function(v) return require('errors').isError(v) end }

return M
