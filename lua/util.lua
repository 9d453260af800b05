-- util.format and util.inspect as Node's lib/internal/util/inspect.js
-- writes them, for Lua values: inspect writes a Lua table constructor with
-- sorted keys, laid out as Node lays out objects (one line when it fits in
-- 80 columns, else one entry a line indented by two, long arrays in
-- columns).

local errors = require('errors')

local type, tostring, tonumber, select, ipairs =
  type, tostring, tonumber, select, ipairs
local getmetatable, rawget, next, pcall, error =
  getmetatable, rawget, next, pcall, error
local math_type, floor, huge, sqrt, min, max =
  math.type, math.floor, math.huge, math.sqrt, math.min, math.max
local concat, sort = table.concat, table.sort
local format, rep, byte, sub, gsub, find, match =
  string.format, string.rep, string.byte, string.sub, string.gsub,
  string.find, string.match
local utf8len = utf8.len
local lower = string.lower

local M = {}

local BREAK_LENGTH = 80   -- Node's breakLength
local COMPACT = 3         -- Node's compact: inner levels joined on a line
local MAX_ARRAY = 100     -- Node's maxArrayLength
local NAN = 0 / 0

-- The columns a string takes, as near as Node's String#length gets.
local function width(s)
  return utf8len(s) or #s
end

-- ---- numbers --------------------------------------------------------------

-- A number as Lua source, the way print() writes it (3, 3.0, 0.1), except
-- where print() is not Lua source and differs by platform (inf, -nan):
-- math.huge, -math.huge and 0/0, as Penlight's pretty.write has them.
local function luaNumber(n)
  if n ~= n then return '0/0' end
  if n == huge then return 'math.huge' end
  if n == -huge then return '-math.huge' end
  if n == math.mininteger then return 'math.mininteger' end -- else a float
  return tostring(n)
end

-- JavaScript's String(n): what %d, %i, %f and %j give, since Node turns
-- their argument into a JavaScript number, which has no integer subtype
-- (42.0 is "42") and prints the shortest digits that read back exactly.
-- A Lua integer is written whole, where a JavaScript number would round.
local function jsString(n)
  if math_type(n) == 'integer' then return tostring(n) end
  if n ~= n then return 'NaN' end
  if n == huge then return 'Infinity' end
  if n == -huge then return '-Infinity' end
  if n == 0 then return '0' end
  local s
  for precision = 0, 16 do
    s = format('%.' .. precision .. 'e', n)
    if tonumber(s) == n then break end
  end
  local sign, d, ds, e = match(s, '^(-?)(%d)%.?(%d*)e([-+]%d+)$')
  local digits, k = d .. ds, tonumber(e) + 1 -- n is 0.digits * 10^k
  local len = #digits
  if len <= k and k <= 21 then return sign .. digits .. rep('0', k - len) end
  if 0 < k and k <= 21 then
    return sign .. sub(digits, 1, k) .. '.' .. sub(digits, k + 1)
  end
  if -6 < k and k <= 0 then return sign .. '0.' .. rep('0', -k) .. digits end
  return sign .. d .. (ds ~= '' and '.' .. ds or '') .. 'e' ..
    (k > 0 and '+' or '-') .. (k > 0 and k - 1 or 1 - k)
end

-- Node's formatNumber: String(n), but -0 stays "-0".
local function jsNumber(n)
  if n == 0 and 1 / n < 0 then return '-0' end
  return jsString(n)
end

-- ---- strings --------------------------------------------------------------

