-- net.BlockList and net.SocketAddress as Node 22's
-- lib/internal/blocklist.js and lib/internal/socketaddress.js have them:
-- the argument checks and the public methods, over the userdata of
-- bindings/lblocklist.c. The rules and their matching are in
-- core/blocklist.c, the address parsing in core/sockaddr.c.
local _, core = ...

local errors = require('errors')

local type, error, pairs, ipairs, setmetatable, getmetatable, tonumber =
  type, error, pairs, ipairs, setmetatable, getmetatable, tonumber
local floor, huge, math_type = math.floor, math.huge, math.type
local byte, sub, format, find, lower = string.byte, string.sub,
  string.format, string.find, string.lower
local concat, utf8char = table.concat, utf8.char

local SocketAddress, BlockList = core.SocketAddress, core.BlockList
local newSocketAddress, isSocketAddress = core.newSocketAddress,
  core.isSocketAddress
local isBlockList, parseRule = core.isBlockList, core.parseBlockListRule

local M = { SocketAddress = SocketAddress, BlockList = BlockList }

-- ---- errors Node gives here -----------------------------------------------

local function invalidAddress()
  return errors.new('Error', 'ERR_INVALID_ADDRESS', 'Invalid socket address')
end

-- ERR_OUT_OF_RANGE, with Node's separators in a whole number above 2^32
-- ("Received 8_589_934_592").
local function outOfRange(name, range, value)
  if type(value) == 'number' and value == floor(value) and
      value > -1e21 and value < 1e21 and
      (value > 2 ^ 32 or value < -2 ^ 32) then
    local digits = format('%.0f', value)
    local start = value < 0 and 2 or 1
    local i, rest = #digits, ''
    while i >= start + 3 do
      rest = '_' .. sub(digits, i - 2, i) .. rest
      i = i - 3
    end
    return errors.new('RangeError', 'ERR_OUT_OF_RANGE', 'The value of "' ..
      name .. '" is out of range. It must be ' .. range .. '. Received ' ..
      sub(digits, 1, i) .. rest)
  end
  return errors.outOfRange(name, range, value)
end

-- Node's validateInt32 and validateUint32: a whole finite number in
-- [min, max].
local function validateInteger(value, name, min, max)
  if type(value) ~= 'number' then
    error(errors.invalidArgType(name, 'number', value), 3)
  end
  if value ~= floor(value) or value == huge or value == -huge then
    error(outOfRange(name, 'an integer', value), 3)
  end
  if value < min or value > max then
    error(outOfRange(name, '>= ' .. min .. ' && <= ' .. max, value), 3)
  end
  return floor(value)
end

---Raises Node's ERR_INVALID_ARG_TYPE unless value is a BlockList: the check
---of the blockList option of net.createServer, net.Socket and net.connect
---(name: 'options.blockList'). Returns value.
---@param value any
---@param name string
---@return net.BlockList
function M.validateBlockList(value, name)
  if not isBlockList(value) then
    error(errors.new('TypeError', 'ERR_INVALID_ARG_TYPE', 'The "' .. name ..
      '" property must be an net.BlockList. Received ' ..
      errors.received(value)), 2)
  end
  return value
end

-- ---- net.SocketAddress ----------------------------------------------------

-- 'ipv4' or 'ipv6' in any case: 4 or 6, or nil.
local function familyNumber(family)
  local f = type(family) == 'string' and lower(family)
  return f == 'ipv4' and 4 or f == 'ipv6' and 6 or nil
end

-- Node's SocketAddress constructor.
local function newAddress(options)
  if options == nil then options = {} end
  if type(options) ~= 'table' then
    error(errors.invalidArgType('options', 'table', options), 3)
  end
  local family, address = options.family, options.address
  if family == nil then family = 'ipv4' end
  -- As Node: the default address follows the family before its case is
  -- folded, so { family = 'IPV4' } means '::' and fails.
  if address == nil then address = family == 'ipv4' and '127.0.0.1' or '::' end
  local f = familyNumber(family)
  if not f then
    error(errors.invalidArgValue('options.family', options.family), 3)
  end
  if type(address) ~= 'string' then
    error(errors.invalidArgType('options.address', 'string', address), 3)
  end
  local port = options.port
  if port == nil then port = 0 end
  port = errors.validatePort(port, 'options.port')
  local flowlabel = options.flowlabel
  if flowlabel == nil then flowlabel = 0 end
  flowlabel = validateInteger(flowlabel, 'options.flowlabel', 0, 4294967295)
  if f == 4 then
    flowlabel = 0 -- an IPv4 address has none
  elseif flowlabel > 0xFFFFF then
    -- Node 22 aborts the process on a label above 20 bits.
    error(outOfRange('options.flowlabel', '>= 0 && <= 1048575', flowlabel), 3)
  end
  local sa = newSocketAddress(address, f, port, flowlabel)
  if not sa then error(invalidAddress(), 3) end
  return sa
