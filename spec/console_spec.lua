-- console and util.format / util.inspect, checked by running scripts through
-- build/luanet. Where Node defines the answer (the placeholders, the line
-- breaking, the times), the expected text is what Node 20 prints for the
-- same values; the rest is the Lua table constructor API.md shows.
local h = require('spec.helpers')
local t = require('luanet.test')

-- Runs code with `luanet -e`; returns its standard output, after checking
-- that it said nothing on standard error and exited 0.
local function run(code)
  local out, err, status = h.exec({ '-e', code })
  assert.are.equal('', err)
  assert.are.equal(0, status)
  return out
end

describe('util.format', function()
  t.it('joins its arguments with spaces, inspecting all but strings', function()
    assert.are.equal('a 1 2.5 3.0 nil true { 1 } b\n',
      run([[console.log('a', 1, 2.5, 3.0, nil, true, { 1 }, 'b')]]))
    assert.are.equal('1 %s 2\n', run([[console.log(1, '%s', 2)]]))
    assert.are.equal('\n', run('console.log()'))
    assert.are.equal('nil\n', run('console.log(nil)'))
  end)

  t.it('fills %s with strings, Lua numbers and tables to depth 0', function()
    assert.are.equal(table.concat({
      'a1b 2 nil', '3.0 -0.0 math.huge 0/0', 'nil true', '{ a = {...} }',
      '{ 1, {...} }', 'mine', 'x y', '' }, '\n'), run([[
      console.log('a%sb', 1, 2, nil)
      console.log('%s %s %s %s', 3.0, -0.0, math.huge, 0/0)
      console.log('%s %s', nil, true)
      console.log('%s', { a = { b = 1 } })
      console.log('%s', { 1, { 2 } })
      console.log('%s', setmetatable({}, { __tostring = function()
        return 'mine' end }))
      console.log('%s', 'x', 'y')
    ]]))
  end)

  t.it('fills %d with Number(value), not truncated', function()
    assert.are.equal(table.concat({
      '42 1.5 42 -0 0.30000000000000004 1e+21 1e-7 9223372036854775807',
      '42 12 0 NaN 1 0 NaN NaN NaN', '' }, '\n'), run([[
      console.log('%d %d %d %d %d %d %d %d', 42, 1.5, 42.0, -0.0,
        0.1 + 0.2, 1e21, 1e-7, math.maxinteger)
      console.log('%d %d %d %d %d %d %d %d %d', '42', ' 12 ', '', '42abc',
        true, false, nil, {}, print)
    ]]))
  end)

  t.it('fills %i with parseInt(value)', function()
    assert.are.equal('2 -2 -0 1 42 26 NaN NaN NaN\n', run([[
      console.log('%i %i %i %i %i %i %i %i %i', 2.7, -2.7, -0.5, 1e21,
        '42abc', '0x1A', 'abc', true, nil)
    ]]))
  end)

  t.it('fills %f with parseFloat(value)', function()
    assert.are.equal('3 1.5 1.5 500 Infinity -0 NaN NaN NaN\n', run([[
      console.log('%f %f %f %f %f %f %f %f %f', 3, 1.5, '1.5abc', ' .5e3x',
        'Infinity', '-0', 'x', true, nil)
    ]]))
  end)

  t.it('fills %j with JSON, and [Circular] for a table inside itself',
    function()
      assert.are.equal(table.concat({
        '{"a":[1,"x\\n\\u0001\\"\\\\"],"b":{"c":true},"n":1.5}',
        '[1,null,null] {} null null "s" 3',
        '{"1":"a","x":1} [Circular]', '' }, '\n'), run([[
        console.log('%j', { n = 1.5, b = { c = true }, f = print,
          a = { 1, 'x\n\1"\\' } })
        console.log('%j %j %j %j %j %j', { 1, print, 0/0 }, {}, nil,
          math.huge, 's', 3.0)
        local t = { x = 1 }
        t.self = { t }
        console.log('%j %j', { 'a', x = 1 }, t)
      ]]))
    end)

  t.it('fills %o to depth 4 and %O to depth 2, and %c with nothing',
    function()
      assert.are.equal(table.concat({
        '{', '  a = {', '    b = { c = { d = { e = {} } } }', '  }', '}',
        '{ a = { b = { c = {...} } } }', 'styled', '' }, '\n'), run([[
        console.log('%o', { a = { b = { c = { d = { e = {} } } } } })
        console.log('%O', { a = { b = { c = { d = 1 } } } })
        console.log('%c%s', 'color: red', 'styled')
      ]]))
    end)

  t.it('leaves placeholders without arguments, and %% as Node does',
    function()
      assert.are.equal(table.concat({
        'a %s', '%s', '%x 1', '1%', '100% 1', '100%%', 'a %', '%1', '%s 1',
        'a:b c', '5% x', '' }, '\n'), run([[
        console.log('%s %s', 'a')
        console.log('%s')
        console.log('%x %s', 1)
        console.log('%s%', 1)
        console.log('100%%', 1)
        console.log('100%%')
        console.log('%s %%', 'a')
        console.log('%%%s', 1)
        console.log('%%s', 1)
        console.log('%s:%s', 'a', 'b', 'c')
        console.log('%d%%', 5, 'x')
      ]]))
    end)

  t.it('is console.log, info and debug on stdout, warn and error on stderr',
    function()
      local out, err = h.exec({ '-e', [[
        console.log('log %d', 1)
        console.info('info')
        console.debug('debug')
        console.warn('warn %s', 'w')
        console.error('error', { 1 })
      ]] })
      assert.are.equal('log 1\ninfo\ndebug\n', out)
      assert.are.equal('warn w\nerror { 1 }\n', err)
    end)
end)

