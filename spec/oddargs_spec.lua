-- Odd but legal arguments to connect(), listen() and pipe(), taken as
-- Node 22 takes them: NaN options, empty hosts and paths, local ports
-- out of range, connect() on a socket that is connecting or destroyed, a
-- host getaddrinfo refuses, a destination that is not a stream. Every
-- expectation is what Node 22 printed for the same JavaScript, quoted
-- beside it.
local h = require('spec.helpers')
local t = require('luanet.test')
local net = h.net

-- Calls f(...) and returns the error it raised (failing if it did not).
local function raised(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok, 'expected an error')
  return err
end

-- A server on 127.0.0.1 that ends each connection at once and closes
-- after `count` (1) of them; returns it and its port.
local function endingServer(count)
  local server
  server = h.listen(function(socket)
    socket:end_()
    count = (count or 1) - 1
    if count == 0 then server:close() end
  end)
  return server, server:address().port
end

describe('NaN where Node takes any number', function()
  -- net.Socket({ keepAlive: true, keepAliveInitialDelay: NaN }) and
  -- net.createServer({ ...the same }) do not throw in Node 22; NaN / 1000
  -- | 0 is a delay of 0, as if none was given; the same for
  -- setKeepAlive(true, NaN).
  t.it('keepAliveInitialDelay = NaN makes a socket and a server', function()
    local socket = net.Socket({ keepAlive = true,
      keepAliveInitialDelay = 0 / 0 })
    assert.are.equal(socket, socket:setKeepAlive(true, 0 / 0))
    local server = net.createServer({ keepAlive = true,
      keepAliveInitialDelay = 0 / 0 }, t.mustCall(function(c) c:end_() end))
    server:listen(0, '127.0.0.1', function()
      local client = net.connect({ port = server:address().port,
        host = '127.0.0.1', keepAlive = true, keepAliveInitialDelay = 0 / 0 })
      client:on('connect', t.mustCall())
      client:on('close', function() server:close() end)
      client:resume()
    end)
  end)

  -- net.connect({ port, host: '127.0.0.1', localPort: NaN }) connects
  -- from a port of the kernel's choosing ("connect localPort 48798").
  t.it('localPort = NaN connects from any port', function()
    local _, port = endingServer()
    local client = net.connect({ port = port, host = '127.0.0.1',
      localPort = 0 / 0 })
    client:on('connect', t.mustCall(function()
      assert.is_true(client.localPort > 0)
    end))
    client:resume()
  end)
end)

describe('connect() with an empty host or path', function()
  -- net.connect({ port, host: '' }) and net.connect(port, '') connect
  -- to localhost (options.host || 'localhost').
  t.it("takes host = '' for localhost", function()
    local _, port = endingServer(2)
    for _, client in ipairs({ net.connect({ port = port, host = '' }),
      net.connect(port, '') }) do
      client:on('connect', t.mustCall(function()
        assert.are.equal(port, client.remotePort)
      end))
      client:resume()
    end
  end)

  -- net.connect('') throws: "RangeError [ERR_SOCKET_BAD_PORT]: Port
  -- should be >= 0 and < 65536. Received type string ('')." ('' reads as
  -- the number 0, so it is a port, not a path).
  t.it("raises ERR_SOCKET_BAD_PORT for connect('')", function()
    local err = raised(net.connect, '')
    assert.are.equal('RangeError', err.name)
    assert.are.equal('ERR_SOCKET_BAD_PORT', err.code)
    assert.are.equal("Port should be >= 0 and < 65536. Received type " ..
      "string ('').", err.message)
  end)

  -- net.connect({ path: '' }) is no path: a TCP connect to localhost
  -- port 0, which emits "connect ECONNREFUSED 127.0.0.1" (no port in the
  -- message, none in the error).
  t.it("takes path = '' as no path: port 0 on localhost, refused", function()
    local client = net.connect({ path = '', host = '127.0.0.1' })
    client:on('error', t.mustCall(function(err)
      assert.are.equal('ECONNREFUSED', err.code)
      assert.are.equal('connect', err.syscall)
      assert.are.equal('connect ECONNREFUSED 127.0.0.1', err.message)
      assert.is_nil(err.port)
    end))
    client:on('close', t.mustCall(function(hadError)
      assert.is_true(hadError)
    end))
  end)