end

---net.SocketAddress([options]) -> SocketAddress. options: address (default
---'127.0.0.1', or '::' for IPv6), family ('ipv4' or 'ipv6', any case;
---default 'ipv4'), port (0-65535, a number or a string of digits), flowlabel
---(IPv6 only; 0-1048575). Raises ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE
---(family), ERR_SOCKET_BAD_PORT, ERR_OUT_OF_RANGE (flowlabel),
---ERR_INVALID_ADDRESS (an address that is not of the family). Its fields
---address, port, family and flowlabel are read-only.
setmetatable(SocketAddress, {
  __call = function(_, options) return newAddress(options) end,
})

---SocketAddress.isSocketAddress(value) -> boolean
SocketAddress.isSocketAddress = isSocketAddress

---SocketAddress.parse(input) -> SocketAddress or nil: input as
---'1.2.3.4:8080' or '[::1]:8080' (the port optional), read as the host and
---port of an http:// URL are (so port 80, http's default, reads as 0).
---Raises ERR_INVALID_ARG_TYPE for a non-string.
function SocketAddress.parse(input)
  errors.validateString(input, 'input')
  return core.parseSocketAddress(input)
end

---address:toJSON() -> { address, port, family, flowlabel }
function SocketAddress:toJSON()
  errors.checkThis(self, isSocketAddress, 'SocketAddress', 'toJSON')
  return { address = self.address, port = self.port, family = self.family,
    flowlabel = self.flowlabel }
end

-- ---- net.BlockList --------------------------------------------------------

-- An address argument of a BlockList method: a SocketAddress, or a string
-- of family (default 'ipv4'), as Node's methods make one.
local function toAddress(value, name, family)
  if isSocketAddress(value) then return value end
  if type(value) ~= 'string' then
    error(errors.invalidArgType(name, 'string', value), 3)
  end
  if family == nil then family = 'ipv4' end
  if type(family) ~= 'string' then
    error(errors.invalidArgType('family', 'string', family), 3)
  end
  return newAddress({ address = value, family = family })
end

---net.BlockList() -> an empty BlockList.
setmetatable(BlockList, {
  __call = function() return core.newBlockList() end,
})

---BlockList.isBlockList(value) -> boolean
BlockList.isBlockList = isBlockList

---blockList:addAddress(address[, family]): blocks one address. address:
---a string of family ('ipv4', the default, or 'ipv6') or a SocketAddress.
function BlockList:addAddress(address, family)
  errors.checkThis(self, isBlockList, 'BlockList', 'addAddress')
  self:_addAddress(toAddress(address, 'address', family))
end

---blockList:addRange(start, end_[, family]): blocks start to end_, both
---included. Raises ERR_INVALID_ARG_VALUE when start comes after end_.
function BlockList:addRange(start, end_, family)
  errors.checkThis(self, isBlockList, 'BlockList', 'addRange')
  start = toAddress(start, 'start', family)
  end_ = toAddress(end_, 'end', family)
  if not self:_addRange(start, end_) then
    error(errors.invalidArgValue('start', start, 'must come before end'), 2)
  end
end

---blockList:addSubnet(network, prefix[, family]): blocks the addresses
---whose first prefix bits (0-32 for IPv4, 0-128 for IPv6) are network's.
function BlockList:addSubnet(network, prefix, family)
  errors.checkThis(self, isBlockList, 'BlockList', 'addSubnet')
  network = toAddress(network, 'network', family)
  validateInteger(prefix, 'prefix', 0, network.family == 'ipv4' and 32 or 128)
  self:_addSubnet(network, prefix)
end

---blockList:check(address[, family]) -> boolean: whether a rule matches
---address (a string of family, default 'ipv4', or a SocketAddress). An
---IPv4-mapped IPv6 address matches the rules of its IPv4 address and the
---other way round. An address that does not parse is not blocked (false).
function BlockList:check(address, family)
  errors.checkThis(self, isBlockList, 'BlockList', 'check')
  if isSocketAddress(address) then return self:_check(address) end
  if type(address) ~= 'string' then
    error(errors.invalidArgType('address', 'string', address), 2)
  end
  if family == nil then family = 'ipv4' end
  if type(family) ~= 'string' then
    error(errors.invalidArgType('family', 'string', family), 2)
  end
  local f = familyNumber(family)
  local sa = f and newSocketAddress(address, f, 0, 0)
  return sa ~= nil and self:_check(sa)