-- Node's escapes (strEscape), which are also Lua's.
local escapes = { ['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b',
  ['\t'] = '\\t', ['\n'] = '\\n', ['\f'] = '\\f', ['\r'] = '\\r' }

local function escape(c)
  return escapes[c] or format('\\x%02X', byte(c))
end

-- s in double quotes (the constructor's), control characters escaped, and
-- bytes that are not UTF-8 written \xHH: a string may be binary data.
local function quote(s)
  s = gsub(s, '[%z\1-\31"\\\127]', escape)
  if not utf8len(s) then
    local parts, i = {}, 1
    while i <= #s do
      local ok, bad = utf8len(s, i)
      if ok then
        parts[#parts + 1] = sub(s, i)
        break
      end
      parts[#parts + 1] = sub(s, i, bad - 1) .. escape(sub(s, bad, bad))
      i = bad + 1
    end
    s = concat(parts)
  end
  return '"' .. s .. '"'
end

-- ---- inspect --------------------------------------------------------------

local reserved = {}
for w in ('and break do else elseif end false for function goto if in ' ..
    'local nil not or repeat return then true until while'):gmatch('%a+') do
  reserved[w] = true
end

local function isIdentifier(k)
  return type(k) == 'string' and find(k, '^[%a_][%w_]*$') ~= nil and
    not reserved[k]
end

-- Keys sort numbers first, then strings, then booleans, then the rest.
local keyRank = { number = 1, string = 2, boolean = 3 }

local function keyLess(a, b)
  local ra, rb = keyRank[type(a)] or 4, keyRank[type(b)] or 4
  if ra ~= rb then return ra < rb end
  if ra == 3 then return not a and b end
  if ra == 4 then return tostring(a) < tostring(b) end
  return a < b
end

-- The length of t's array part: 1, 2, ... up to the first nil.
local function arrayLength(t)
  local n = 0
  while rawget(t, n + 1) ~= nil do n = n + 1 end
  return n
end

-- t's keys outside 1..n, sorted.
local function sortedKeys(t, n)
  local keys = {}
  for k in next, t do
    if not (math_type(k) == 'integer' and k >= 1 and k <= n) then
      keys[#keys + 1] = k
    end
  end
  sort(keys, keyLess)
  return keys
end

local function className(v)
  local mt = getmetatable(v)
  local name = type(mt) == 'table' and rawget(mt, '__name')
  return type(name) == 'string' and (gsub(name, '^luanet%.', '')) or nil
end

-- What a Socket or a Server shows of itself.
local views = {
  Socket = function(s)
    return { readyState = s.readyState, remoteAddress = s.remoteAddress,
      remotePort = s.remotePort, localAddress = s.localAddress,
      localPort = s.localPort, bytesRead = s.bytesRead,
      bytesWritten = s.bytesWritten, destroyed = s.destroyed }
  end,
  Server = function(s)
    return { listening = s.listening, address = s:address() }
  end,
  BlockList = function(b) return { rules = b.rules } end,
  SocketAddress = function(a) return a:toJSON() end,
}

-- Node's groupArrayElements: more than six short entries are set out in
-- columns, numbers aligned right, anything else left.
local function groupArray(ctx, output, t)
  local totalLength, maxLength, outputLength = 0, 0, #output
  if #output > MAX_ARRAY then outputLength = outputLength - 1 end
  local dataLen = {}
  for i = 1, outputLength do
    local len = width(output[i])
    dataLen[i] = len
    totalLength = totalLength + len + 2
    if len > maxLength then maxLength = len end
  end
  local actualMax = maxLength + 2
  if actualMax * 3 + ctx.indent >= BREAK_LENGTH or
      (totalLength / actualMax <= 5 and maxLength > 6) then
    return output
  end
  local averageBias = sqrt(actualMax - totalLength / #output)
  local biasedMax = max(actualMax - 3 - averageBias, 1)
  local columns = min(
    floor(sqrt(2.5 * biasedMax * outputLength) / biasedMax + 0.5),
    (BREAK_LENGTH - ctx.indent) // actualMax, COMPACT * 4, 15)
  if columns <= 1 then return output end
  local maxLineLength = {}
  for i = 1, columns do
    local lineMax = 0
    for j = i, outputLength, columns do
      if dataLen[j] > lineMax then lineMax = dataLen[j] end
    end
    maxLineLength[i] = lineMax + 2
  end
  local right = true
  for i = 1, #output do
    if type(rawget(t, i)) ~= 'number' then
      right = false
      break
    end
  end
  local rows = {}
  for i = 1, outputLength, columns do
    local last, row = min(i + columns - 1, outputLength), {}
    for j = i, last do
      local pad = rep(' ', maxLineLength[j - i + 1] - dataLen[j] - 2)
      local cell = j < last and output[j] .. ', ' or output[j]
      if right then
        row[#row + 1] = pad .. cell
      else
        row[#row + 1] = j < last and cell .. pad or cell
      end
    end
    rows[#rows + 1] = concat(row)
  end
  if outputLength < #output then rows[#rows + 1] = output[#output] end
  return rows
end

-- Node's isBelowBreakLength.
local function fits(output, start, base)
  local total = #output + start
  for i = 1, #output do
    total = total + width(output[i])
    if total > BREAK_LENGTH then return false end
  end
  return not find(base, '\n', 1, true)
end

-- Node's reduceToSingleString: the entries on one line if the object is
-- among the COMPACT innermost levels and they fit, else one a line.
local function reduce(ctx, output, base, brace, level, t)
  local entries = #output
  if t and entries > 6 then output = groupArray(ctx, output, t) end
  local head = base == '' and brace or base .. ' ' .. brace
  if ctx.currentDepth - level < COMPACT and entries == #output then
    local start = #output + ctx.indent + width(brace) + width(base) + 10
    if fits(output, start, base) then
      local line = concat(output, ', ')
      if not find(line, '\n', 1, true) then
        return head .. ' ' .. line .. ' }'
      end
    end
  end
  local indentation = '\n' .. rep(' ', ctx.indent)
  return head .. indentation .. '  ' ..
    concat(output, ',' .. indentation .. '  ') .. indentation .. '}'
end

local formatValue

-- Lua's parser reads a chain of `..` one level deeper per operator and
-- stops at 200 levels ("C stack overflow"): a string of more lines than
-- this is written whole, so that what inspect writes stays Lua.
local MAX_PIECES = 100

-- A long string with line breaks, as Node splits it: one line of source
-- for each, joined by `..`. The lines are found with plain searches: a
-- pattern such as '[^\n]*\n' retries from every byte of a line without a
-- break, which took quadratic time.
local function formatString(ctx, s)
  local len = width(s)
  if len > 16 and len > BREAK_LENGTH - ctx.indent - 4 and
      find(s, '\n', 1, true) then
    local lines, from, n = {}, 1, #s
    while from <= n do
      if #lines == MAX_PIECES then return quote(s) end
      local nl = find(s, '\n', from, true) or n
      lines[#lines + 1] = quote(sub(s, from, nl))
      from = nl + 1
    end
    return concat(lines, ' ..\n' .. rep(' ', ctx.indent + 2))
  end
  return quote(s)
end

-- A value inside a table: indented two more than the table.
local function formatEntry(ctx, v, level)
  ctx.indent = ctx.indent + 2
  local s = formatValue(ctx, v, level)
  ctx.indent = ctx.indent - 2
  return s
end

-- Node's formatRaw for a table, an error table or a Socket or Server,
-- whose fields are t: the array part, then the other keys, sorted.
local function formatTable(ctx, v, t, base, brace, level)
  if next(t) == nil then
    return base ~= '' and base or brace .. '}'
  end
  if level > ctx.depth then
    return base ~= '' and base .. ' {...}' or brace .. '...}'
  end
  level = level + 1
  ctx.seen[v] = true
  ctx.currentDepth = level
  local output, n = {}, arrayLength(t)
  for i = 1, min(n, MAX_ARRAY) do
    output[i] = formatEntry(ctx, rawget(t, i), level)
  end
  if n > MAX_ARRAY then
    local more = n - MAX_ARRAY
    output[#output + 1] = '... ' .. more .. ' more item' ..
      (more > 1 and 's' or '')
  end
  for _, k in ipairs(sortedKeys(t, n)) do
    local key = isIdentifier(k) and k or
      '[' .. formatValue(ctx, k, level) .. ']'
    output[#output + 1] = key .. ' = ' .. formatEntry(ctx, rawget(t, k), level)
  end
  ctx.seen[v] = nil
  local ref = ctx.circular[v]
  if ref then
    base = base == '' and '<ref *' .. ref .. '>' or
      '<ref *' .. ref .. '> ' .. base
  end
  return reduce(ctx, output, base, brace, level, n > 0 and t or nil)
end

function formatValue(ctx, v, level)
  local t = type(v)
  if t == 'string' then return formatString(ctx, v) end
  if t == 'number' then return luaNumber(v) end
  if t == 'function' then return '<function>' end
  if t == 'thread' then return '<thread>' end
  if t ~= 'table' and t ~= 'userdata' then return tostring(v) end
  if ctx.seen[v] then
    local ref = ctx.circular[v]
    if not ref then
      ctx.refs = ctx.refs + 1
      ref = ctx.refs
      ctx.circular[v] = ref
    end
    return '[Circular *' .. ref .. ']'
  end
  local class = className(v)
  if t == 'userdata' then
    local view = views[class]
    if not view then return '<' .. tostring(v) .. '>' end
    return formatTable(ctx, v, view(v), '', class .. ' {', level)
  end
  if errors.isError(v) then
    local fields = {}
    for k, x in next, v do
      if k ~= 'name' and k ~= 'message' then fields[k] = x end
    end
    return formatTable(ctx, v, fields, tostring(v), '{', level)
  end
  local mt = getmetatable(v)
  if type(mt) == 'table' and rawget(mt, '__pairs') ~= nil then
    -- A proxy (process.env): its entries as pairs() gives them, shown as
    -- a plain table, as Node shows a Proxy's target.
    local entries = {}
    for k, x in pairs(v) do entries[k] = x end
    return formatTable(ctx, v, entries, '', '{', level)
  end
  return formatTable(ctx, v, v, '', class and class .. ' {' or '{', level)
end

---Writes a value as Lua source, as Node's util.inspect writes JavaScript:
---tables as constructors with sorted keys (`{ 1, 2, x = "y" }`), one line
---if it fits in 80 columns, else one entry a line; tables nested deeper
---than options.depth (default 2, math.huge for all) as `{...}`; a table
---inside itself as `[Circular *1]`, the table marked `<ref *1>`; a Socket
---or a Server with its state and addresses; an error table as tostring(err)
---and its other fields; functions as `<function>`.
---@param value any
---@param options? { depth?: number }
---@return string
function M.inspect(value, options)
  if type(options) ~= 'table' then options = nil end -- Node's showHidden
  local depth = options and options.depth
  if depth == nil then depth = 2 end
  return formatValue({ depth = depth, indent = 0, currentDepth = 0,
    seen = {}, circular = {}, refs = 0 }, value, 0)
end
local inspect = M.inspect

-- ---- format ---------------------------------------------------------------

local CIRCULAR = {}

local jsonEscapes = { ['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b',
  ['\f'] = '\\f', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }

local function jsonEscape(c)
  return jsonEscapes[c] or format('\\u%04x', byte(c))
end

-- JSON.stringify for Lua values: a table with keys 1..n is an array, any
-- other an object with sorted keys (only string and number keys: JSON has
-- no others). Functions, threads and userdata are JSON.stringify's
-- undefined: left out of objects, null elsewhere. nil is null.
local function json(v, stack)
  local t = type(v)
  if t == 'string' then
    return '"' .. gsub(v, '[%z\1-\31"\\]', jsonEscape) .. '"'
  end
  if t == 'number' then
    return (v ~= v or v == huge or v == -huge) and 'null' or jsString(v)
  end
  if t == 'boolean' then return tostring(v) end
  if t ~= 'table' then return nil end
  if stack[v] then error(CIRCULAR) end
  stack[v] = true
  local out, n, count = {}, arrayLength(v), 0
  for _ in next, v do count = count + 1 end
  if n > 0 and count == n then
    for i = 1, n do out[i] = json(rawget(v, i), stack) or 'null' end
    stack[v] = nil
    return '[' .. concat(out, ',') .. ']'
  end
  for _, k in ipairs(sortedKeys(v, 0)) do
    local x = json(rawget(v, k), stack)
    local tk = type(k)
    if x and (tk == 'string' or tk == 'number') then
      out[#out + 1] = json(tk == 'number' and jsString(k) or k) .. ':' .. x
    end
  end
  stack[v] = nil
  return '{' .. concat(out, ',') .. '}'
end

-- Node's tryStringify: a cycle anywhere makes it all "[Circular]".
local function stringify(v)
  local ok, s = pcall(json, v, {})
  if ok then return s or 'null' end
  if s == CIRCULAR then return '[Circular]' end
  error(s, 0)
end

-- JavaScript's StringToNumber: white space around; '' is 0; Infinity;
-- 0x, 0b and 0o integers (unsigned); decimal with an exponent; else NaN.
-- -0 stays -0.
local function stringToNumber(s)
  s = match(s, '^%s*(.-)%s*$')
  if s == '' then return 0 end
  local sign, rest = match(s, '^([+-]?)(.*)$')
  if rest == 'Infinity' then return sign == '-' and -huge or huge end
  if sign == '' then
    local base, digits = match(s, '^0([xXbBoO])(%w+)$')
    if base then
      base = ({ x = 16, b = 2, o = 8 })[lower(base)]
      return tonumber(digits, base) or NAN
    end
  end
  if not (match(rest, '^%d+%.?%d*[eE][+-]?%d+$') or
      match(rest, '^%d+%.?%d*$') or match(rest, '^%.%d+[eE][+-]?%d+$') or
      match(rest, '^%.%d+$')) then
    return NAN
  end
  local n = tonumber(rest) + 0.0
  return sign == '-' and -n or n
end
M._stringToNumber = stringToNumber

-- JavaScript's Number(v): strings are parsed ('' is 0), booleans are 1
-- and 0, anything else (nil included, as undefined) is NaN.
local function toNumber(v)
  local t = type(v)
  if t == 'number' then return v end
  if t == 'boolean' then return v and 1 or 0 end
  if t == 'string' then return stringToNumber(v) end
  return NAN
end

-- What parseInt and parseFloat read of String(v): its sign and the rest,
-- after any leading white space. nil for anything else (NaN).
local function numberText(v)
  if type(v) == 'number' then
    v = jsString(v)
  elseif type(v) ~= 'string' then
    return nil
  end
  return match(v, '^%s*([+-]?)(.*)')
end

-- JavaScript's parseInt(v): leading digits, or hex after 0x.
local function parseInt(v)
  local sign, s = numberText(v)
  if not s then return NAN end
  local n
  if match(s, '^0[xX]') then
    n = tonumber(match(s, '^0[xX](%x+)') or '', 16) -- '0x' alone: NaN
  else
    n = tonumber(match(s, '^%d+') or '')
  end
  if not n then return NAN end
  if sign == '-' then return n == 0 and -0.0 or -n end
  return n
end

-- JavaScript's parseFloat(v): the longest prefix that is a decimal number.
local function parseFloat(v)
  local sign, s = numberText(v)
  if not s then return NAN end
  local n
  if sub(s, 1, 8) == 'Infinity' then
    n = huge
  else
    local m = match(s, '^%d+%.?%d*') or match(s, '^%.%d+')
    if not m then return NAN end
    n = tonumber(m .. (match(s, '^[eE][+-]?%d+', #m + 1) or '')) + 0.0
  end
  return sign == '-' and -n or n
end

-- %s: a string as it is, a number as Lua writes it, a table (unless it
-- has its own __tostring) or a userdata inspected to depth 0, anything
-- else through tostring.
local function toText(v)
  local t = type(v)
  if t == 'string' then return v end
  if t == 'number' then return luaNumber(v) end
  if t == 'table' then
    local mt = getmetatable(v)
    if type(mt) == 'table' and rawget(mt, '__tostring') and
        not errors.isError(v) then
      return tostring(v)
    end
  end
  if t == 'table' or t == 'userdata' then return inspect(v, { depth = 0 }) end
  return tostring(v)
end

local placeholders = {
  s = toText,
  d = function(v) return jsNumber(toNumber(v)) end,
  i = function(v) return jsNumber(parseInt(v)) end,
  f = function(v) return jsNumber(parseFloat(v)) end,
  j = stringify,
  o = function(v) return inspect(v, { depth = 4 }) end,
  O = inspect,
  c = function() return '' end,
}

---Node's util.format: if the first argument is a string, its placeholders
---take the next arguments: %s a string, %d a number (Number(v)), %i an
---integer (parseInt), %f a float (parseFloat), %j JSON, %o and %O
---util.inspect (to depth 4 and 2), %c nothing (CSS, ignored); %% is %
---once there are arguments. A placeholder without an argument stays as it
---is. The arguments left over follow, separated by spaces: strings as
---they are, anything else through util.inspect.
---@param ... any
---@return string
function M.format(...)
  local n = select('#', ...)
  local args = { ... }
  local first, out, used = args[1], {}, 0
  if type(first) == 'string' then
    if n == 1 then return first end
    local parts, last, i = {}, 1, 1
    used = 1
    while i < #first do
      if byte(first, i) == 37 then -- '%'
        i = i + 1
        local c = sub(first, i, i)
        local placeholder = used < n and placeholders[c]
        if placeholder then
          used = used + 1
          parts[#parts + 1] = sub(first, last, i - 2)
          parts[#parts + 1] = placeholder(args[used])
          last = i + 1
        elseif c == '%' then
          parts[#parts + 1] = sub(first, last, i - 1)
          last = i + 1
        end
      end
      i = i + 1
    end
    parts[#parts + 1] = sub(first, last)
    out[1] = concat(parts)
  end
  for k = used + 1, n do
    local v = args[k]
    out[#out + 1] = type(v) == 'string' and v or inspect(v)
  end
  return concat(out, ' ')
end

return M
