-- assert: Node's lib/assert.js for Lua scripts. Failures raise
-- AssertionError tables (lib/internal/assert/assertion_error.js): name
-- 'AssertionError', code 'ERR_ASSERTION', a message worded as Node words
-- it, and actual, expected, operator, generatedMessage. Values in messages
-- are written as Lua constructors, one entry a line with sorted keys, as
-- Node's assert writes them (inspect with compact: false, sorted: true);
-- strings in single quotes, as Node quotes them.
--
-- Node's equalities in Lua's terms:
--   equal (JS ==): Lua's == (so __eq applies), and a number equals a string
--     that tonumber reads as that number (1 == '1' in JS); NaN equals NaN.
--   strictEqual (Object.is): rawequal, except that NaN is NaN and 0.0 is
--     not -0.0. 1 and 1.0 are one value, as for Lua's rawequal.
--   deepStrictEqual: rawequal tables, or tables whose raw keys (matched by
--     identity, as table keys are) hold deep-strictly equal values and whose
--     metatables are the same table (Node compares prototypes). A pair of
--     tables met again while comparing them counts as equal, so cycles end.
--   deepEqual: the same with equal at the leaves, metatables ignored.

local errors = require('errors')
local util = require('util')

local type, tostring, tonumber, select, next, ipairs = type, tostring,
  tonumber, select, next, ipairs
local rawequal, rawget, rawlen, getmetatable, setmetatable, pcall, error =
  rawequal, rawget, rawlen, getmetatable, setmetatable, pcall, error
local getinfo, io_open = debug.getinfo, io.open
local math_type, floor, huge = math.type, math.floor, math.huge
local min, max = math.min, math.max
local concat, sort = table.concat, table.sort
local find, format = string.find, string.format
local isError, newError = errors.isError, errors.new

-- Where this file's functions run: the caller of ok() is the first frame
-- from elsewhere.
local SOURCE = getinfo(1, 'S').source

local M = {}

-- ---- writing values -------------------------------------------------------

local escapes = { ['\n'] = '\\n', ['\t'] = '\\t', ['\r'] = '\\r',
  ['\\'] = '\\\\', ["'"] = "\\'", ['"'] = '\\"' }

-- Node's strEscape: single quotes, or double ones when that saves escapes.
local function quote(s)
  local q = "'"
  if s:find("'", 1, true) and not s:find('"', 1, true) then q = '"' end
  return q .. s:gsub('[%c\\' .. q .. ']', function(c)
    return escapes[c] or format('\\x%02X', c:byte())
  end) .. q
end

local function number(n)
  if n ~= n then return 'nan' end
  if n == huge then return 'math.huge' end
  if n == -huge then return '-math.huge' end
  if math_type(n) == 'float' and n == floor(n) and n > -1e15 and n < 1e15 then
    return format('%.1f', n)
  end
  local s = tostring(n)
  if tonumber(s) ~= n then s = format('%.17g', n) end
  return s
end

local keywords = {}
for w in ([[and break do else elseif end false for function goto if in
  local nil not or repeat return then true until while]]):gmatch('%a+') do
  keywords[w] = true
end

local typeOrder = { number = 1, string = 2, boolean = 3 }