end

---blockList:toJSON() -> the rules (blockList.rules), newest first.
function BlockList:toJSON()
  errors.checkThis(self, isBlockList, 'BlockList', 'toJSON')
  return self.rules
end

-- ---- JSON.parse, for fromJSON's string form -------------------------------

-- V8's SyntaxError for JSON.parse: what, then where (' in JSON' unless
-- given), at 0-based position pos of src.
local function syntaxError(src, pos, what, where)
  local line, column = 1, pos + 1
  for i = 1, pos do
    if byte(src, i) == 10 then line, column = line + 1, pos - i + 1 end
  end
  return errors.new('SyntaxError', nil, what .. (where or ' in JSON') ..
    ' at position ' .. pos .. ' (line ' .. line .. ' column ' .. column ..
    ')')
end

-- V8's message for a character no JSON value begins with, quoting the
-- source whole, or ten characters about the position if it is long.
local function unexpected(src, pos)
  if pos >= #src then
    return errors.new('SyntaxError', nil, 'Unexpected end of JSON input')
  end
  local c = sub(src, pos + 1, pos + 1)
  local context
  if #src <= 21 then
    context = '"' .. src .. '"'
  elseif pos < 10 then
    context = '"' .. sub(src, 1, pos + 10) .. '"...'
  elseif pos >= #src - 10 then
    context = '..."' .. sub(src, pos - 9) .. '"'
  else
    context = '..."' .. sub(src, pos - 9, pos + 10) .. '"...'
  end
  return errors.new('SyntaxError', nil, "Unexpected token '" .. c .. "', " ..
    context .. ' is not valid JSON')
end

