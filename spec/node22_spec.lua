-- What Node 22 changed in net's arguments and added around them, as
-- luanet's Lua side and host give it: objectMode refused, abstract paths
-- with readableAll, NUL bytes in hosts and paths, Node 22's words for a
-- host that is no string, ERR_SOCKET_BAD_PORT a RangeError, node: module
-- names, the autoSelectFamily defaults, and `<close>`. Every expectation
-- is what Node 22.23.5 printed for the same JavaScript, quoted beside it
-- (`node` below is Node 22, not the Node 20 some machines have).
local h = require('spec.helpers')
local t = require('luanet.test')
local net = h.net

-- Calls f(...) and returns the error it raised (failing if it did not).
local function raised(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok, 'expected an error')
  return err
end

-- Asserts err is Node's error: its name, code and message, and that it
-- prints as "Name [CODE]: message".
local function isNodeError(err, name, code, message)
  assert.are.equal(name, err.name)
  assert.are.equal(code, err.code)
  assert.are.equal(message, err.message)
  assert.are.equal(name .. ' [' .. code .. ']: ' .. message, tostring(err))
end

-- A server on 127.0.0.1 that destroys each connection and closes after the
-- first; returns its port.
local function oneShotServer()
  local server
  server = h.listen(function(socket)
    socket:destroy()
    server:close()
  end)
  return server:address().port
end

-- A path in a fresh temporary directory (removed by the caller's
-- os.remove of the directory) and the directory.
local function tempPath(name)
  local dir = h.tempDir()
  return dir .. '/' .. name, dir
end

local exists = h.exists

describe('objectMode', function()
  -- for (const k of ['objectMode', 'readableObjectMode',
  --   'writableObjectMode']) new net.Socket({ [k]: true }),
  --   net.connect({ [k]: true, port: 1 }) each throw TypeError
  --   ERR_INVALID_ARG_VALUE "The property 'options.objectMode' is not
  --   supported. Received true" (the key's own name); 1 and 'x' the same
  --   with "Received 1", "Received 'x'"; false and 0 are taken.
  for _, key in ipairs({ 'objectMode', 'readableObjectMode',
    'writableObjectMode' }) do
    t.it(key .. ' that is truthy raises ERR_INVALID_ARG_VALUE', function()
      for _, case in ipairs({ { true, 'true' }, { 1, '1' }, { 'x', "'x'" } }) do
        local want = "The property 'options." .. key .. "' is not " ..
          'supported. Received ' .. case[2]
        isNodeError(raised(net.Socket, { [key] = case[1] }), 'TypeError',
          'ERR_INVALID_ARG_VALUE', want)
        isNodeError(raised(net.connect, { [key] = case[1], port = 1 }),
          'TypeError', 'ERR_INVALID_ARG_VALUE', want)
        isNodeError(raised(net.createConnection, { [key] = case[1],
          port = 1 }), 'TypeError', 'ERR_INVALID_ARG_VALUE', want)
      end
      for _, v in ipairs({ false, 0 }) do
        net.Socket({ [key] = v }):destroy()
      end
    end)
  end

  -- new net.Socket({ objectMode: true, readableObjectMode: true }):
  -- "...'options.objectMode'..."; { readableObjectMode: true,
  -- writableObjectMode: true }: "...'options.readableObjectMode'...";
  -- { readableObjectMode: 0, writableObjectMode: 'y' }:
  -- "The property 'options.writableObjectMode' is not supported. Received
  -- 'y'"; net.connect({ objectMode: true }) (no port),
  -- ({ objectMode: true, port: 'abc' }) and new net.Socket({ objectMode:
  -- true, fd: 'x' }) all throw the objectMode error.
  t.it('is checked first: objectMode, then readable, then writable', function()
    local function message(options)
      return raised(net.Socket, options).message
    end
    assert.are.equal("The property 'options.objectMode' is not supported. " ..
      'Received true', message({ objectMode = true,
        readableObjectMode = true }))
    assert.are.equal("The property 'options.readableObjectMode' is not " ..
      'supported. Received true', message({ readableObjectMode = true,
        writableObjectMode = true }))
    assert.are.equal("The property 'options.writableObjectMode' is not " ..
      "supported. Received 'y'", message({ readableObjectMode = 0,
        writableObjectMode = 'y' }))
    assert.are.equal('ERR_INVALID_ARG_VALUE',
      raised(net.connect, { objectMode = true }).code)
    assert.are.equal('ERR_INVALID_ARG_VALUE',
      raised(net.connect, { objectMode = true, port = 'abc' }).code)
    assert.are.equal('ERR_INVALID_ARG_VALUE',
      raised(net.Socket, { objectMode = true, fd = 'x' }).code)
  end)

  -- net.createServer({ objectMode: true }) and socket.connect({
  -- objectMode: true, port }) do not throw: only the constructor looks.
  t.it('is not looked at by createServer or socket:connect()', function()
    net.createServer({ objectMode = true }):close()
    local port = oneShotServer()
    local socket = net.Socket()
    socket:connect({ objectMode = true, port = port, host = '127.0.0.1' },
      t.mustCall(function() socket:destroy() end))
  end)
end)