end)

describe('connect() with localPort', function()
  -- Node binds (localPort | 0) & 0xffff, and fails only when the bound
  -- port is not the positive localPort asked for:
  --   localPort: -1 connects from port 65535, -65536 from any port;
  --   1.5, 70000, Infinity emit "bind EADDRINUSE 0.0.0.0:1.5" (errno -98,
  --   syscall 'bind', address '0.0.0.0', port as given), then close(true);
  --   '5' throws ERR_INVALID_ARG_TYPE; '' (falsy) is no local port.
  t.it('connects from port 65535 for -1, as Node binds it', function()
    local _, port = endingServer()
    local client = net.connect({ port = port, host = '127.0.0.1',
      localPort = -1 })
    client:on('connect', t.mustCall(function()
      assert.are.equal(65535, client.localPort)
    end))
    client:resume()
  end)

  t.it("connects from any port for -65536 and ''", function()
    local _, port = endingServer(2)
    for _, localPort in ipairs({ -65536, '' }) do
      local client = net.connect({ port = port, host = '127.0.0.1',
        localPort = localPort })
      client:on('connect', t.mustCall(function()
        assert.is_true(client.localPort > 0)
      end))
      client:resume()
    end
  end)

  for _, case in ipairs({ { 1.5, '1.5' }, { 70000, '70000' },
    { math.huge, 'Infinity' } }) do
    t.it('emits bind EADDRINUSE for ' .. case[2], function()
      local client = net.connect({ port = 9, host = '127.0.0.1',
        localPort = case[1] })
      assert.is_true(client.connecting)
      client:on('connect', t.mustNotCall())
      client:on('error', t.mustCall(function(err)
        assert.are.equal('Error', err.name)
        assert.are.equal('EADDRINUSE', err.code)
        assert.are.equal(-98, err.errno)
        assert.are.equal('bind', err.syscall)
        assert.are.equal('0.0.0.0', err.address)
        assert.are.equal(case[1], err.port)
        assert.are.equal('bind EADDRINUSE 0.0.0.0:' .. case[2], err.message)
      end))
      client:on('close', t.mustCall(function(hadError)
        assert.is_true(hadError)
      end))
    end)
  end

  t.it("raises ERR_INVALID_ARG_TYPE for '5'", function()
    local err = raised(net.connect, { port = 9, host = '127.0.0.1',
      localPort = '5' })
    assert.are.equal('ERR_INVALID_ARG_TYPE', err.code)
    assert.are.equal('The "options.localPort" property must be of type ' ..
      "number. Received type string ('5')", err.message)
  end)
end)