local escapes = { ['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b',
  f = '\f', n = '\n', r = '\r', t = '\t' }

-- What JSON's null and objects read as inside fromJSON: neither may be
-- in a list of rules.
local NULL, Object = {}, {}
local literals = { ['true'] = true, ['false'] = false, null = NULL }

-- Reads the JSON value at 0-based position pos of src; returns it and the
-- position after it. An array is a list, an object a table whose
-- metatable is Object, null is NULL.
local function readValue(src, pos)
  local _, ws = find(src, '^[ \t\n\r]*', pos + 1)
  pos = ws
  local c = sub(src, pos + 1, pos + 1)
  if c == '"' then
    local parts, i = {}, pos + 2
    while true do
      local j = find(src, '["\\%z\1-\31]', i)
      if not j then
        error(syntaxError(src, #src, 'Unterminated string'), 0)
      end
      parts[#parts + 1] = sub(src, i, j - 1)
      local d = sub(src, j, j)
      if d == '"' then return concat(parts), j end
      if d ~= '\\' then
        error(syntaxError(src, j - 1, 'Bad control character in string ' ..
          'literal'), 0)
      end
      local e = sub(src, j + 1, j + 1)
      if escapes[e] then
        parts[#parts + 1] = escapes[e]
        i = j + 2
      elseif e == 'u' then
        for k = j + 2, j + 5 do
          if not find(sub(src, k, k), '^%x$') then
            error(syntaxError(src, k - 1, 'Bad Unicode escape'), 0)
          end
        end
        local cp = tonumber(sub(src, j + 2, j + 5), 16)
        i = j + 6
        local lo = sub(src, i, i + 1) == '\\u' and
          tonumber(sub(src, i + 2, i + 5), 16)
        if cp >= 0xD800 and cp < 0xDC00 and lo and lo >= 0xDC00 and
            lo < 0xE000 and #sub(src, i + 2, i + 5) == 4 and
            find(sub(src, i + 2, i + 5), '^%x+$') then
          cp = 0x10000 + (cp - 0xD800) * 0x400 + (lo - 0xDC00)
          i = i + 6
        end
        parts[#parts + 1] = utf8char(cp)
      else
        error(syntaxError(src, j, 'Bad escaped character'), 0)
      end
    end
  elseif c == '[' then
    local t, n = {}, 0
    local _, e = find(src, '^[ \t\n\r]*', pos + 2)
    if sub(src, e + 1, e + 1) == ']' then return t, e + 1 end
    pos = pos + 1
    while true do
      local v
      v, pos = readValue(src, pos)
      n = n + 1
      t[n] = v
      _, pos = find(src, '^[ \t\n\r]*', pos + 1)
      local d = sub(src, pos + 1, pos + 1)
      if d == ']' then return t, pos + 1 end
      if d ~= ',' then
        if d == '' then error(unexpected(src, pos), 0) end
        error(syntaxError(src, pos, "Expected ',' or ']' after array " ..
          'element'), 0)
      end
      pos = pos + 1
    end
  elseif c == '{' then
    local t = setmetatable({}, Object)
    pos = pos + 1
    local first = true
    while true do
      _, pos = find(src, '^[ \t\n\r]*', pos + 1)
      local d = sub(src, pos + 1, pos + 1)
      if first and d == '}' then return t, pos + 1 end
      if d ~= '"' then
        error(syntaxError(src, pos, first and "Expected property name " ..
          "or '}'" or 'Expected double-quoted property name'), 0)
      end
      local k
      k, pos = readValue(src, pos)
      _, pos = find(src, '^[ \t\n\r]*', pos + 1)
      if sub(src, pos + 1, pos + 1) ~= ':' then
        error(syntaxError(src, pos, "Expected ':' after property name"), 0)
      end
      t[k], pos = readValue(src, pos + 1)
      _, pos = find(src, '^[ \t\n\r]*', pos + 1)
      d = sub(src, pos + 1, pos + 1)
      if d == '}' then return t, pos + 1 end
      if d ~= ',' then
        error(syntaxError(src, pos, "Expected ',' or '}' after property " ..
          'value'), 0)
      end
      pos = pos + 1
      first = false
    end
  elseif find(c, '^[%-%d]') then
    local s, e = find(src, '^%-?%d+', pos + 1)
    if not s then
      error(syntaxError(src, pos + 1, 'No number after minus sign'), 0)
    end
    if find(src, '^%-?0%d', pos + 1) then
      error(syntaxError(src, s + (byte(src, s) == 45 and 1 or 0),
        'Unexpected number'), 0)
    end
    if sub(src, e + 1, e + 1) == '.' then
      local _, f = find(src, '^%d+', e + 2)
      if not f then
        error(syntaxError(src, e + 1, 'Unterminated fractional number'), 0)
      end
      e = f
    end
    if find(src, '^[eE]', e + 1) then
      local _, x = find(src, '^[eE][+-]?%d+', e + 1)
      if not x then
        local _, sign = find(src, '^[eE][+-]?', e + 1)
        error(syntaxError(src, sign, 'Exponent part is missing a number'), 0)
      end
      e = x
    end
    return tonumber(sub(src, pos + 1, e)), e
  else
    local word = c == 't' and 'true' or c == 'f' and 'false' or
      c == 'n' and 'null'
    if not word then error(unexpected(src, pos), 0) end
    for i = 2, #word do -- V8 points at the first character that differs
      if sub(src, pos + i, pos + i) ~= sub(word, i, i) then
        error(unexpected(src, pos + i - 1), 0)
      end
    end
    return literals[word], pos + #word
  end
end

-- JSON.parse(src) as V8 does it, with its SyntaxError messages.
local function parseJSON(src)
  local value, pos = readValue(src, 0)
  local _, e = find(src, '^[ \t\n\r]*', pos + 1)
  if e < #src then
    error(syntaxError(src, e, 'Unexpected non-whitespace character after ' ..
      'JSON', ''), 0)
  end
  if value == NULL then return nil end
  return value
end

-- ---- fromJSON -------------------------------------------------------------

-- Whether t is a list of strings (an array, in Node's words).
local function isStringList(t)
  if type(t) ~= 'table' or getmetatable(t) ~= nil then return false end
  local n = 0
  for k, v in pairs(t) do
    if type(v) ~= 'string' or math_type(k) ~= 'integer' or k < 1 then
      return false
    end
    n = n + 1
  end
  return n == #t
end

---blockList:fromJSON(data): adds the rules of data, a list of rule texts as
---toJSON() gives them (or that list as JSON text), in order; a line that
---holds no rule is skipped. Node 22 reads each with a regular expression
---that takes no IPv4-mapped IPv6 form ('::ffff:1.2.3.4'), and so does this.
---Raises ERR_INVALID_ARG_TYPE (data is neither), SyntaxError (bad JSON),
---and what addAddress, addRange and addSubnet raise for a bad rule.
function BlockList:fromJSON(data)
  errors.checkThis(self, isBlockList, 'BlockList', 'fromJSON')
  local list = data
  if type(data) == 'string' then list = parseJSON(data) end
  if not isStringList(list) then
    error(errors.new('TypeError', 'ERR_INVALID_ARG_TYPE', 'The "data" ' ..
      'argument must be of type string or string[]. Received ' ..
      errors.received(list)), 2)
  end
  for _, line in ipairs(list) do
    local kind, family, a, b = parseRule(line)
    if kind == 'Subnet' then
      self:addSubnet(a, b, family)
    elseif kind == 'Address' then
      self:addAddress(a, family)
    elseif kind == 'Range' then
      self:addRange(a, b, family)
    end
  end
end

return M