describe('the high-water marks of net.Socket', function()
  -- for (const o of [{highWaterMark: 0}, {highWaterMark: 10,
  --   readableHighWaterMark: 5}, {readableHighWaterMark: 5},
  --   {writableHighWaterMark: 7}, {highWaterMark: null}]) { const s = new
  --   net.Socket(o); console.log(s.readableHighWaterMark,
  --   s.writableHighWaterMark) } printed 0 0, 10 10, 5 65536, 65536 7,
  --   65536 65536.
  t.it('are highWaterMark for both, else each side its own', function()
    for _, case in ipairs({ { { highWaterMark = 0 }, 0, 0 },
      { { highWaterMark = 10, readableHighWaterMark = 5 }, 10, 10 },
      { { readableHighWaterMark = 5 }, 5, 65536 },
      { { writableHighWaterMark = 7 }, 65536, 7 },
      { {}, 65536, 65536 } }) do
      local s = net.Socket(case[1])
      assert.are.same({ case[2], case[3] },
        { s.readableHighWaterMark, s.writableHighWaterMark })
      s:destroy()
    end
  end)

  -- {highWaterMark: -1}, 1.5 and '5', {readableHighWaterMark: 'x'}: TypeError
  -- ERR_INVALID_ARG_VALUE "The property 'options.readableHighWaterMark' is
  -- invalid. Received -1" (1.5, '5', 'x').
  t.it('raise ERR_INVALID_ARG_VALUE unless a whole number >= 0', function()
    for _, case in ipairs({ { { highWaterMark = -1 }, '-1' },
      { { highWaterMark = 1.5 }, '1.5' }, { { highWaterMark = '5' }, "'5'" },
      { { readableHighWaterMark = 'x' }, "'x'" } }) do
      isNodeError(raised(net.Socket, case[1]), 'TypeError',
        'ERR_INVALID_ARG_VALUE', "The property " ..
        "'options.readableHighWaterMark' is invalid. Received " .. case[2])
    end
  end)
end)

describe('allowHalfOpen of net.Socket', function()
  -- [0, '', 'x', 1].map(v => new net.Socket({ allowHalfOpen: v })
  --   .allowHalfOpen) printed false false true true: Boolean(v).
  t.it('is true as JavaScript has it', function()
    local got = {}
    for i, v in ipairs({ 0, '', 'x', 1 }) do
      local s = net.Socket({ allowHalfOpen = v })
      got[i] = s.allowHalfOpen
      s:destroy()
    end
    assert.are.same({ false, false, true, true }, got)
  end)
end)

describe('listen() on an abstract path', function()
  -- net.createServer().listen({ path: '\0name', readableAll: true })
  -- throws TypeError ERR_INVALID_ARG_VALUE "The argument 'options' can not
  -- set readableAll or writableAllt to true when path is abstract unix
  -- socket. Received { path: '\x00name', readableAll: true }" (so for
  -- writableAll: true and readableAll: 1); with readableAll: false, or
  -- the string form, it listens.
  for _, case in ipairs({ { 'readableAll', true, 'true' },
    { 'writableAll', true, 'true' }, { 'readableAll', 1, '1' } }) do
    t.it('raises ERR_INVALID_ARG_VALUE at once with ' .. case[1] .. ' = ' ..
      case[3], function()
        local server = net.createServer()
        local err = raised(server.listen, server,
          { path = '\0name', [case[1]] = case[2] })
        isNodeError(err, 'TypeError', 'ERR_INVALID_ARG_VALUE',
          "The argument 'options' can not set readableAll or writableAllt " ..
          'to true when path is abstract unix socket. Received { path = ' ..
          '"\\x00name", ' .. case[1] .. ' = ' .. case[3] .. ' }')
        assert.is_false(server.listening)
        server:close()
      end)
  end

  t.it('listens with readableAll = false', function()
    local name = '\0luanet-node22-' .. os.tmpname():match('[^/]*$')
    local server = net.createServer()
    server:listen({ path = name, readableAll = false }, t.mustCall(function()
      assert.are.equal(name, server:address())
      server:close()
    end))
  end)