local function keyLess(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then
    local oa, ob = typeOrder[ta] or 9, typeOrder[tb] or 9
    if oa ~= ob then return oa < ob end
    return ta < tb
  end
  if ta == 'number' or ta == 'string' then return a < b end
  return tostring(a) < tostring(b)
end

local write

local function writeTable(t, seen, indent)
  if seen[t] then return '<cycle>' end
  seen[t] = true
  local items, n, keys = {}, rawlen(t), {}
  for i = 1, n do items[i] = write(rawget(t, i), seen, indent .. '  ') end
  for k in next, t do
    if not (math_type(k) == 'integer' and k >= 1 and k <= n) then
      keys[#keys + 1] = k
    end
  end
  sort(keys, keyLess)
  for _, k in ipairs(keys) do
    local key = k
    if type(k) ~= 'string' or not k:find('^[%a_][%w_]*$') or keywords[k] then
      key = '[' .. write(k, seen, indent .. '  ') .. ']'
    end
    items[#items + 1] = key .. ' = ' ..
      write(rawget(t, k), seen, indent .. '  ')
  end
  seen[t] = nil
  local mt = getmetatable(t)
  local name = type(mt) == 'table' and rawget(mt, '__name')
  -- Node writes the class: the metatable's __name, else a mark that there
  -- is one.
  local prefix = type(name) == 'string' and name .. ' ' or
    mt ~= nil and '<metatable> ' or ''
  if #items == 0 then return prefix .. '{}' end
  return prefix .. '{\n' .. indent .. '  ' ..
    concat(items, ',\n' .. indent .. '  ') .. '\n' .. indent .. '}'
end

function write(v, seen, indent)
  local t = type(v)
  if t == 'string' then return quote(v) end
  if t == 'number' then return number(v) end
  if t == 'table' then return writeTable(v, seen, indent) end
  if t == 'userdata' then return (util.inspect(v)) end
  if t == 'function' or t == 'thread' then return '<' .. t .. '>' end
  return tostring(v)
end

-- Node's inspectValue: the whole value, every table entry on its own line.
local function inspect(v)
  return write(v, {}, '')
end

local function lines(s)
  local list = {}
  for line in (s .. '\n'):gmatch('([^\n]*)\n') do list[#list + 1] = line end
  return list
end

-- ---- equality -------------------------------------------------------------

local function sameValue(a, b)
  if rawequal(a, b) then return a ~= 0 or 1 / a == 1 / b end
  return a ~= a and b ~= b
end

local function looseEqual(a, b)
  if a == b or (a ~= a and b ~= b) then return true end
  local ta, tb = type(a), type(b)
  if ta == 'number' and tb == 'string' then return a == tonumber(b) end
  if ta == 'string' and tb == 'number' then return tonumber(a) == b end
  return false
end

local function deepEqual(a, b, strict, memo)
  if strict then
    if sameValue(a, b) then return true end
  elseif looseEqual(a, b) then
    return true
  end
  if type(a) ~= 'table' or type(b) ~= 'table' then return false end
  if strict and not rawequal(getmetatable(a), getmetatable(b)) then
    return false
  end
  local met = memo[a]
  if met and met[b] then return true end
  if not met then met = {}; memo[a] = met end
  met[b] = true
  for k, v in next, a do
    local w = rawget(b, k)
    if w == nil or not deepEqual(v, w, strict, memo) then return false end
  end
  for k in next, b do
    if rawget(a, k) == nil then return false end
  end
  return true
end

local function isDeepStrictEqual(a, b)
  return deepEqual(a, b, true, {})
end

-- ---- messages (internal/assert/assertion_error.js) -----------------------

local readable = {
  deepStrictEqual = 'Expected values to be strictly deep-equal:',
  strictEqual = 'Expected values to be strictly equal:',
  strictEqualObject = 'Expected "actual" to be reference-equal to "expected":',
  deepEqual = 'Expected values to be loosely deep-equal:',
  notDeepStrictEqual = 'Expected "actual" not to be strictly deep-equal to:',
  notStrictEqual = 'Expected "actual" to be strictly unequal to:',
  notStrictEqualObject =
    'Expected "actual" not to be reference-equal to "expected":',
  notDeepEqual = 'Expected "actual" not to be loosely deep-equal to:',
  notIdentical = 'Values have same structure but are not reference-equal:',
  notDeepEqualUnequal = 'Expected values not to be loosely deep-equal:',
}

-- What JS's typeof calls 'object' (null aside); with functions, what is
-- compared by reference.
local function isObject(v)
  local t = type(v)
  return t == 'table' or t == 'userdata' or t == 'thread'
end

local function isReference(v)
  return isObject(v) or type(v) == 'function'
end

local function given(message)
  return message ~= nil and message ~= ''
end

-- At most 47 lines, the last of them '...'.
local function shorten(list)
  if #list > 50 then
    list[47] = '...'
    for k = #list, 48, -1 do list[k] = nil end
  end
  return list
end

-- Node's createErrDiff: actual against expected, line by line, "+" for
-- actual and "-" for expected, long runs of equal lines skipped. Lines are
-- counted from 0 as in Node, so the port reads alongside it.
local function createErrDiff(actual, expected, operator, message)
  local other, res, tail, skipped = '', '', '', false
  local actualInspected = inspect(actual)
  local actualLines, expectedLines = lines(actualInspected),
    lines(inspect(expected))
  local i, indicator = 0, ''
  if operator == 'strictEqual' and ((isObject(actual) and isObject(expected))
      or (type(actual) == 'function' and type(expected) == 'function')) then
    operator = 'strictEqualObject'
  end
  local header = given(message) and tostring(message) or readable[operator]

  if #actualLines == 1 and #expectedLines == 1 and
      actualLines[1] ~= expectedLines[1] then
    local a, b = actualLines[1], expectedLines[1]
    local inputLength = #a + #b
    if inputLength <= 12 then
      if not isObject(actual) and not isObject(expected) and
          (actual ~= 0 or expected ~= 0) then
        return header .. '\n\n' .. a .. ' !== ' .. b .. '\n'
      end
    elseif operator ~= 'strictEqualObject' and inputLength < 80 then
      while a:sub(i + 1, i + 1) == b:sub(i + 1, i + 1) do i = i + 1 end
      if i > 2 then
        indicator = '\n  ' .. (' '):rep(i) .. '^'
        i = 0
      end
    end
  end

  -- Drop the equal lines at the end, keeping three of them to show.
  local na, nb = #actualLines, #expectedLines
  while actualLines[na] == expectedLines[nb] do
    if i < 3 then
      tail = '\n  ' .. actualLines[na] .. tail
    else
      other = actualLines[na]
    end
    i = i + 1
    actualLines[na], expectedLines[nb] = nil, nil
    na, nb = na - 1, nb - 1
    if na == 0 or nb == 0 then break end
  end

  local maxLines = max(na, nb)
  if maxLines == 0 then
    return readable.notIdentical .. '\n\n' ..
      concat(shorten(lines(actualInspected)), '\n') .. '\n'
  end
  if i >= 5 then
    tail = '\n...' .. tail
    skipped = true
  end
  if other ~= '' then
    tail = '\n  ' .. other .. tail
    other = ''
  end

  local printedLines, identical = 0, 0
  local msg = header .. '\n+ actual - expected'
  local skippedMsg = ' ... Lines skipped'
  local list, plusMinus, maxLength = actualLines, '+', nb
  if na < maxLines then list, plusMinus, maxLength = expectedLines, '-', na end

  -- Show the equal lines before a difference: up to three, or two around
  -- '...' when there were more than five.
  local function context(from, j)
    if identical > 2 then
      if identical > 3 then
        if identical > 4 then
          if identical == 5 then
            res = res .. '\n  ' .. from[j - 3 + 1]
            printedLines = printedLines + 1
          else
            res = res .. '\n...'
            skipped = true
          end
        end
        res = res .. '\n  ' .. from[j - 2 + 1]
        printedLines = printedLines + 1
      end
      res = res .. '\n  ' .. from[j - 1 + 1]
      printedLines = printedLines + 1
    end
    identical = 0
  end

  for j = 0, maxLines - 1 do
    if maxLength < j + 1 then
      -- Only one side has lines left.
      context(list, j)
      if list == actualLines then
        res = res .. '\n' .. plusMinus .. ' ' .. list[j + 1]
      else
        other = other .. '\n' .. plusMinus .. ' ' .. list[j + 1]
      end
      printedLines = printedLines + 1
    else
      local expectedLine, actualLine = expectedLines[j + 1], actualLines[j + 1]
      -- Lines that differ only by a trailing comma are equal.
      local diverging = actualLine ~= expectedLine and
        (actualLine:sub(-1) ~= ',' or actualLine:sub(1, -2) ~= expectedLine)
      if diverging and expectedLine:sub(-1) == ',' and
          expectedLine:sub(1, -2) == actualLine then
        diverging = false
        actualLine = actualLine .. ','
      end
      if diverging then
        context(actualLines, j)
        res = res .. '\n+ ' .. actualLine
        other = other .. '\n- ' .. expectedLine
        printedLines = printedLines + 2
      else
        res = res .. other
        other = ''
        identical = identical + 1
        if identical <= 2 then
          res = res .. '\n  ' .. actualLine
          printedLines = printedLines + 1
        end
      end
    end
    if printedLines > 50 and j < maxLines - 2 then
      return msg .. skippedMsg .. '\n' .. res .. '\n...' .. other .. '\n...'
    end
  end
  return msg .. (skipped and skippedMsg or '') .. '\n' .. res .. other ..
    tail .. indicator
end

local function truncate(s, n)
  if #s > n then return s:sub(1, n - 3) .. '...' end
  return s
end

-- The message Node's AssertionError constructor makes when none is given.
local function generated(actual, expected, operator)
  if operator == 'notDeepStrictEqual' or operator == 'notStrictEqual' then
    local base = readable[operator]
    if operator == 'notStrictEqual' and isReference(actual) then
      base = readable.notStrictEqualObject
    end
    local res = shorten(lines(inspect(actual)))
    if #res == 1 then
      return base .. (#res[1] > 5 and '\n\n' or ' ') .. res[1]
    end
    return base .. '\n\n' .. concat(res, '\n') .. '\n'
  end
  local res, other = inspect(actual), inspect(expected)
  if operator == 'notDeepEqual' and res == other then
    return truncate(readable.notDeepEqual .. '\n\n' .. res, 1024)
  end
  res, other = truncate(res, 512), truncate(other, 512)
  if operator == 'deepEqual' then
    return readable.deepEqual .. '\n\n' .. res ..
      '\n\nshould loosely deep-equal\n\n' .. other
  elseif operator == 'notDeepEqual' then
    return readable.notDeepEqualUnequal .. '\n\n' .. res ..
      '\n\nshould not loosely deep-equal\n\n' .. other
  end
  return res .. ' ' .. tostring(operator) .. ' ' .. other
end

-- new AssertionError({ actual, expected, operator, message }).
local function AssertionError(actual, expected, operator, message)
  local text
  if operator == 'deepStrictEqual' or operator == 'strictEqual' then
    text = createErrDiff(actual, expected, operator, message)
  elseif message == nil then
    text = generated(actual, expected, operator)
  else
    text = tostring(message)
  end
  return newError('AssertionError', 'ERR_ASSERTION', text, {
    generatedMessage = not given(message), actual = actual,
    expected = expected, operator = operator })
end

-- Node's innerFail: an error table given as the message is raised as is.
local function fail(actual, expected, operator, message)
  if isError(message) then error(message, 0) end
  error(AssertionError(actual, expected, operator, message), 0)
end

local function needTwo(n)
  if n < 2 then error(errors.missingArgs('actual', 'expected'), 0) end
end

-- ---- ok and its source line ---------------------------------------------

-- The frame that called into this file and the name it called us by, or
-- nil when that frame is gone (a tail call) or runs no Lua.
local function callSite()
  local level = 3
  while true do
    local info = getinfo(level, 'Sl')
    if not info then return nil end
    if info.source ~= SOURCE then
      local inner = getinfo(level - 1, 'nt')
      if inner.istailcall or info.currentline < 1 then return nil end
      return info, inner.name
    end
    level = level + 1
  end
end

-- Up to 50 lines of the caller's chunk from its current line on: the file
-- for '@path', the chunk itself for a string chunk, nothing for '=name'.
local function sourceText(info)
  local src, first, text = info.source, info.currentline, nil
  if src:sub(1, 1) == '@' then
    local f = io_open(src:sub(2), 'rb')
    if not f then return nil end
    text = f:read('a')
    f:close()
  elseif src:sub(1, 1) ~= '=' then
    text = src
  end
  local list = text and lines(text)
  if not list or first > #list then return nil end
  return (concat(list, '\n', first, min(#list, first + 49)):gsub('\r', ''))
end

-- Node's getErrMessage: the call expression that passed the falsy value.
-- Lua gives no column, so the call is the first one on the line made by
-- the name the caller used (else the first call there), its arguments up
-- to the balanced ')': a ')' inside a string argument can cut it short.
local function falsyMessage()
  local info, called = callSite()
  local code = info and sourceText(info)
  if not code then return nil end
  local line, start, open = code:match('^[^\n]*'), nil, nil
  for paren in line:gmatch('()%(') do
    local s, name = line:sub(1, paren - 1):match('()([%a_][%w_%.:]*)%s*$')
    if s and name:match('[%w_]+$') == called then
      start, open = s, paren
      break
    end
    if s and not start then start, open = s, paren end
  end
  local args = open and code:match('^%b()', open)
  if not args then return nil end
  local expr = code:sub(start, open - 1) .. args
  -- Continuation lines lose their indentation up to the call's column.
  local column = start - 1
  expr = expr:gsub('\n([ \t]*)', function(ws)
    return '\n  ' .. ws:sub(column + 1)
  end)
  return 'The expression evaluated to a falsy value:\n\n  ' .. expr .. '\n'
end

local function innerOk(n, value, message)
  if value then return end
  local generatedMessage = false
  if n == 0 then
    generatedMessage = true
    message = 'No value argument passed to `assert.ok()`'
  elseif message == nil then
    generatedMessage = true
    message = falsyMessage()
  elseif isError(message) then
    error(message, 0)
  end
  local err = AssertionError(value, true, '==', message)
  err.generatedMessage = generatedMessage
  error(err, 0)
end

---assert.ok(value[, message]), also assert(value[, message]): raises
---unless value is truthy (not false or nil). The generated message quotes
---the call from the caller's source, as Node's does: "The expression
---evaluated to a falsy value:\n\n  assert(x)\n"; "false == true" when the
---source cannot be read (a '-e' chunk, a tail call).
---@param value any
---@param message? string|table  replaces the message; an error table is
---raised as it is
function M.ok(...)
  innerOk(select('#', ...), ...)
end

-- ---- equalities -------------------------------------------------------------

---assert.equal(actual, expected[, message]): Node's loose ==, in Lua
---terms: Lua's ==, or a number and a string reading as that number; NaN
---equals NaN. Raises an AssertionError ("1 == 2", operator '=='), or
---ERR_MISSING_ARGS with fewer than two arguments.
---@param actual any
---@param expected any
---@param message? string|table
function M.equal(...)
  needTwo(select('#', ...))
  local actual, expected, message = ...
  if not looseEqual(actual, expected) then
    fail(actual, expected, '==', message)
  end
end

---assert.notEqual(actual, expected[, message]): the opposite of equal
---(operator '!=').
---@param actual any
---@param expected any
---@param message? string|table
function M.notEqual(...)
  needTwo(select('#', ...))
  local actual, expected, message = ...
  if looseEqual(actual, expected) then
    fail(actual, expected, '!=', message)
  end
end

---assert.strictEqual(actual, expected[, message]): Node's Object.is, in
---Lua terms rawequal, with NaN equal to NaN and 0.0 unequal to -0.0.
---Raises an AssertionError with Node's diff ("Expected values to be
---strictly equal:\n\n1 !== 2\n"); a message replaces its first line.
---@param actual any
---@param expected any
---@param message? string|table
function M.strictEqual(...)
  needTwo(select('#', ...))
  local actual, expected, message = ...
  if not sameValue(actual, expected) then
    fail(actual, expected, 'strictEqual', message)
  end
end

---assert.notStrictEqual(actual, expected[, message]): the opposite of
---strictEqual ('Expected "actual" to be strictly unequal to: 1').
---@param actual any
---@param expected any
---@param message? string|table
function M.notStrictEqual(...)
  needTwo(select('#', ...))
  local actual, expected, message = ...
  if sameValue(actual, expected) then
    fail(actual, expected, 'notStrictEqual', message)
  end
end

---assert.deepStrictEqual(actual, expected[, message]): strictEqual for
---values, and for tables the same raw keys holding deep-strictly equal
---values under the same metatable; cycles are followed once. Raises an
---AssertionError with Node's line diff; a message replaces its first line.
---@param actual any
---@param expected any
---@param message? string|table
function M.deepStrictEqual(...)
  needTwo(select('#', ...))
  local actual, expected, message = ...
  if not isDeepStrictEqual(actual, expected) then
    fail(actual, expected, 'deepStrictEqual', message)
  end
end

---assert.notDeepStrictEqual(actual, expected[, message]): the opposite of
---deepStrictEqual.
---@param actual any
---@param expected any
---@param message? string|table
function M.notDeepStrictEqual(...)
  needTwo(select('#', ...))
  local actual, expected, message = ...
  if isDeepStrictEqual(actual, expected) then
    fail(actual, expected, 'notDeepStrictEqual', message)
  end
end

---assert.deepEqual(actual, expected[, message]): deepStrictEqual with
---equal at the leaves and metatables ignored (Node's loose deep equality).
---@param actual any
---@param expected any
---@param message? string|table
function M.deepEqual(...)
  needTwo(select('#', ...))
  local actual, expected, message = ...
  if not deepEqual(actual, expected, false, {}) then
    fail(actual, expected, 'deepEqual', message)
  end
end

---assert.notDeepEqual(actual, expected[, message]): the opposite of
---deepEqual.
---@param actual any
---@param expected any
---@param message? string|table
function M.notDeepEqual(...)
  needTwo(select('#', ...))
  local actual, expected, message = ...
  if deepEqual(actual, expected, false, {}) then
    fail(actual, expected, 'notDeepEqual', message)
  end
end

-- ---- fail, ifError ----------------------------------------------------------

---assert.fail([message]): raises an AssertionError with the message
---('Failed' when none; operator 'fail'), or the message itself when it is
---an error table. Node's deprecated fail(actual, expected[, message[,
---operator]]) form works too ("1 != 2").
---@param message? string|table
function M.fail(...)
  local n, actual, expected, message, operator = select('#', ...), ...
  if actual == nil and n <= 1 then
    local err = AssertionError(nil, nil, 'fail', 'Failed')
    err.generatedMessage = true
    error(err, 0)
  elseif n == 1 then
    message, actual = actual, nil
  elseif n == 2 then
    operator = '!='
  end
  fail(actual, expected, operator or 'fail', message)
end

---assert.ifError(value): raises unless value is nil, as Node's does unless
---null or undefined: "ifError got unwanted exception: " and the error's
---message (or the value written out), operator 'ifError'.
---@param value any
function M.ifError(value)
  if value == nil then return end
  local message = 'ifError got unwanted exception: '
  if type(value) == 'table' and type(value.message) == 'string' then
    if value.message == '' and value.name ~= nil then
      message = message .. tostring(value.name)
    else
      message = message .. value.message
    end
  else
    message = message .. inspect(value)
  end
  error(AssertionError(value, nil, 'ifError', message), 0)
end

-- ---- throws, doesNotThrow -----------------------------------------------

-- A string stands for Node's RegExp: it matches when found in
-- tostring(err) (Node's String(err)) as plain text or as a Lua pattern.
local function matches(err, pattern)
  local s = tostring(err)
  if find(s, pattern, 1, true) then return true end
  local ok, found = pcall(find, s, pattern)
  return ok and found ~= nil
end

-- For Comparison tables: written as "Comparison { ... }".
local Comparison = { __name = 'Comparison' }

-- Node's expectedException: checks the error actual against expected (a
-- pattern, a validator, or a table of fields), raising when it fails.
local function expectedException(actual, expected, message, operator)
  local text
  if type(expected) == 'string' then
    if matches(actual, expected) then return end
    text = 'The input did not match the pattern ' .. quote(expected) ..
      '. Input:\n\n' .. quote(tostring(actual)) .. '\n'
  elseif type(expected) == 'function' then
    local res = expected(actual)
    if res == true then return end
    text = 'The validation function is expected to return "true". ' ..
      'Received ' .. inspect(res)
    if isError(actual) or type(actual) == 'string' then
      text = text .. '\n\nCaught error:\n\n' .. tostring(actual)
    end
  elseif type(actual) ~= 'table' then
    local err = AssertionError(actual, expected, 'deepStrictEqual', message)
    err.operator = operator
    error(err, 0)
  else
    -- A table of fields, each deep-strictly equal in the error (an error
    -- table holds its name and message as fields, so they count too).
    local keys = {}
    for k in next, expected do keys[#keys + 1] = k end
    if #keys == 0 then
      error(newError('TypeError', 'ERR_INVALID_ARG_VALUE', "The argument " ..
        "'error' may not be an empty object. Received {}"), 0)
    end
    for _, key in ipairs(keys) do
      local value = actual[key]
      if value == nil or not isDeepStrictEqual(value, expected[key]) then
        if given(message) then fail(actual, expected, operator, message) end
        local a, b = setmetatable({}, Comparison),
          setmetatable({}, Comparison)
        for _, k in ipairs(keys) do
          a[k], b[k] = actual[k], expected[k]
        end
        local err = AssertionError(a, b, 'deepStrictEqual')
        err.actual, err.expected, err.operator = actual, expected, operator
        error(err, 0)
      end
    end
    return
  end
  local err = AssertionError(actual, expected, operator,
    given(message) and message or text)
  err.generatedMessage = not given(message)
  error(err, 0)
end

local function validateExpected(expected)
  local t = type(expected)
  if t ~= 'nil' and t ~= 'string' and t ~= 'function' and t ~= 'table' then
    error(errors.invalidArgType('error', { 'function', 'string', 'table' },
      expected), 0)
  end
end

---assert.throws(fn[, expected][, message]): calls fn() and raises unless
---it raises an error matching expected: a table of fields the error must
---hold, deep-strictly equal ({ code = 'ERR_X' }, Node's validation
---object), a validator function that must return true, or a Lua pattern
---found in tostring(err) (Node's RegExp, tried against String(err)).
---Raises "Missing expected exception." (or ": message") when fn returns;
---ERR_INVALID_ARG_TYPE when fn is not a function or expected none of
---those; ERR_INVALID_ARG_VALUE for an empty table. Errors the validator
---raises go through.
---@param fn function
---@param expected? table|function|string
---@param message? string|table
function M.throws(fn, expected, message)
  errors.validateFunction(fn, 'fn')
  local ok, actual = pcall(fn)
  validateExpected(expected)
  if ok then
    local details = ''
    if type(expected) == 'table' and expected.name ~= nil then
      details = ' (' .. tostring(expected.name) .. ')'
    end
    details = details .. (given(message) and ': ' .. tostring(message) or '.')
    fail(nil, expected, 'throws', 'Missing expected exception' .. details)
  end
  if expected ~= nil then
    expectedException(actual, expected, message, 'throws')
  end
end

---assert.doesNotThrow(fn[, expected][, message]): calls fn() and raises
---"Got unwanted exception." when it raises, or only when the error matches
---expected (a validator function or a Lua pattern, as for throws); an
---error that does not match is raised again as it is.
---@param fn function
---@param expected? function|string
---@param message? string|table
function M.doesNotThrow(fn, expected, message)
  errors.validateFunction(fn, 'fn')
  local ok, actual = pcall(fn)
  if ok then return end
  local t = type(expected)
  if t ~= 'nil' and t ~= 'string' and t ~= 'function' then
    error(errors.invalidArgType('expected', { 'function', 'string' },
      expected), 0)
  end
  if expected == nil or (t == 'string' and matches(actual, expected)) or
      (t == 'function' and expected(actual) == true) then
    local shown = type(actual) == 'table' and actual.message or actual
    fail(actual, expected, 'doesNotThrow', 'Got unwanted exception' ..
      (given(message) and ': ' .. tostring(message) or '.') ..
      '\nActual message: "' .. tostring(shown) .. '"')
  end
  error(actual, 0)
end

-- Raises the AssertionError of match/doesNotMatch: message if given,
-- else Node's text (then generatedMessage is true).
local function failMatch(str, pattern, operator, message, text)
  if given(message) then fail(str, pattern, operator, message) end
  local err = AssertionError(str, pattern, operator, text)
  err.generatedMessage = true
  error(err, 0)
end

-- Node's assert.match and doesNotMatch, with a Lua pattern for the RegExp.
local function match(str, pattern, message, wanted, operator)
  if type(pattern) ~= 'string' then
    error(errors.invalidArgType('regexp', 'string', pattern), 0)
  end
  if type(str) ~= 'string' then
    failMatch(str, pattern, operator, message, 'The "string" argument ' ..
      'must be of type string. Received ' .. errors.received(str))
  end
  local ok, at = pcall(find, str, pattern)
  if not ok then -- Node's RegExp would not have compiled either
    error(errors.invalidArgValue('regexp', pattern, 'is not a Lua pattern'), 0)
  end
  if (at ~= nil) ~= wanted then
    failMatch(str, pattern, operator, message, (wanted and
      'The input did not match the regular expression /' or
      'The input was expected to not match the regular expression /') ..
      pattern .. '/. Input:\n\n' .. inspect(str) .. '\n')
  end
end

---assert.match(str, pattern[, message]): raises unless the string str
---matches the Lua pattern (Node's RegExp), with Node's message: "The
---input did not match the regular expression /pattern/. Input: ...".
---Raises an AssertionError when str is no string, ERR_INVALID_ARG_TYPE
---when pattern is none, ERR_INVALID_ARG_VALUE when it is no valid Lua
---pattern.
---@param str string
---@param pattern string
---@param message? string|table
function M.match(str, pattern, message)
  match(str, pattern, message, true, 'match')
end

---assert.doesNotMatch(str, pattern[, message]): the opposite of match.
---@param str string
---@param pattern string
---@param message? string|table
function M.doesNotMatch(str, pattern, message)
  match(str, pattern, message, false, 'doesNotMatch')
end

return setmetatable(M, {
  __call = function(_, ...) innerOk(select('#', ...), ...) end,
})
