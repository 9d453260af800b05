-- The assert module, run in build/luanet (inside busted, `assert` is
-- busted's own): what passes, what fails, Node's messages and fields, and
-- an uncaught failure.
local h = require('spec.helpers')
local t = require('luanet.test')

-- Every script starts with Node's assert as `assert`, and check(f, ...),
-- which prints "passed" or the error f(...) raised (its tostring), or with
-- fields its name, code, operator, generatedMessage, actual and expected
-- (written by show, which depends on nothing but errors.lua).
local PRELUDE = [[
local assert = require('assert')
local errors = require('errors')
local function check(f, ...)
  local ok, e = pcall(f, ...)
  print(ok and 'passed' or tostring(e))
end
local function show(v)
  if type(v) == 'string' then return string.format('%q', v) end
  if type(v) ~= 'table' or errors.isError(v) then return tostring(v) end
  local keys, out = {}, {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  for i, k in ipairs(keys) do out[i] = tostring(k) .. '=' .. show(v[k]) end
  return '{' .. table.concat(out, ',') .. '}'
end
local function fields(f, ...)
  local ok, e = pcall(f, ...)
  if ok then return print('passed') end
  print(e.name, e.code, e.operator, e.generatedMessage, show(e.actual),
    show(e.expected))
end
]]

local function run(code)
  local out, err, status = h.exec({ '-e', PRELUDE .. code })
  assert.are.equal('', err)
  assert.are.equal(0, status)
  return out
end

local script = h.script

local PREFIX = 'AssertionError [ERR_ASSERTION]: '

describe('assert.ok and assert()', function()
  t.it('pass for any value but false and nil', function()
    assert.are.equal('passed\npassed\npassed\npassed\n', run([[
      check(assert.ok, 0)
      check(assert.ok, '')
      check(assert, {})
      check(assert, true, 'unused')
    ]]))
  end)

  t.it('quote the failing call from the script, as Node does', function()
    local path = script([[
local assert = require('assert')
local ok, e = pcall(function() assert.ok(type(1) == 'string') end)
print(e.message)
ok, e = pcall(function() assert(nil, nil) end)
print(e.message)
ok, e = pcall(function()
  local check = assert
  if true then check(1 > 2) end
end)
print(e.message)
ok, e = pcall(function()
    assert.ok(false or
      nil)
end)
print(e.message)
print(e.name, e.code, e.operator, e.generatedMessage, e.actual, e.expected)
]])
    local out, err, status = h.exec({ path })
    os.remove(path)
    assert.are.equal('', err)
    assert.are.equal(0, status)
    local head = 'The expression evaluated to a falsy value:\n\n  '
    assert.are.equal(
      head .. "assert.ok(type(1) == 'string')\n\n" ..
      head .. 'assert(nil, nil)\n\n' ..
      head .. 'check(1 > 2)\n\n' ..
      head .. 'assert.ok(false or\n    nil)\n\n' ..
      'AssertionError\tERR_ASSERTION\t==\ttrue\tnil\ttrue\n', out)
  end)

  t.it('quote the call from a string chunk', function()
    assert.are.equal(PREFIX ..
      'The expression evaluated to a falsy value:\n\n  assert(1 == 2)\n\n',
      run([[
        check(load("local assert = require('assert')\nassert(1 == 2)"))
      ]]))
  end)

  t.it('say "false == true" where there is no source to read', function()
    assert.are.equal(PREFIX .. 'false == true\n' .. PREFIX ..
      'nil == true\n' .. PREFIX .. 'false == true\n', run([[
        check(function() assert.ok(false) end)
        check(function() return assert(nil) end)
        check(assert, false)
      ]]))
  end)

  t.it('use the message given, or raise an error table given', function()
    assert.are.equal(PREFIX .. 'No value argument passed to `assert.ok()`\n' ..
      PREFIX .. 'no luck\n' ..
      'AssertionError\tERR_ASSERTION\t==\tfalse\tfalse\ttrue\n' ..
      'TypeError [ERR_X]: mine\n', run([[
        check(assert.ok)
        check(assert, false, 'no luck')
        fields(assert.ok, false, 'no luck')
        check(assert.ok, nil, errors.new('TypeError', 'ERR_X', 'mine'))
      ]]))
  end)
end)

describe('assert.equal and assert.notEqual', function()
  t.it('compare as JavaScript == does, in Lua terms', function()
    assert.are.equal(string.rep('passed\n', 7), run([[
      local same = { __eq = function() return true end }
      check(assert.equal, 1, 1.0)
      check(assert.equal, 1, '1')
      check(assert.equal, ' 0x10 ', 16)
      check(assert.equal, 0 / 0, 0 / 0)
      check(assert.equal, nil, nil)
      check(assert.equal, setmetatable({}, same), setmetatable({}, same))
      check(assert.notEqual, 1, 2)
    ]]))
  end)

  t.it('fail with "actual == expected" and the fields', function()
    assert.are.equal(PREFIX .. '1 == 2\n' ..
      PREFIX .. "'a' == 'b'\n" ..
      PREFIX .. "1 == 'x'\n" ..
      PREFIX .. '{\n  a = 1\n} == {\n  a = 1\n}\n' ..
      PREFIX .. "1 != '1'\n" ..
      'AssertionError\tERR_ASSERTION\t==\ttrue\t1\t2\n' ..
      'AssertionError\tERR_ASSERTION\t!=\ttrue\t1\t"1"\n', run([[
        check(assert.equal, 1, 2)
        check(assert.equal, 'a', 'b')
        check(assert.equal, 1, 'x')
        check(assert.equal, { a = 1 }, { a = 1 })
        check(assert.notEqual, 1, '1')
        fields(assert.equal, 1, 2)
        fields(assert.notEqual, 1, '1')
      ]]))
  end)

  t.it('use the message given, and want two arguments', function()
    assert.are.equal(PREFIX .. 'not one\n' ..
      'AssertionError\tERR_ASSERTION\t==\tfalse\t1\t2\n' ..
      'TypeError [ERR_X]: mine\n' ..
      'TypeError [ERR_MISSING_ARGS]: The "actual" and "expected" ' ..
      'arguments must be specified\n', run([[
        check(assert.equal, 1, 2, 'not one')
        fields(assert.equal, 1, 2, 'not one')
        check(assert.notEqual, 1, 1, errors.new('TypeError', 'ERR_X', 'mine'))
        check(assert.equal, 1)
      ]]))
  end)
end)

describe('assert.strictEqual and assert.notStrictEqual', function()
  t.it('compare with rawequal, NaN equal to itself, -0.0 not 0.0', function()
    assert.are.equal('passed\npassed\npassed\npassed\n' .. PREFIX ..
      "Expected values to be strictly equal:\n\n1 !== '1'\n\n" .. PREFIX ..
      'Expected values to be strictly equal:\n+ actual - expected\n\n' ..
      '+ -0.0\n- 0.0\n', run([[
        local t = {}
        check(assert.strictEqual, 1, 1.0)
        check(assert.strictEqual, 0 / 0, 0 / 0)
        check(assert.strictEqual, t, t)
        check(assert.notStrictEqual, {}, {})
        check(assert.strictEqual, 1, '1')
        check(assert.strictEqual, -0.0, 0.0)
      ]]))
  end)

  t.it('fail with Node\'s diff', function()
    assert.are.equal(PREFIX ..
      'Expected values to be strictly equal:\n\n1 !== 2\n\n' .. PREFIX ..
      'Expected values to be strictly equal:\n+ actual - expected\n\n' ..
      "+ 'hello world'\n- 'hello there'\n         ^\n" .. PREFIX ..
      'Expected values to be strictly equal:\n+ actual - expected\n\n' ..
      '+ 0.30000000000000004\n- 0.3\n     ^\n' .. PREFIX ..
      'Values have same structure but are not reference-equal:\n\n' ..
      '{\n  a = 1\n}\n\n' ..
      'AssertionError\tERR_ASSERTION\tstrictEqual\ttrue\t1\t2\n', run([[
        check(assert.strictEqual, 1, 2)
        check(assert.strictEqual, 'hello world', 'hello there')
        check(assert.strictEqual, 0.1 + 0.2, 0.3)
        check(assert.strictEqual, { a = 1 }, { a = 1 })
        fields(assert.strictEqual, 1, 2)
      ]]))
  end)

  t.it('put the message given above the diff, as Node does', function()
    assert.are.equal(PREFIX .. 'custom\n\n1 !== 2\n\n' ..
      'AssertionError\tERR_ASSERTION\tstrictEqual\tfalse\t1\t2\n',
      run([[
        check(assert.strictEqual, 1, 2, 'custom')
        fields(assert.strictEqual, 1, 2, 'custom')
      ]]))
  end)

  t.it('notStrictEqual fails with the value', function()
    assert.are.equal(PREFIX ..
      'Expected "actual" to be strictly unequal to: 1\n' .. PREFIX ..
      "Expected \"actual\" to be strictly unequal to:\n\n'a long string'\n" ..
      PREFIX .. 'Expected "actual" not to be reference-equal to ' ..
      '"expected":\n\n{\n  a = 1\n}\n\n' ..
      'AssertionError\tERR_ASSERTION\tnotStrictEqual\ttrue\t1\t1\n', run([[
        local t = { a = 1 }
        check(assert.notStrictEqual, 1, 1)
        check(assert.notStrictEqual, 'a long string', 'a long string')
        check(assert.notStrictEqual, t, t)
        fields(assert.notStrictEqual, 1, 1)
      ]]))
  end)
end)

describe('assert.deepStrictEqual and assert.notDeepStrictEqual', function()
  t.it('compare tables deeply: keys, values, metatables, cycles', function()
    assert.are.equal(string.rep('passed\n', 5) .. PREFIX ..
      'Expected values to be strictly deep-equal:\n+ actual - expected\n\n' ..
      '+ <metatable> {}\n- {}\n' .. PREFIX ..
      "Expected values to be strictly deep-equal:\n\n1 !== '1'\n\n" ..
      PREFIX .. 'Expected values to be strictly deep-equal:\n' ..
      '+ actual - expected\n\n  {\n    1,\n+   2\n  }\n', run([[
        local mt = {}
        local a, b = { x = { 1, 2 } }, { x = { 1, 2 } }
        a.self, b.self = a, b
        check(assert.deepStrictEqual, 1, 1)
        check(assert.deepStrictEqual, { 1, { y = 'z' }, [true] = 0 },
          { 1, { y = 'z' }, [true] = 0 })
        check(assert.deepStrictEqual, setmetatable({ 1 }, mt),
          setmetatable({ 1 }, mt))
        check(assert.deepStrictEqual, a, b)
        check(assert.notDeepStrictEqual, { 1 }, { '1' })
        check(assert.deepStrictEqual, setmetatable({}, mt), {})
        check(assert.deepStrictEqual, 1, '1')
        check(assert.deepStrictEqual, { 1, 2 }, { 1 })
      ]]))
  end)

  t.it('fail with Node\'s line diff, skipping long equal runs', function()
    assert.are.equal(PREFIX ..
      'Expected values to be strictly deep-equal:\n+ actual - expected\n\n' ..
      '  {\n    a = {\n+     b = 1\n-     b = 2\n    }\n  }\n' .. PREFIX ..
      'Expected values to be strictly deep-equal:\n' ..
      '+ actual - expected ... Lines skipped\n\n' ..
      '  {\n    a = 1,\n...\n    e = 5,\n    f = 6,\n+   g = 7\n-   g = 8\n' ..
      '  }\n' .. PREFIX ..
      'custom\n+ actual - expected\n\n  {\n+   1\n-   2\n  }\n' ..
      'AssertionError\tERR_ASSERTION\tdeepStrictEqual\ttrue\t' ..
      '{1=1}\t{1=2}\n', run([[
        check(assert.deepStrictEqual, { a = { b = 1 } }, { a = { b = 2 } })
        check(assert.deepStrictEqual,
          { a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7 },
          { a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 8 })
        check(assert.deepStrictEqual, { 1 }, { 2 }, 'custom')
        fields(assert.deepStrictEqual, { 1 }, { 2 })
      ]]))
  end)

  t.it('notDeepStrictEqual fails with the value', function()
    assert.are.equal(PREFIX ..
      'Expected "actual" not to be strictly deep-equal to:\n\n' ..
      "{\n  a = 'x'\n}\n\n" .. PREFIX .. 'different\n', run([[
        check(assert.notDeepStrictEqual, { a = 'x' }, { a = 'x' })
        check(assert.notDeepStrictEqual, { 1 }, { 1 }, 'different')
      ]]))
  end)
end)

describe('assert.deepEqual and assert.notDeepEqual', function()
  t.it('compare loosely: equal at the leaves, metatables ignored', function()
    assert.are.equal('passed\npassed\n' .. PREFIX ..
      'Expected values to be loosely deep-equal:\n\n{\n  a = 1\n}\n\n' ..
      'should loosely deep-equal\n\n{\n  a = 2\n}\n' .. PREFIX ..
      'Expected "actual" not to be loosely deep-equal to:\n\n' ..
      '{\n  a = 1\n}\n' .. PREFIX ..
      'Expected values not to be loosely deep-equal:\n\n{\n  a = 1\n}\n\n' ..
      "should not loosely deep-equal\n\n{\n  a = '1'\n}\n", run([[
        check(assert.deepEqual, setmetatable({ 1, { '2' } }, {}),
          { '1', { 2 } })
        check(assert.notDeepEqual, { 1 }, { 2 })
        check(assert.deepEqual, { a = 1 }, { a = 2 })
        check(assert.notDeepEqual, { a = 1 }, { a = 1 })
        check(assert.notDeepEqual, { a = 1 }, { a = '1' })
      ]]))
  end)
end)

describe('assert.fail and assert.ifError', function()
  t.it('fail raises "Failed", the message, or the error table', function()
    assert.are.equal(PREFIX .. 'Failed\n' ..
      'AssertionError\tERR_ASSERTION\tfail\ttrue\tnil\tnil\n' ..
      PREFIX .. 'boom\n' ..
      'AssertionError\tERR_ASSERTION\tfail\tfalse\tnil\tnil\n' ..
      'TypeError [ERR_X]: mine\n' .. PREFIX .. '1 != 2\n' ..
      PREFIX .. '1 > 2\n', run([[
        check(assert.fail)
        fields(assert.fail)
        check(assert.fail, 'boom')
        fields(assert.fail, 'boom')
        check(assert.fail, errors.new('TypeError', 'ERR_X', 'mine'))
        check(assert.fail, 1, 2)
        check(assert.fail, 1, 2, nil, '>')
      ]]))
  end)

  t.it('ifError passes nil and raises for anything else', function()
    assert.are.equal('passed\n' ..
      PREFIX .. 'ifError got unwanted exception: bad\n' ..
      PREFIX .. "ifError got unwanted exception: 'bad'\n" ..
      PREFIX .. 'ifError got unwanted exception: false\n' ..
      'AssertionError\tERR_ASSERTION\tifError\tfalse\tfalse\tnil\n', run([[
        check(assert.ifError, nil)
        check(assert.ifError, errors.new('Error', nil, 'bad'))
        check(assert.ifError, 'bad')
        check(assert.ifError, false)
        fields(assert.ifError, false)
      ]]))
  end)
end)

describe('assert.throws', function()
  t.it('passes when fn raises an error that matches', function()
    assert.are.equal(string.rep('passed\n', 7), run([[
      local function boom()
        error(errors.new('TypeError', 'ERR_X', 'bad thing (1)', { n = 1 }))
      end
      check(assert.throws, boom)
      check(assert.throws, function() error() end)
      check(assert.throws, boom, { code = 'ERR_X', n = 1 })
      check(assert.throws, boom, errors.new('TypeError', 'ERR_X',
        'bad thing (1)'))
      check(assert.throws, boom, function(e) return e.n == 1 end)
      check(assert.throws, boom, '^TypeError %[ERR_X%]: bad')
      check(assert.throws, boom, 'thing (1)')
    ]]))
  end)

  t.it('fails when fn returns', function()
    assert.are.equal(PREFIX .. 'Missing expected exception.\n' ..
      PREFIX .. 'Missing expected exception: why\n' ..
      PREFIX .. 'Missing expected exception (TypeError).\n' ..
      'AssertionError\tERR_ASSERTION\tthrows\tfalse\tnil\t' ..
      '{name="TypeError"}\n', run([[
        check(assert.throws, function() end)
        check(assert.throws, function() end, nil, 'why')
        check(assert.throws, function() end, { name = 'TypeError' })
        fields(assert.throws, function() end, { name = 'TypeError' })
      ]]))
  end)

  t.it('fails with Node\'s messages when the error does not match', function()
    assert.are.equal(PREFIX ..
      'Expected values to be strictly deep-equal:\n+ actual - expected\n\n' ..
      "  Comparison {\n+   code = 'ERR_Y',\n-   code = 'ERR_X',\n" ..
      "    message = 'm'\n  }\n" ..
      'AssertionError\tERR_ASSERTION\tthrows\ttrue\t' ..
      'Error [ERR_Y]: m\t{code="ERR_X",message="m"}\n' ..
      PREFIX .. 'mine\n' .. PREFIX ..
      'Expected values to be strictly deep-equal:\n+ actual - expected\n\n' ..
      "+ 'prim'\n- {\n-   a = 1\n- }\n" .. PREFIX ..
      "The input did not match the pattern 'xyz'. Input:\n\n" ..
      "'Error [ERR_Y]: m'\n\n" .. PREFIX ..
      'The validation function is expected to return "true". ' ..
      'Received nil\n\nCaught error:\n\nError [ERR_Y]: m\n', run([[
        local function boom() error(errors.new('Error', 'ERR_Y', 'm')) end
        local want = { code = 'ERR_X', message = 'm' }
        check(assert.throws, boom, want)
        fields(assert.throws, boom, want)
        check(assert.throws, boom, want, 'mine')
        check(assert.throws, function() error('prim', 0) end, { a = 1 })
        check(assert.throws, boom, 'xyz')
        check(assert.throws, boom, function() end)
      ]]))
  end)

  t.it('raises ERR_INVALID_ARG_TYPE and ERR_INVALID_ARG_VALUE', function()
    assert.are.equal('TypeError [ERR_INVALID_ARG_TYPE]: The "fn" argument ' ..
      "must be of type function. Received type string ('x')\n" ..
      'TypeError [ERR_INVALID_ARG_TYPE]: The "error" argument must be one ' ..
      'of type function, string, or table. Received type number (5)\n' ..
      "TypeError [ERR_INVALID_ARG_VALUE]: The argument 'error' may not be " ..
      'an empty object. Received {}\n', run([[
        check(assert.throws, 'x')
        check(assert.throws, error, 5)
        check(assert.throws, function() error({}) end, {})
      ]]))
  end)
end)

describe('assert.doesNotThrow', function()
  t.it('passes, fails, or raises the error again', function()
    assert.are.equal('passed\n' .. PREFIX ..
      'Got unwanted exception.\nActual message: "bad"\n' .. PREFIX ..
      'Got unwanted exception: oops\nActual message: "bad"\n' ..
      'bad\n', run([[
        local function bad() error('bad', 0) end
        check(assert.doesNotThrow, function() end)
        check(assert.doesNotThrow, bad)
        check(assert.doesNotThrow, bad, 'ba', 'oops')
        check(assert.doesNotThrow, bad, 'xyz')
      ]]))
  end)
end)

describe('assert.match and assert.doesNotMatch', function()
  -- Node 22 (a RegExp where luanet takes a Lua pattern):
  -- assert.match('xyz', /abc/) raised AssertionError ERR_ASSERTION "The
  -- input did not match the regular expression /abc/. Input:\n\n'xyz'\n"
  -- (generatedMessage true, operator 'match', actual 'xyz');
  -- assert.doesNotMatch('abc', /b/): "The input was expected to not match
  -- the regular expression /b/. Input:\n\n'abc'\n"; assert.match(5, /a/):
  -- AssertionError "The \"string\" argument must be of type string.
  -- Received type number (5)"; with 'custom' as the message: "custom",
  -- generatedMessage false.
  t.it('pass, fail and word it as Node does', function()
    assert.are.equal('passed\npassed\n' .. PREFIX .. 'The input did not ' ..
      "match the regular expression /abc/. Input:\n\n'xyz'\n\n" .. PREFIX ..
      'The input was expected to not match the regular expression /b/. ' ..
      "Input:\n\n'abc'\n\n" .. PREFIX .. 'The "string" argument must be ' ..
      'of type string. Received type number (5)\n' .. PREFIX .. 'custom\n' ..
      'AssertionError\tERR_ASSERTION\tmatch\ttrue\t"xyz"\t"abc"\n' ..
      'AssertionError\tERR_ASSERTION\tdoesNotMatch\tfalse\t"abc"\t"b"\n',
      run([[
        check(assert.match, 'xyz', 'y')
        check(assert.doesNotMatch, 'xyz', '%d')
        check(assert.match, 'xyz', 'abc')
        check(assert.doesNotMatch, 'abc', 'b')
        check(assert.match, 5, 'a')
        check(assert.match, 'xyz', 'abc', 'custom')
        fields(assert.match, 'xyz', 'abc')
        fields(assert.doesNotMatch, 'abc', 'b', 'custom')
      ]]))
  end)

  -- Node 22: assert.match('x', 'x') raised TypeError ERR_INVALID_ARG_TYPE
  -- 'The "regexp" argument must be an instance of RegExp. Received type
  -- string (\'x\')': luanet's pattern is a string, so a number is refused.
  t.it('refuse a pattern that is no string', function()
    assert.are.equal('TypeError [ERR_INVALID_ARG_TYPE]: The "regexp" ' ..
      'argument must be of type string. Received type number (5)\n',
      run("check(assert.match, 'x', 5)"))
    assert.are.equal("TypeError [ERR_INVALID_ARG_VALUE]: The argument " ..
      "'regexp' is not a Lua pattern. Received '('\n",
      run("check(assert.match, 'x', '(')"))
  end)
end)

describe('an AssertionError', function()
  t.it('is a Node-shaped error table', function()
    assert.are.equal('true\tAssertionError\tERR_ASSERTION\t1 == 2\t' ..
      PREFIX .. '1 == 2\n', run([[
        local ok, e = pcall(assert.equal, 1, 2)
        print(errors.isError(e), e.name, e.code, e.message, tostring(e))
      ]]))
  end)

  t.it('uncaught, is printed on stderr and luanet exits 1', function()
    local out, err, status = h.exec({ '-e', [[
      process:on('exit', function(c) console.log('exit', c) end)
      require('assert').strictEqual(1, 2)
      console.log('never')
    ]] })
    assert.are.equal(1, status)
    assert.are.equal('exit 1\n', out)
    assert.are.equal('Uncaught ' .. PREFIX ..
      'Expected values to be strictly equal:\n\n1 !== 2\n\n',
      err:match('^.-stack traceback:'):gsub('stack traceback:$', ''))
    assert.matches('operator = "strictEqual"', err, 1, true)
  end)
end)