end)

describe('a NUL byte', function()
  local host = "The property 'options.host' must be a string without null " ..
    'bytes. Received '
  -- net.connect(80, 'a\0b'), net.connect({ port: 80, host: 'a\0b' }),
  -- new net.Socket().connect(80, 'a\0b') and net.connect(80,
  -- '127.0.0.1\0') throw TypeError ERR_INVALID_ARG_VALUE "The property
  -- 'options.host' must be a string without null bytes. Received
  -- 'a\x00b'" ('127.0.0.1\x00').
  t.it('in a host: every connect form raises ERR_INVALID_ARG_VALUE', function()
    local cases = {
      { function() return net.connect(80, 'a\0b') end, "'a\\x00b'" },
      { function() return net.connect({ port = 80, host = 'a\0b' }) end,
        "'a\\x00b'" },
      { function() return net.createConnection(80, 'a\0b') end,
        "'a\\x00b'" },
      { function() return net.Socket():connect(80, 'a\0b') end,
        "'a\\x00b'" },
      { function() return net.connect(80, '127.0.0.1\0') end,
        "'127.0.0.1\\x00'" },
    }
    for _, case in ipairs(cases) do
      isNodeError(raised(case[1]), 'TypeError', 'ERR_INVALID_ARG_VALUE',
        host .. case[2])
    end
  end)

  -- net.createServer().listen(0, 'a\0b'), .listen({ port: 0, host:
  -- 'a\0b' }) and .listen(0, '127.0.0.1\0') throw TypeError
  -- ERR_INVALID_ARG_VALUE "The argument 'hostname' must be a string
  -- without null bytes. Received 'a\x00b'".
  t.it('in a host: every listen form raises ERR_INVALID_ARG_VALUE', function()
    local server = net.createServer()
    local cases = {
      { function() server:listen(0, 'a\0b') end, "'a\\x00b'" },
      { function() server:listen({ port = 0, host = 'a\0b' }) end,
        "'a\\x00b'" },
      { function() server:listen(0, '127.0.0.1\0', 5) end,
        "'127.0.0.1\\x00'" },
    }
    for _, case in ipairs(cases) do
      isNodeError(raised(case[1]), 'TypeError', 'ERR_INVALID_ARG_VALUE',
        "The argument 'hostname' must be a string without null bytes. " ..
        'Received ' .. case[2])
    end
    assert.is_false(server.listening)
    server:close()
  end)

  -- const s = net.connect('/tmp/a\0b'); s.connecting, s.destroyed,
  -- s.readyState right after: false true closed; then 'error' Error EINVAL
  -- errno -22, syscall 'connect', address '/tmp/a\u0000b', no port,
  -- message "connect EINVAL /tmp/a\u0000b - Local (undefined:undefined)";
  -- then 'close' true. The same for { path } and socket.connect(path).
  t.it('in a path: every connect form is destroyed at once, EINVAL',
    function()
      local path, dir = tempPath('a')
      local bad = path .. '\0b'
      local forms = {
        function() return net.connect(bad, t.mustNotCall()) end,
        function() return net.connect({ path = bad }) end,
        function() return net.Socket():connect(bad) end,
      }
      local left = #forms
      for _, connect in ipairs(forms) do
        local socket = connect()
        assert.is_false(socket.connecting)
        assert.is_true(socket.destroyed)
        assert.are.equal('closed', socket.readyState)
        local gotError = false
        socket:on('error', t.mustCall(function(err)
          gotError = true
          assert.are.equal('Error', err.name)
          assert.are.equal('EINVAL', err.code)
          assert.are.equal(-22, err.errno)
          assert.are.equal('connect', err.syscall)
          assert.are.equal(bad, err.address)
          assert.is_nil(err.port)
          assert.are.equal('connect EINVAL ' .. bad ..
            ' - Local (undefined:undefined)', err.message)
        end))
        socket:on('close', t.mustCall(function(hadError)
          assert.is_true(gotError)
          assert.is_true(hadError)
          left = left - 1
          if left == 0 then
            assert.is_false(exists(path)) -- nothing was made at the cut name
            os.remove(dir)
          end
        end))
      end
    end)

  -- srv.listen('/tmp/a\0b', cb): srv.listening false at once; then
  -- 'error' Error EINVAL errno -22, syscall 'listen', address
  -- '/tmp/a\u0000b', port -1, message "listen EINVAL: invalid argument
  -- /tmp/a\u0000b"; a listen(0, '127.0.0.1') after it works (and calls
  -- cb too, a 'listening' listener). The same for { path }.
  t.it('in a path: every listen form emits EINVAL, and listens no more',
    function()
      local path, dir = tempPath('a')
      local bad = path .. '\0b'
      local left = 2
      for _, arg in ipairs({ bad, { path = bad } }) do
        local server = net.createServer()
        server:listen(arg, t.mustCall(function() server:close() end))
        server:on('close', t.mustCall(function()
          left = left - 1
          if left == 0 then
            assert.is_false(exists(path))
            os.remove(dir)
          end
        end))
        assert.is_false(server.listening)
        server:on('error', t.mustCall(function(err)
          assert.are.equal('EINVAL', err.code)
          assert.are.equal(-22, err.errno)
          assert.are.equal('listen', err.syscall)
          assert.are.equal(bad, err.address)
          assert.are.equal(-1, err.port)
          assert.are.equal('listen EINVAL: invalid argument ' .. bad,
            err.message)
          assert.is_false(server.listening)
          server:listen(0, '127.0.0.1')
        end))
      end
    end)

  -- srv.listen({ path: '\0luanet\0node22' }): address() is
  -- "\u0000luanet\u0000node22", and net.connect('\0luanet\0node22')
  -- reaches it: in the abstract namespace a NUL is part of the name.
  t.it('in an abstract path is part of the name', function()
    local name = '\0luanet\0node22-' .. os.tmpname():match('[^/]*$')
    local server
    server = net.createServer(t.mustCall(function(socket)
      socket:destroy()
      server:close()
    end))
    server:listen({ path = name }, t.mustCall(function()
      assert.are.equal(name, server:address())
      local client
      client = net.connect(name, t.mustCall(function() client:destroy() end))
    end))
  end)