describe('util.inspect', function()
  t.it('writes a table constructor with sorted keys', function()
    assert.are.equal(table.concat({
      '{ address = "127.0.0.1", family = "IPv4", port = 12346 }',
      '{ 1, 2, 3 } {} { "a", "b", n = 2 }',
      '{ [-1] = 0, [1.5] = 1, [10] = 2, ["a-b"] = 3, [false] = 5 }',
      '"tab\\tnl\\n\\"q\\" \\\\ \\x07\\x00\\x7F bin\\xFF é"',
      '{ math.huge, -math.huge, 0/0, -0.0, 3 } <function> <thread>',
      '', }, '\n'), run([[
      local util = require('util')
      console.log({ port = 12346, family = 'IPv4', address = '127.0.0.1' })
      console.log({ 1, 2, 3 }, {}, table.pack('a', 'b'))
      console.log({ ['a-b'] = 3, [10] = 2, [1.5] = 1, [false] = 5, [-1] = 0 })
      console.log(util.inspect('tab\tnl\n"q" \\ \a\0\127 bin\255 é'))
      console.log({ math.huge, -math.huge, 0/0, -0.0, 3 }, print,
        coroutine.create(print))
    ]]))
  end)

  t.it('stops at options.depth (2 by default) with {...}', function()
    assert.are.equal(table.concat({
      '{ a = { b = { c = {...} } } }', '{ a = { b = { c = {} } } }',
      '{ a = {...} }', '{...}', '{', '  a = { b = { c = { d = 1 } } }', '}',
      '{ a = {...} }', '' }, '\n'), run([[
      local util = require('util')
      local t = { a = { b = { c = { d = 1 } } } }
      console.log(t)
      console.log({ a = { b = { c = {} } } })
      console.log(util.inspect(t, { depth = 0 }))
      console.log(util.inspect(t, { depth = -1 }))
      console.log(util.inspect(t, { depth = math.huge }))
      console.dir(t, { depth = 0 })
    ]]))
  end)

  t.it('marks cycles with <ref *n> and [Circular *n]', function()
    assert.are.equal(table.concat({
      '<ref *1> { self = [Circular *1] }',
      '{ x = <ref *1> { y = { z = [Circular *1] } } }',
      '<ref *2> { a = <ref *1> { b = [Circular *1], up = [Circular *2] } }',
      '{ { 1 }, { 1 } }', '' }, '\n'), run([[
      local t = {}
      t.self = t
      console.log(t)
      local u = { x = { y = {} } }
      u.x.y.z = u.x
      console.log(u)
      local v = { a = {} }
      v.a.up, v.a.b = v, v.a
      console.log(v)
      local shared = { 1 }
      console.log({ shared, shared })
    ]]))
  end)

  t.it('breaks what does not fit in 80 columns as Node does', function()
    assert.are.equal([[
{
  first = { 1, 2, 3 },
  second = { inner = { 1, 2, 3 }, more = { deep = "value string here" } }
}
{
  a = 1,
  b = "two",
  c = { d = { e = {...} } },
  g = { "a", "b" },
  h = true
}
{
   0,  1,  2,  3,  4,  5,  6,  7,  8,
   9, 10, 11, 12, 13, 14, 15, 16, 17,
  18, 19, 20, 21, 22, 23, 24, 25, 26,
  27, 28, 29
}
{
  "item0", "item1",
  "item2", "item3",
  "item4", "item5",
  "item6"
}
{
  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
}
{
  "line one\n" ..
    "line two\n" ..
    "and a third line, long enough to need breaking up into lines\n"
}
]], run([[
      console.log({ first = { 1, 2, 3 }, second = { inner = { 1, 2, 3 },
        more = { deep = 'value string here' } } })
      console.log({ a = 1, b = 'two', c = { d = { e = { f = 1 } } },
        g = { 'a', 'b' }, h = true })
      local t = {}
      for i = 1, 30 do t[i] = i - 1 end
      console.log(t)
      t = {}
      for i = 1, 7 do t[i] = 'item' .. i - 1 end
      console.log(t)
      t = {}
      for i = 1, 3 do t[i] = ('x'):rep(30) end
      console.log(t)
      console.log({ 'line one\nline two\n' ..
        'and a third line, long enough to need breaking up into lines\n' })
    ]]))
  end)

  t.it('shows 100 array items and counts the rest', function()
    local out = run([[
      local t = {}
      for i = 1, 103 do t[i] = 7 end
      console.log(t)
    ]])
    local row = '  ' .. ('7, '):rep(12):sub(1, -2) .. '\n'
    assert.are.equal('{\n' .. row:rep(8) ..
      '  7, 7, 7, 7,\n  ... 3 more items\n}\n', out)
  end)

  t.it('names a table by its metatable __name, other userdata by tostring',
    function()
      local out = run([[
        local events = require('events')
        console.log(setmetatable({ x = 1 }, { __name = 'Point' }))
        console.log(events(), io.stdout)
        local timer = setTimeout(function() end, 10)
        console.log(timer)
        clearTimeout(timer)
      ]])
      assert.matches('^Point { x = 1 }\nEventEmitter {} <file %(0x%x+%)>\n' ..
        '<Timeout %(10 ms%): 0x%x+>\n$', out)
    end)

  t.it('shows an error table as tostring(err) and its other fields',
    function()
      local out = run([[
        local net = require('net')
        local ok, err = pcall(net.connect, { port = -1 })
        console.log(err)
        console.log('%s', require('errors').new('Error', nil, 'plain'))
        console.log({ deep = { deeper = { err = err } } })
        local server = net.createServer()
        server:listen(0, '127.0.0.1', function()
          local port = server:address().port
          server:close(function()
            net.connect(port, '127.0.0.1'):on('error', function(e)
              console.log(port, e.errno)
              console.log(e)
            end)
          end)
        end)
      ]])
      local bad = 'RangeError [ERR_SOCKET_BAD_PORT]: Port should be >= 0 ' ..
        'and < 65536. Received type number (-1).'
      local port, errno = out:match('\n(%d+) (%-%d+)\n')
      assert.are.equal(bad .. ' {\n  code = "ERR_SOCKET_BAD_PORT"\n}\n' ..
        'Error: plain\n' ..
        '{\n  deep = {\n    deeper = {\n      err = ' .. bad .. ' {...}\n' ..
        '    }\n  }\n}\n' ..
        port .. ' ' .. errno .. '\n' ..
        'Error: connect ECONNREFUSED 127.0.0.1:' .. port .. ' {\n' ..
        '  address = "127.0.0.1",\n  code = "ECONNREFUSED",\n' ..
        '  errno = ' .. errno .. ',\n  port = ' .. port .. ',\n' ..
        '  syscall = "connect"\n}\n', out)
    end)

  t.it('shows a Socket and a Server with their state and addresses',
    function()
      local out = run([[
        local net = require('net')
        local accepted
        local server = net.createServer(function(s) accepted = s end)
        server:listen(0, '127.0.0.1')
        console.log(server)
        console.log('%s', server)
        local client = net.connect(server:address().port, '127.0.0.1')
        console.log(client)
        client:on('connect', function()
          console.log(client)
          console.log(server:address().port, client.localPort)
          client:destroy()
          if accepted then accepted:destroy() end
          server:close()
          console.log(client)
          console.log(server)
        end)
      ]])
      local port, localPort = out:match('\n(%d+) (%d+)\n')
      assert.are.equal(
        'Server {\n' ..
        '  address = { address = "127.0.0.1", family = "IPv4", port = ' ..
          port .. ' },\n' ..
        '  listening = true\n}\n' ..
        'Server { address = {...}, listening = true }\n' ..
        'Socket {\n  bytesRead = 0,\n  bytesWritten = 0,\n' ..
        '  destroyed = false,\n  readyState = "opening"\n}\n' ..
        'Socket {\n  bytesRead = 0,\n  bytesWritten = 0,\n' ..
        '  destroyed = false,\n  localAddress = "127.0.0.1",\n' ..
        '  localPort = ' .. localPort .. ',\n  readyState = "open",\n' ..
        '  remoteAddress = "127.0.0.1",\n  remotePort = ' .. port .. '\n}\n' ..
        port .. ' ' .. localPort .. '\n' ..
        -- The peer's address, read while connected, stays (Node 22's
        -- _peername); the local one goes with the handle.
        'Socket {\n  bytesRead = 0,\n  bytesWritten = 0,\n' ..
        '  destroyed = true,\n  readyState = "closed",\n' ..
        '  remoteAddress = "127.0.0.1",\n  remotePort = ' .. port .. '\n}\n' ..
        'Server { listening = false }\n', out)
    end)