describe('connect() again', function()
  -- s = net.connect(port, '127.0.0.1'); s.connect(port2, '127.0.0.1'):
  -- connecting stays true; on the next tick 'error' "connect EALREADY
  -- 127.0.0.1:PORT2 - Local (127.0.0.1:LOCALPORT)" (errno -114, syscall
  -- 'connect', address and port of the second call; no localAddress
  -- field), then close(true); neither 'connect' comes.
  t.it('while connecting emits EALREADY, then closes', function()
    local server, port = h.listen(function(c) c:destroy() end)
    local client = net.connect(port, '127.0.0.1', t.mustNotCall())
    assert.are.equal(client, client:connect(port + 1, '127.0.0.1',
      t.mustNotCall()))
    assert.is_true(client.connecting)
    client:on('error', t.mustCall(function(err)
      assert.are.equal('EALREADY', err.code)
      assert.are.equal(-114, err.errno)
      assert.are.equal('connect', err.syscall)
      assert.are.equal('127.0.0.1', err.address)
      assert.are.equal(port + 1, err.port)
      assert.is_nil(err.localAddress)
      assert.matches('^connect EALREADY 127%.0%.0%.1:' .. (port + 1) ..
        ' %- Local %(127%.0%.0%.1:%d+%)$', err.message)
    end))
    client:on('close', t.mustCall(function(hadError)
      assert.is_true(hadError)
      server:close()
    end))
  end)

  -- s = net.connect(path); s.connect(path): 'error' "connect EISCONN
  -- PATH" (errno -106, address the path, no port), then close(true).
  t.it('while connecting to a path emits EISCONN, then closes', function()
    local path = os.tmpname()
    os.remove(path)
    local server = net.createServer(function(c) c:destroy() end)
    server:listen(path)
    local client = net.connect(path)
    client:connect(path)
    client:on('connect', t.mustNotCall())
    client:on('error', t.mustCall(function(err)
      assert.are.equal('EISCONN', err.code)
      assert.are.equal(-106, err.errno)
      assert.are.equal('connect', err.syscall)
      assert.are.equal(path, err.address)
      assert.is_nil(err.port)
      assert.are.equal('connect EISCONN ' .. path, err.message)
    end))
    client:on('close', t.mustCall(function(hadError)
      assert.is_true(hadError)
      server:close()
    end))
  end)

  -- s.destroy(); s.connect(port, '127.0.0.1'): 'close' (of the destroy),
  -- then 'connect', and data flows.
  t.it('right after destroy() connects afresh once the old handle closed',
    function()
      local server, port = h.listen(function(c) c:end_('hi') end)
      local client = net.Socket()
      local seen = {}
      client:on('close', t.mustCall(function()
        seen[#seen + 1] = 'close'
        if #seen == 3 then
          assert.are.same({ 'close', 'connect', 'close' }, seen)
        end
      end, 2))
      client:destroy()
      client:connect(port, '127.0.0.1', t.mustCall(function()
        seen[#seen + 1] = 'connect'
        server:close()
      end))
      client:on('data', t.mustCall(function(d) assert.are.equal('hi', d) end))
    end)
end)

describe('listen() on a host getaddrinfo refuses', function()
  -- server.listen(0, 'a'.repeat(n)) for n = 300 and 1e8: no throw,
  -- listening stays false; 'error' with code 'EINVAL', errno -22,
  -- syscall 'getaddrinfo', hostname the host, message
  -- "getaddrinfo EINVAL " .. host; no 'listening'.
  for _, n in ipairs({ 300, 1024 * 1024 }) do
    t.it('emits getaddrinfo EINVAL for a ' .. n .. '-byte host', function()
      local host = ('a'):rep(n)
      local server = net.createServer()
      server:on('listening', t.mustNotCall())
      server:on('error', t.mustCall(function(err)
        assert.are.equal('EINVAL', err.code)
        assert.are.equal(-22, err.errno)
        assert.are.equal('getaddrinfo', err.syscall)
        assert.are.equal(host, err.hostname)
        assert.is_true(err.message == 'getaddrinfo EINVAL ' .. host)
      end))
      assert.are.equal(server, server:listen(0, host))
      assert.is_false(server.listening)
    end)
  end
end)

describe('pipe() into what is not a stream', function()
  -- socket.pipe({ write() {} }) throws at once "TypeError: dest.on is
  -- not a function": nothing is read or written.
  t.it('raises TypeError at once for a table with only write', function()
    local server, port = h.listen(function(c) c:end_('hello') end)
    local client = net.connect(port, '127.0.0.1')
    local written = {}
    local err = raised(client.pipe, client, {
      write = function(_, d) written[#written + 1] = d return true end })
    assert.are.equal('TypeError', err.name)
    assert.is_nil(err.code)
    assert.are.equal('dest.on is not a function', err.message)
    assert.are.equal('TypeError: dest.on is not a function', tostring(err))
    client:on('close', t.mustCall(function()
      assert.are.same({}, written)
      server:close()
    end))
    client:destroy()
  end)

  -- An EventEmitter with write and no end: the data is written, then
  -- 'end' throws "TypeError: dest.end is not a function", uncaught.
  t.it("writes to an emitter without end, then raises at 'end'", function()
    local process = h.process
    local server, port = h.listen(function(c) c:end_('hello') end)
    local client = net.connect(port, '127.0.0.1')
    local dest = require('events')()
    local written = {}
    function dest.write(_, d) written[#written + 1] = d return true end
    local function listener(err)
      assert.are.equal('TypeError', err.name)
      assert.are.equal('dest.end is not a function', err.message)
      assert.are.same({ 'hello' }, written)
      server:close()
    end
    local counted = t.mustCall(listener)
    process:on('uncaughtException', counted)
    finally(function() process:off('uncaughtException', counted) end)
    assert.are.equal(dest, client:pipe(dest))
  end)
end)

-- Node 22: net.createServer({ highWaterMark = -1 }) gives connections the
-- default marks; Infinity, NaN and 1.5 are accepted, and each connection
-- then throws "TypeError [ERR_INVALID_ARG_VALUE]: The property
-- 'options.readableHighWaterMark' is invalid. Received Infinity". luanet
-- raises that error at createServer, before any connection.
describe("createServer's highWaterMark", function()
  t.it('takes a negative one as the default', function()
    local default = net.Socket().readableHighWaterMark
    local server
    server = net.createServer({ highWaterMark = -1 }, t.mustCall(function(c)
      assert.are.equal(default, c.readableHighWaterMark)
      assert.are.equal(default, c.writableHighWaterMark)
      c:destroy()
      server:close()
    end))
    server:listen(0, '127.0.0.1', function()
      net.connect(server:address().port, '127.0.0.1')
        :on('error', function() end)
    end)
  end)

  for _, v in ipairs({ math.huge, 0 / 0, 1.5 }) do
    t.it('raises ERR_INVALID_ARG_VALUE for ' .. tostring(v), function()
      local err = raised(net.createServer, { highWaterMark = v })
      assert.are.equal('ERR_INVALID_ARG_VALUE', err.code)
      assert.matches("The property 'options.readableHighWaterMark' is " ..
        'invalid. Received', err.message, 1, true)
    end)
  end
end)

-- Node 22, the same JavaScript: a host isIP refuses is looked up, even when
-- it reads as an address with an odd zone; a localAddress is bound with
-- the destination's family, so an IPv6 one for an IPv4 destination gives
-- 'error' "bind EINVAL ::1", however long its zone.
describe('connect() with odd addresses', function()
  t.it("looks up a host isIP refuses ('::%\\xC8'), never connecting to ::",
    function()
      local c = net.connect({ port = 1, host = '::%\xC8' })
      c:on('connect', t.mustNotCall())
      c:on('error', t.mustCall(function(err)
        assert.are.equal('getaddrinfo', err.syscall)
      end))
    end)

  for _, localAddress in ipairs({ '::1', '::%' .. ('l'):rep(120) }) do
    t.it('emits bind EINVAL for localAddress ' .. localAddress:sub(1, 8) ..
      '... with an IPv4 destination', function()
        local c = net.connect({ port = 1, host = '127.0.0.1',
          localAddress = localAddress })
        c:on('error', t.mustCall(function(err)
          assert.are.equal('EINVAL', err.code)
          assert.are.equal('bind', err.syscall)
          assert.are.equal('bind EINVAL ' .. localAddress, err.message)
        end))
      end)
  end
end)

-- Node 22: a port given as a string is read as JavaScript's +port, and a
-- string that is no number is a path: listen({ port = '0b101' }) listens
-- on 5, '+0x10' and '0x1p4' raise ERR_SOCKET_BAD_PORT; connect('+0x10',
-- host) goes to the Unix path '+0x10' (ENOENT).
describe('a port given as a string', function()
  t.it('is read as JavaScript reads +port', function()
    for port, want in pairs({ ['0b101'] = 5, ['0o17'] = 15, ['0x10'] = 16,
      [' 80 '] = 80 }) do
      local s = net.createServer()
      s:listen({ port = port, host = '127.0.0.1' })
      -- a privileged port may be taken: only what listen() made of it
      assert.is_true(s:address() == nil or s:address().port == want)
      s:on('error', function() end)
      s:close()
    end
    for _, port in ipairs({ '+0x10', '0x1p4', '1.5' }) do
      local err = raised(net.createServer().listen, net.createServer(),
        { port = port })
      assert.are.equal('ERR_SOCKET_BAD_PORT', err.code)
    end
  end)

  t.it('that is no number is a path for connect()', function()
    local c = net.connect('+0x10', '127.0.0.1')
    c:on('error', t.mustCall(function(err)
      assert.are.equal('ENOENT', err.code)
      assert.are.equal('+0x10', err.address)
    end))
  end)
end)