end)

describe('a host that is no string', function()
  -- net.connect({ port: 80, host: 5 }) throws TypeError
  -- ERR_INVALID_ARG_TYPE 'The "options.host" property must be of type
  -- string. Received type number (5)'; host: true "...Received type
  -- boolean (true)"; host: {} "...Received an instance of Object" (a
  -- table here: "Received type table"). listen({ port: 0, host: 5 }):
  -- 'The "hostname" argument must be of type string. Received type
  -- number (5)'; listen(0, 5) listens on any address.
  t.it("raises Node 22's ERR_INVALID_ARG_TYPE in connect and listen",
    function()
      local server = net.createServer()
      for _, case in ipairs({ { 5, 'type number (5)' },
        { true, 'type boolean (true)' }, { {}, 'type table' } }) do
        isNodeError(raised(net.connect, { port = 80, host = case[1] }),
          'TypeError', 'ERR_INVALID_ARG_TYPE', 'The "options.host" ' ..
          'property must be of type string. Received ' .. case[2])
        isNodeError(raised(server.listen, server,
          { port = 0, host = case[1] }), 'TypeError', 'ERR_INVALID_ARG_TYPE',
          'The "hostname" argument must be of type string. Received ' ..
          case[2])
      end
      server:listen(0, 5, t.mustCall(function() server:close() end))
    end)
end)