end)

describe('console', function()
  t.it('dir inspects, quoting strings', function()
    assert.are.equal('"str"\n{ a = {...} }\n', run([[
      console.dir('str')
      console.dir({ a = { b = 1 } }, { depth = 0 })
    ]]))
  end)

  t.it('assert prints "Assertion failed" on stderr when false or nil',
    function()
      local out, err = h.exec({ '-e', [[
        console.assert(true, 'not shown')
        console.assert(0, 'not shown either')
        console.assert(false)
        console.assert(nil, '%s is %d', 'x', 1, { 2 })
        console.assert(false, { a = 1 }, 2)
      ]] })
      assert.are.equal('', out)
      assert.are.equal('Assertion failed\nAssertion failed: x is 1 { 2 }\n' ..
        'Assertion failed: { a = 1 } 2\n', err)
    end)

  t.it('time, timeLog and timeEnd print the time taken', function()
    local out, err = h.exec({ '-e', [[
      console.time()
      console.time('t')
      console.time('t')
      console.timeLog('t', 'more', { 1 })
      console.timeEnd()
      console.timeEnd('t')
      console.timeEnd('t')
    ]] })
    assert.matches('^t: [%d.]+ms more { 1 }\ndefault: [%d.]+ms\n' ..
      't: [%d.]+ms\n$', out)
    assert.matches("%(luanet:%d+%) Warning: Label 't' already exists " ..
      "for console.time%(%)\n%(luanet:%d+%) Warning: No such label 't' " ..
      'for console.timeEnd%(%)\n$', err)
  end)

  t.it('formats times as Node does', function()
    local clock, out = 0, {}
    local core = {
      hrtime = function()
        return clock // 1000, math.floor(clock % 1000 * 1e6 + 0.5)
      end,
      write = function(_, s) out[#out + 1] = s end,
    }
    local console = assert(loadfile('lua/console.lua'))('console', core)
    for _, ms in ipairs({ 0.0004, 1.5, 12, 999.9996, 1234.5, 61234.567,
      3723456.789 }) do
      clock = 0
      console.time()
      clock = ms
      console.timeEnd()
    end
    assert.are.same({ 'default: 0ms\n', 'default: 1.5ms\n',
      'default: 12ms\n', 'default: 1000ms\n', 'default: 1.234s\n',
      'default: 1:01.235 (m:ss.mmm)\n', 'default: 1:02:03.457 (h:mm:ss.mmm)\n',
    }, out)
  end)
end)

-- Big values print in time linear in their size: each case is sized so
-- that the quadratic printing of the past (a 64 KiB string took 19 s)
-- would take minutes, and runs under a `timeout` of a few seconds, so a
-- regression fails rather than hangs. Not a benchmark: linear takes
-- milliseconds.
describe('printing big values', function()
  local MiB = 1 << 20

  -- Runs the script source with build/luanet under timeout; returns its
  -- standard output, standard error and exit code.
  local function within(seconds, source)
    local path = h.script(source)
    local out, err, status = h.exec({ path }, nil,
      { 'timeout', tostring(seconds) })
    os.remove(path)
    assert.are_not.equal(124, status, 'timed out after ' .. seconds .. ' s')
    return out, err, status
  end

  t.it('writes a string of many lines as Lua can read it back', function()
    -- Lua's parser nests one level per `..` and stops at 200: fuzz/inspect
    -- found "C stack overflow" loading a string of 300 lines.
    local out, err = within(10, [[
      local util = require('util')
      local many = ('b\n'):rep(300)
      local f = assert(load('return ' .. util.inspect(many)))
      local few = util.inspect(('line ' .. ('x'):rep(80) .. '\n'):rep(3))
      print(f() == many, select(2, few:gsub(' %.%.\n', '')))
    ]])
    assert.are.equal('', err)
    assert.are.equal('true\t2\n', out)
  end)

  t.it('inspects a 1 MiB string without a line break', function()
    local out, err = within(10, [[
      local util = require('util')
      io.stdout:write(util.inspect(string.rep('a', 1 << 20)))
    ]])
    assert.are.equal('', err)
    assert.are.equal('"' .. ('a'):rep(MiB) .. '"', out)
  end)

  t.it('inspects 1 MiB lines, and 1 MiB of bytes that are not UTF-8',
    function()
      local out, err = within(10, [[
        local util = require('util')
        local a, b = string.rep('a', 1 << 20), string.rep('b', 1 << 20)
        io.stdout:write(util.inspect(a .. '\n' .. b .. '\nc'), '|',
          util.inspect(a .. '\n'), '|', util.inspect(('\xff'):rep(1 << 20)))
      ]])
      assert.are.equal('', err)
      local a, b = ('a'):rep(MiB), ('b'):rep(MiB)
      assert.are.equal('"' .. a .. '\\n" ..\n  "' .. b .. '\\n" ..\n  "c"|' ..
        '"' .. a .. '\\n"|"' .. ('\\xFF'):rep(MiB) .. '"', out)
    end)

  t.it('console.log of a table holding a 1 MiB string', function()
    local out, err = within(10, [[
      console.log({ s = string.rep('a', 1 << 20) })
    ]])
    assert.are.equal('', err)
    assert.are.equal('{\n  s = "' .. ('a'):rep(MiB) .. '"\n}\n', out)
  end)

  t.it('the uncaught error printer, with a 1 MiB message', function()
    local out, err, status = within(10, [[
      error({ message = string.rep('m', 1 << 20) })
    ]])
    assert.are.equal('', out)
    assert.are.equal(1, status)
    assert.matches('^Uncaught {', err)
    assert.matches('message = "' .. ('m'):rep(MiB) .. '"', err, 1, true)
  end)
end)

-- Node 22: util.format('%d %i', s, s) for each string (the fuzzer's
-- differential run against Node found these).
describe('util.format reads strings as JavaScript numbers', function()
  local util = require('util')
  local cases = {
    { '0b101', '5 0' }, { '0o17', '15 0' }, { '+0x10', 'NaN 16' },
    { '-0x10', 'NaN -16' }, { '0x1p4', 'NaN 1' }, { '0x1.8', 'NaN 1' },
    { 'Infinity', 'Infinity NaN' }, { '-0', '-0 -0' }, { ' 12 ', '12 12' },
    { '1e3', '1000 1' }, { '.5', '0.5 NaN' }, { '5.', '5 5' },
    { '', '0 NaN' }, { '0x', 'NaN NaN' },
  }
  for _, case in ipairs(cases) do
    t.it("gives '" .. case[2] .. "' for '" .. case[1] .. "'", function()
      assert.are.equal(case[2], util.format('%d %i', case[1], case[1]))
    end)
  end

  t.it('inspects math.mininteger so that it reads back, and takes a ' ..
    'boolean second argument as none', function()
      assert.are.equal('math.mininteger', util.inspect(math.mininteger))
      assert.are.equal(math.mininteger,
        load('return ' .. util.inspect(math.mininteger))())
      assert.are.equal('{ 1 }', util.inspect({ 1 }, false))
    end)
end)