describe('ERR_SOCKET_BAD_PORT', function()
  -- Each throws RangeError ERR_SOCKET_BAD_PORT with the message beside it.
  t.it('is a RangeError in every connect and listen form', function()
    local server = net.createServer()
    local connect = 'Port should be >= 0 and < 65536. Received '
    local listen = 'options.port should be >= 0 and < 65536. Received '
    local cases = {
      { function() net.connect(-1) end, connect .. 'type number (-1).' },
      { function() net.connect({ port = 70000 }) end,
        connect .. 'type number (70000).' },
      { function() net.createConnection('65536') end,
        connect .. "type string ('65536')." },
      { function() net.Socket():connect(1.5, '127.0.0.1') end,
        connect .. 'type number (1.5).' },
      { function() net.connect({ port = 'abc', host = '127.0.0.1' }) end,
        connect .. "type string ('abc')." },
      { function() server:listen(70000) end, listen .. 'type number (70000).' },
      { function() server:listen({ port = -1 }) end,
        listen .. 'type number (-1).' },
      { function() server:listen({ port = '1e6' }) end,
        listen .. "type string ('1e6')." },
      { function() server:listen(1.5, '127.0.0.1') end,
        listen .. 'type number (1.5).' },
    }
    for _, case in ipairs(cases) do
      isNodeError(raised(case[1]), 'RangeError', 'ERR_SOCKET_BAD_PORT',
        case[2])
    end
    server:close()
  end)
end)

describe('node: module names', function()
  local names = { 'assert', 'console', 'events', 'net', 'process', 'repl',
    'timers', 'util' }
  local check = "for _, n in ipairs({ '" .. table.concat(names, "', '") ..
    "' }) do io.write(n, ' ', tostring(require('node:' .. n) == " ..
    "require(n)), '\\n') end"
  -- for (const n of [...]) console.log(n, require('node:' + n) ===
  -- require(n)): true for each.
  local want = {}
  for _, n in ipairs(names) do want[#want + 1] = n .. ' true\n' end
  want = table.concat(want)

  t.it('give the same module in a luanet script', function()
    local out, err, code = h.exec({ '-e', check })
    assert.are.equal('', err)
    assert.are.equal(want, out)
    assert.are.equal(0, code)
  end)

  t.it("give the same module after require('luanet') in a stock lua5.4",
    function()
      local p = assert(io.popen('lua5.4 -e ' .. h.shellQuote(
        "package.cpath = '" .. h.build .. "/?.so;' .. package.cpath " ..
        "require('luanet') " .. check)))
      local out = p:read('a')
      assert.is_true(p:close())
      assert.are.equal(want, out)
    end)

  t.it('are only the built-in modules', function()
    -- require('node:errors'): Node has no such module. luanet's internal
    -- one stays out of reach (Lua's "not found", not Node's
    -- ERR_UNKNOWN_BUILTIN_MODULE).
    local ok, err = pcall(require, 'node:errors')
    assert.is_false(ok)
    assert.matches("module 'node:errors' not found", err, 1, true)
  end)
end)

describe('the autoSelectFamily defaults', function()
  after_each(function()
    net.setDefaultAutoSelectFamily(true)
    net.setDefaultAutoSelectFamilyAttemptTimeout(250)
  end)

  -- console.log(net.getDefaultAutoSelectFamily(),
  --   net.getDefaultAutoSelectFamilyAttemptTimeout()): true 250
  t.it('are true and 250 ms at start', function()
    local out = h.exec({ '-e', 'print(net.getDefaultAutoSelectFamily(), ' ..
      'net.getDefaultAutoSelectFamilyAttemptTimeout())' })
    assert.are.equal('true\t250\n', out)
  end)

  -- setDefaultAutoSelectFamily(false) then get: false; (true): true; each
  -- returns undefined. setDefaultAutoSelectFamilyAttemptTimeout(v) then
  -- get: 1 -> 10, 9 -> 10, 10 -> 10, 11 -> 11, 500 -> 500, 2147483647.
  t.it('are set and read back, the timeout at least 10 ms', function()
    assert.are.equal(0, select('#', net.setDefaultAutoSelectFamily(false)))
    assert.is_false(net.getDefaultAutoSelectFamily())
    net.setDefaultAutoSelectFamily(true)
    assert.is_true(net.getDefaultAutoSelectFamily())
    for _, case in ipairs({ { 1, 10 }, { 9, 10 }, { 10, 10 }, { 11, 11 },
      { 500, 500 }, { 2147483647, 2147483647 } }) do
      assert.are.equal(0,
        select('#', net.setDefaultAutoSelectFamilyAttemptTimeout(case[1])))
      assert.are.equal(case[2], net.getDefaultAutoSelectFamilyAttemptTimeout())
    end
  end)

  -- Each throws as beside it, and leaves the default as it was.
  t.it('refuse what Node refuses', function()
    local boolean = 'The "value" argument must be of type boolean. Received '
    for _, case in ipairs({ { 1, 'type number (1)' },
      { 'true', "type string ('true')" }, { nil, 'nil' },
      { 0, 'type number (0)' } }) do
      isNodeError(raised(net.setDefaultAutoSelectFamily, case[1]),
        'TypeError', 'ERR_INVALID_ARG_TYPE', boolean .. case[2])
    end
    local range = 'The value of "value" is out of range. It must be '
    for _, case in ipairs({
      { 0, 'RangeError', 'ERR_OUT_OF_RANGE',
        range .. '>= 1 && <= 2147483647. Received 0' },
      { -1, 'RangeError', 'ERR_OUT_OF_RANGE',
        range .. '>= 1 && <= 2147483647. Received -1' },
      { 1.5, 'RangeError', 'ERR_OUT_OF_RANGE',
        range .. 'an integer. Received 1.5' },
      { 0 / 0, 'RangeError', 'ERR_OUT_OF_RANGE',
        range .. 'an integer. Received NaN' },
      { math.huge, 'RangeError', 'ERR_OUT_OF_RANGE',
        range .. 'an integer. Received Infinity' },
      { 2 ^ 31, 'RangeError', 'ERR_OUT_OF_RANGE',
        range .. '>= 1 && <= 2147483647. Received 2147483648' },
      { '100', 'TypeError', 'ERR_INVALID_ARG_TYPE', 'The "value" argument ' ..
        "must be of type number. Received type string ('100')" },
      { nil, 'TypeError', 'ERR_INVALID_ARG_TYPE', 'The "value" argument ' ..
        'must be of type number. Received nil' },
    }) do
      isNodeError(raised(net.setDefaultAutoSelectFamilyAttemptTimeout,
        case[1]), case[2], case[3], case[4])
    end
    assert.is_true(net.getDefaultAutoSelectFamily())
    assert.are.equal(250, net.getDefaultAutoSelectFamilyAttemptTimeout())
  end)

  -- connect() takes them when its options do not say: a name with
  -- several addresses, in a private /etc/hosts (dual.test is ::1, then
  -- 127.0.0.1; slow1.test is 10.9.9.3, which never answers, then
  -- 127.0.0.1), as socket_spec's tests of autoSelectFamily make it
  -- (needs root for unshare).
  local dir = os.tmpname()
  os.remove(dir)
  local hosts, gai = dir .. '/hosts', dir .. '/gai.conf'
  os.execute('mkdir ' .. dir)
  local f = assert(io.open(hosts, 'w'))
  f:write('::1 dual.test\n127.0.0.1 dual.test\n127.0.0.1 localhost\n' ..
    '10.9.9.3 slow1.test\n127.0.0.1 slow1.test\n')
  f:close()
  f = assert(io.open(gai, 'w'))
  f:write('precedence ::ffff:10.9.9.0/120 60\nprecedence ::1/128 50\n' ..
    'precedence ::/0 40\nprecedence ::ffff:0:0/96 10\n')
  f:close()
  local silentNet = 'ip link set lo up && ip link add v0 type veth peer ' ..
    'name v1 && ip addr add 10.9.9.1/24 dev v0 && ip link set v0 up && ' ..
    'ip link set v1 up && mount --bind ' .. gai .. ' /etc/gai.conf && '
  local canUnshare = os.execute('unshare -m sh -c "mount --bind ' .. hosts ..
    ' /etc/hosts" 2>/dev/null') == true
  local canNet = canUnshare and os.execute('unshare -m -n sh -c ' ..
    h.shellQuote(silentNet .. 'true') .. ' 2>/dev/null') == true

  -- Runs code in build/luanet with the private /etc/hosts (and network);
  -- returns what it printed.
  local function runPrivate(code, private)
    local script = h.script(code)
    local out = os.tmpname()
    os.execute('unshare -m ' .. (private and '-n ' or '') .. 'sh -c ' ..
      h.shellQuote((private and silentNet or '') .. 'mount --bind ' ..
      hosts .. ' /etc/hosts && exec ' .. h.exe .. ' ' .. script .. ' >' ..
      out .. ' 2>&1'))
    local text = h.readAll(out)
    os.remove(out)
    os.remove(script)
    return text
  end

  -- net.setDefaultAutoSelectFamily(false); net.connect(port,
  -- 'dual.test') on a closed port: "lookup ::1", "connect ECONNREFUSED
  -- ::1:PORT" (one address only); then with true, and
  -- { autoSelectFamily: false }: "Error connect ECONNREFUSED ::1:PORT";
  -- with neither: "AggregateError 2".
  t.it('autoSelectFamily: connect() tries one address when it is false',
    function()
      if not canUnshare then
        pending('cannot make a private /etc/hosts (unshare -m needs root)')
        return
      end
      assert.are.equal('lookup ::1\nconnect ECONNREFUSED ::1:PORT\n' ..
        'explicit false: Error connect ECONNREFUSED ::1:PORT\n' ..
        'default true: AggregateError 2\n', runPrivate([[
        local net = require('net')
        local srv = net.createServer()
        srv:listen(0, '127.0.0.1', function()
          local port = srv:address().port
          srv:close(function()
            net.setDefaultAutoSelectFamily(false)
            local c = net.connect(port, 'dual.test')
            c:on('lookup', function(_, address) print('lookup ' .. address) end)
            c:on('error', function(err)
              print((err.message:gsub(port, 'PORT')))
              net.setDefaultAutoSelectFamily(true)
              local d = net.connect({ port = port, host = 'dual.test',
                autoSelectFamily = false })
              d:on('error', function(e)
                print('explicit false: ' .. e.name .. ' ' ..
                  e.message:gsub(port, 'PORT'))
                local last = net.connect({ port = port, host = 'dual.test' })
                last:on('error', function(e2)
                  print('default true: ' .. e2.name .. ' ' .. #e2.errors)
                end)
              end)
            end)
          end)
        end)
      ]]))
    end)

  -- net.setDefaultAutoSelectFamilyAttemptTimeout(600); connect to
  -- slow1.test: "default 600: connected 127.0.0.1 after >= 600 ms"; then
  -- (5): "default 10: connected 127.0.0.1 after >= 10 ms".
  t.it('autoSelectFamilyAttemptTimeout: connect() waits that long for an ' ..
    'address', function()
      if not canNet then
        pending('cannot make a private network (unshare -n needs root)')
        return
      end
      assert.are.equal('default 600: connected 127.0.0.1 after >= 600 ms\n' ..
        'default 10: connected 127.0.0.1 after >= 10 ms\n', runPrivate([[
        local net = require('net')
        local server = net.createServer(function(s) s:destroy() end)
        local function attempt(ms, done)
          local start = process.hrtime()
          local c
          c = net.connect({ port = server:address().port,
            host = 'slow1.test' }, function()
              local d = process.hrtime(start)
              local took = d[1] * 1e3 + d[2] / 1e6
              -- libuv's timers count from the loop's time: a few ms early
              print(('default %d: connected %s after >= %d ms'):format(
                net.getDefaultAutoSelectFamilyAttemptTimeout(),
                c.remoteAddress, took >= ms - 10 and ms or took))
              c:destroy()
              done()
            end)
        end
        server:listen(0, '127.0.0.1', function()
          net.setDefaultAutoSelectFamilyAttemptTimeout(600)
          attempt(600, function()
            net.setDefaultAutoSelectFamilyAttemptTimeout(5)
            attempt(10, function() server:close() end)
          end)
        end)
      ]], true))
    end)

  teardown(function()
    os.remove(hosts)
    os.remove(gai)
    os.remove(dir)
  end)
end)

describe('<close>', function()
  -- srv.listen(0, '127.0.0.1', async () => { const p =
  -- srv[Symbol.asyncDispose](); console.log(srv.listening); await p; }):
  -- false, then 'close', then the promise resolves.
  t.it('closes a listening server when its scope ends', function()
    local server
    do
      local s <close> = net.createServer()
      server = s
      s:on('close', t.mustCall())
      s:listen(0, '127.0.0.1')
      assert.is_true(s.listening)
    end
    assert.is_false(server.listening)
  end)

  t.it('closes a listening server when an error leaves its scope', function()
    local server
    local ok, err = pcall(function()
      local s <close> = net.createServer()
      server = s
      s:on('close', t.mustCall())
      s:listen(0, '127.0.0.1')
      error('left by an error')
    end)
    assert.is_false(ok)
    assert.matches('left by an error', err, 1, true)
    assert.is_false(server.listening)
  end)

  -- new net.Server()[Symbol.asyncDispose]() on a server that never
  -- listened: resolves, and no 'close' is emitted.
  t.it('leaves a server that is not listening alone', function()
    do
      local s <close> = net.createServer()
      s:on('close', t.mustNotCall())
    end
  end)

  -- srv.listen(0, 'localhost'); srv[Symbol.asyncDispose](): resolves at
  -- once, then "listening!" (Node skips a server with no handle yet, and
  -- it listens beyond its scope). luanet closes it: 'close', no
  -- 'listening'.
  t.it('closes a server still resolving its host, unlike Node', function()
    do
      local s <close> = net.createServer()
      s:on('listening', t.mustNotCall())
      s:on('close', t.mustCall())
      s:listen(0, 'localhost')
    end
  end)

  -- In a 'connection' listener, srv[Symbol.asyncDispose](), and the
  -- socket destroyed 20 ms later: [ 'disposed false', 'server closed',
  -- 'connection closed' ] ('close' once that connection is gone, emitted
  -- before the socket's own).
  t.it('lets the connections a server has end first', function()
    local events, server = {}, nil
    server = net.createServer(function(socket)
      do
        local _ <close> = server
      end
      events[#events + 1] = 'disposed ' .. tostring(server.listening)
      socket:on('close', t.mustCall(function()
        events[#events + 1] = 'connection closed'
        assert.are.same({ 'disposed false', 'server closed',
          'connection closed' }, events)
      end))
      h.timers.setTimeout(function() socket:destroy() end, 20)
    end)
    server:on('close', t.mustCall(function()
      events[#events + 1] = 'server closed'
    end))
    server:listen(0, '127.0.0.1', function()
      net.connect(server:address().port, '127.0.0.1'):resume()
    end)
  end)

  -- A connected socket's scope ending: it is destroyed, and the peer sees
  -- its end ("server saw end", "server side close").
  for _, how in ipairs({ 'normally', 'by an error' }) do
    t.it('destroys a socket when its scope ends ' .. how, function()
      local server
      server = h.listen(function(peer)
        peer:on('end', t.mustCall())
        peer:on('close', t.mustCall(function() server:close() end))
        peer:resume()
      end)
      local client = net.connect(server:address().port, '127.0.0.1')
      client:on('connect', t.mustCall(function()
        local socket
        pcall(function()
          local s <close> = client
          socket = s
          if how == 'by an error' then error('left by an error') end
        end)
        assert.is_true(socket.destroyed)
      end))
      client:on('close', t.mustCall())
    end)
  end

  -- c[Symbol.asyncDispose]() on a connected socket with an 'error'
  -- listener: "error event AbortError ABORT_ERR The operation was
  -- aborted", then "client close true"; without one, nothing is uncaught
  -- and 'close' is true; after 'end' (readableEnded), no error and
  -- "close false". luanet's __close is destroy() without an error.
  local function connected(onconnect)
    local server
    server = h.listen(function(c)
      server:close()
      c:on('error', function() end)
      c:resume()
      if onconnect.peerEnds then c:end_() end
    end)
    local client = net.connect(server:address().port, '127.0.0.1')
    client:resume()
    return client
  end

  t.it("destroys a socket with an AbortError for its 'error' listeners",
    function()
      local client = connected({})
      local seen = {}
      client:on('error', function(err)
        seen[#seen + 1] = table.concat({ 'error', err.name, err.code,
          err.message }, ' ')
      end)
      client:on('close', t.mustCall(function(hadError)
        seen[#seen + 1] = 'close ' .. tostring(hadError)
        assert.are.same({ 'error AbortError ABORT_ERR The operation was ' ..
          'aborted', 'close true' }, seen)
      end))
      client:on('connect', function()
        local _ <close> = client
      end)
    end)

  t.it('makes no uncaught error without a listener', function()
    local client = connected({})
    client:on('close', t.mustCall(function(hadError)
      assert.is_true(hadError)
    end))
    client:on('connect', function()
      local _ <close> = client
    end)
  end)

  t.it('destroys without an error once the readable side ended', function()
    local client = connected({ peerEnds = true })
    client:on('error', t.mustNotCall())
    client:on('end', function()
      local _ <close> = client
    end)
    client:on('close', t.mustCall(function(hadError)
      assert.is_false(hadError)
    end))
  end)
end)
