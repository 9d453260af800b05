-- net.Server: createServer, listen, address, 'listening', 'connection',
-- close, 'close', and their error paths.
local h = require('spec.helpers')
local t = require('luanet.test')
local net = h.net

describe('net.createServer', function()
  t.it('adds the connection listener and hands it each connected socket',
    function()
      local server
      server = net.createServer(t.mustCall(function(socket)
        assert.are.equal('open', socket.readyState)
        assert.are.equal('127.0.0.1', socket.remoteAddress)
        socket:destroy()
        server:close()
      end))
      server:listen(0, '127.0.0.1')
      net.connect(server:address().port, '127.0.0.1'):resume()
    end)

  t.it('takes options before the listener', function()
    local server
    server = net.createServer({ allowHalfOpen = true },
      t.mustCall(function(socket)
        assert.is_true(socket.allowHalfOpen)
        socket:destroy()
        server:close()
      end))
    server:listen(0, '127.0.0.1', function()
      net.connect(server:address().port, '127.0.0.1'):resume()
    end)
  end)

  t.it('raises ERR_INVALID_ARG_TYPE for options that are not a table',
    function()
      local ok, err = pcall(net.createServer, 42)
      assert.is_false(ok)
      assert.are.equal('ERR_INVALID_ARG_TYPE', err.code)
      assert.are.equal('TypeError', err.name)
    end)
end)

describe('net.Server', function()
  t.it('is callable as createServer is, and makes a Server', function()
    local server
    server = net.Server({ pauseOnConnect = true }, t.mustCall(function(socket)
      assert.is_true(socket:isPaused())
      socket:destroy()
      server:close()
    end))
    assert.are.equal(server, server:listen(0, '127.0.0.1'))
    assert.is_false(net.Server().listening)
    net.connect(server:address().port, '127.0.0.1'):resume()
  end)

  t.it('raises ERR_INVALID_ARG_TYPE for options that are not a table',
    function()
      local ok, err = pcall(net.Server, 'x')
      assert.is_false(ok)
      assert.are.equal('ERR_INVALID_ARG_TYPE', err.code)
      assert.are.equal('The "options" argument must be of type table. ' ..
        "Received type string ('x')", err.message)
    end)
end)

describe('server:listen', function()
  t.it('binds port 0 to a free port before returning, then emits listening',
    function()
      local server = net.createServer()
      local listened = false
      server:on('listening', t.mustCall(function() listened = true end))
      assert.are.equal(server, server:listen(0, '127.0.0.1'))
      local address = server:address()
      assert.are.equal('127.0.0.1', address.address)
      assert.are.equal('IPv4', address.family)
      assert.is_true(address.port > 0)
      assert.is_true(server.listening)
      assert.is_false(listened) -- 'listening' comes asynchronously
      server:on('listening', t.mustCall(function()
        assert.is_true(listened)
        server:close()
      end))
    end)

  t.it('adds the callback as a once listening listener', function()
    local server = net.createServer()
    server:listen(0, '127.0.0.1', t.mustCall(function()
      assert.is_true(server.listening)
      server:close()
    end))
  end)

  t.it('listens on the dual-stack address when no host is given', function()
    local server = net.createServer()
    server:listen(0, t.mustCall(function()
      local address = server:address()
      assert.is_true(address.address == '::' or address.address == '0.0.0.0')
      -- reachable over IPv4
      net.connect(address.port, '127.0.0.1', t.mustCall(function()
        server:close()
      end)):resume()
    end))
    server:on('connection', function(s) s:destroy() end)
  end)

  t.it('picks a free port on the dual-stack address with no port at all',
    function()
      for _, args in ipairs({ {}, { t.mustCall() } }) do
        local server = net.createServer()
        server:listen(table.unpack(args))
        local address = server:address()
        assert.is_true(address.port > 0)
        assert.is_true(address.address == '::' or address.address == '0.0.0.0')
        server:on('listening', function() server:close() end)
      end
    end)

  t.it('accepts exclusive, which only matters to a cluster', function()
    local server = net.createServer()
    server:listen({ port = 0, host = '127.0.0.1', exclusive = true },
      t.mustCall(function() server:close() end))
  end)

  t.it('can listen again at once on a port whose connections are in ' ..
    'TIME_WAIT (SO_REUSEADDR)', function()
      local server, port
      server, port = h.listen(function(socket)
        socket:destroy() -- the server side closes first: its TIME_WAIT
        server:close()
      end)
      local client = net.connect(port, '127.0.0.1')
      client:resume()
      client:on('close', t.mustCall(function()
        local again = net.createServer()
        again:on('error', function(err) error('relisten: ' .. err.message) end)
        again:listen(port, '127.0.0.1', t.mustCall(function()
          again:close()
        end))
      end))
    end)

  t.it('emits ENOTFOUND for a host name that does not resolve', function()
    local server = net.createServer()
    server:on('listening', function() error('listening on nothing') end)
    server:listen(0, 'nosuch.invalid')
    server:on('error', t.mustCall(function(err)
      assert.are.equal('ENOTFOUND', err.code)
      assert.are.equal('getaddrinfo', err.syscall)
      assert.are.equal('nosuch.invalid', err.hostname)
      assert.are.equal('getaddrinfo ENOTFOUND nosuch.invalid', err.message)
      assert.is_false(server.listening)
    end))
  end)

  t.it('takes a Socket as the handle: a connected one emits EINVAL', function()
    local server, port = h.listen(function(socket) socket:resume() end)
    local client
    client = net.connect(port, '127.0.0.1', function()
      local other = net.createServer()
      other:listen(client)
      other:on('error', t.mustCall(function(err)
        assert.are.equal('EINVAL', err.code)
        assert.are.equal('listen', err.syscall)
        assert.are.equal('listen EINVAL: invalid argument', err.message)
        client:destroy()
        server:close()
      end))
    end)
  end)

  t.it('raises ERR_INVALID_ARG_VALUE for a Server that is not listening',
    function()
      local server = net.createServer()
      local ok, err = pcall(server.listen, server, net.createServer())
      assert.is_false(ok)
      assert.are.equal('ERR_INVALID_ARG_VALUE', err.code)
      assert.matches('^The argument \'options\' must have the property ' ..
        '"port" or "path"%. Received Server', err.message)
      assert.is_false(server.listening)
    end)

  t.it('takes the port as a string of digits', function()
    local server = net.createServer()
    server:listen('0', '127.0.0.1', t.mustCall(function() server:close() end))
  end)

  t.it('resolves a host name before listening', function()
    local server = net.createServer()
    server:listen(0, 'localhost', t.mustCall(function()
      assert.are.equal('127.0.0.1', server:address().address)
      server:close()
    end))
  end)

  t.it('listens with an options table', function()
    local server = net.createServer()
    server:listen({ port = 0, host = '127.0.0.1', backlog = 5 },
      t.mustCall(function()
        assert.are.equal('127.0.0.1', server:address().address)
        server:close()
      end))
  end)

  t.it('emits EADDRINUSE for a port that is taken', function()
    local first, port = h.listen()
    local second = net.createServer()
    second:on('error', t.mustCall(function(err)
      assert.are.equal('EADDRINUSE', err.code)
      assert.are.equal('listen', err.syscall)
      assert.are.equal(-98, err.errno)
      assert.are.equal('127.0.0.1', err.address)
      assert.are.equal(port, err.port)
      assert.are.equal('listen EADDRINUSE: address already in use 127.0.0.1:'
        .. port, err.message)
      assert.are.equal('Error: ' .. err.message, tostring(err))
      assert.is_false(second.listening)
      first:close()
    end))
    second:on('listening', t.mustNotCall())
    second:listen(port, '127.0.0.1')
  end)

  for _, port in ipairs({ 65536, -1, 1.5, 70000 }) do
    t.it('raises ERR_SOCKET_BAD_PORT at once for port ' .. port, function()
      local server = net.createServer()
      local ok, err = pcall(server.listen, server, port)
      assert.is_false(ok)
      assert.are.equal('ERR_SOCKET_BAD_PORT', err.code)
      assert.are.equal('RangeError', err.name)
      assert.matches('options.port should be >= 0 and < 65536', err.message,
        1, true)
      assert.is_false(server.listening)
    end)
  end

  t.it('raises ERR_SOCKET_BAD_PORT for a non-numeric port in options',
    function()
      local server = net.createServer()
      local ok, err = pcall(server.listen, server, { port = 'x' })
      assert.is_false(ok)
      assert.are.equal('ERR_SOCKET_BAD_PORT', err.code)
      assert.are.equal("RangeError [ERR_SOCKET_BAD_PORT]: options.port " ..
        "should be >= 0 and < 65536. Received type string ('x').",
        tostring(err))
    end)

  t.it('raises ERR_SERVER_ALREADY_LISTEN when listening', function()
    local server = h.listen()
    local ok, err = pcall(server.listen, server, 0)
    assert.is_false(ok)
    assert.are.equal('ERR_SERVER_ALREADY_LISTEN', err.code)
    server:close()
  end)

  t.it('raises ERR_INVALID_ARG_VALUE for options without port or path',
    function()
      local server = net.createServer()
      local ok, err = pcall(server.listen, server, { backlog = 1 })
      assert.is_false(ok)
      assert.are.equal('ERR_INVALID_ARG_VALUE', err.code)
    end)
end)

describe('server:close', function()
  t.it('emits close and calls back once closed', function()
    local server = h.listen()
    server:on('close', t.mustCall())
    server:close(t.mustCall(function(err) assert.is_nil(err) end))
    assert.is_false(server.listening)
    assert.is_nil(server:address())
  end)

  t.it('emits close once the last connection is destroyed, as Node orders it',
    function()
      local order = {}
      local server, conn
      server = h.listen(function(socket)
        conn = socket
        server:close(t.mustCall(function()
          assert.is_true(conn.destroyed)
          order[#order + 1] = 'server close'
        end))
        socket:on('close', t.mustCall(function()
          order[#order + 1] = 'socket close'
          assert.are.same({ 'server close', 'socket close' }, order)
        end))
        socket:resume()
        socket:end_()
      end)
      local client = net.connect(server:address().port, '127.0.0.1')
      client:on('data', function() end)
      client:on('end', t.mustCall())
    end)

  t.it('calls back with ERR_SERVER_NOT_RUNNING when not listening', function()
    local server = net.createServer()
    server:close(t.mustCall(function(err)
      assert.are.equal('ERR_SERVER_NOT_RUNNING', err.code)
      assert.are.equal('Error [ERR_SERVER_NOT_RUNNING]: Server is not ' ..
        'running.', tostring(err))
    end))
  end)

  t.it('can listen again after close', function()
    local server = h.listen()
    server:close(t.mustCall(function()
      server:listen(0, '127.0.0.1', t.mustCall(function()
        server:close()
      end))
    end))
  end)
end)

describe('maxConnections', function()
  t.it('closes connections beyond it at once and emits drop', function()
    local server, port
    local accepted = {}
    server, port = h.listen(function(socket)
      accepted[#accepted + 1] = socket
    end)
    assert.is_nil(server.maxConnections)
    server.maxConnections = 1
    assert.are.equal(1, server.maxConnections)
    server:on('drop', t.mustCall(function(info)
      assert.are.equal('127.0.0.1', info.localAddress)
      assert.are.equal(port, info.localPort)
      assert.are.equal('IPv4', info.localFamily)
      assert.are.equal('127.0.0.1', info.remoteAddress)
      assert.is_true(info.remotePort > 0)
      assert.are.equal('IPv4', info.remoteFamily)
      server:getConnections(t.mustCall(function(err, count)
        assert.is_nil(err)
        assert.are.equal(1, count)
        accepted[1]:destroy()
        server:close()
      end))
    end))
    local first
    first = net.connect(port, '127.0.0.1', function()
      local second = net.connect(port, '127.0.0.1')
      second:resume()
      second:on('close', t.mustCall(function(hadError)
        assert.is_false(hadError)
      end))
    end)
    first:resume()
    first:on('close', t.mustCall(function()
      assert.are.equal(1, #accepted)
    end))
  end)

  t.it('raises ERR_INVALID_ARG_TYPE for a value that is not a number',
    function()
      local server = net.createServer()
      local ok, err = pcall(function() server.maxConnections = 'x' end)
      assert.is_false(ok)
      assert.are.equal('ERR_INVALID_ARG_TYPE', err.code)
      server.maxConnections = nil
      assert.is_nil(server.maxConnections)
    end)
end)

describe('server:getConnections', function()
  t.it('calls back on the next tick with the count', function()
    local server
    local called = false
    server = h.listen(function(socket)
      server:getConnections(t.mustCall(function(err, count)
        called = true
        assert.is_nil(err)
        assert.are.equal(1, count)
        socket:destroy()
        server:close()
      end))
      assert.is_false(called)
    end)
    net.connect(server:address().port, '127.0.0.1'):resume()
  end)

  t.it('raises ERR_INVALID_ARG_TYPE without a callback', function()
    local server = net.createServer()
    local ok, err = pcall(server.getConnections, server, 5)
    assert.is_false(ok)
    assert.are.equal('The "callback" argument must be of type function. ' ..
      'Received type number (5)', err.message)
  end)
end)

describe('server:ref and server:unref', function()
  t.it('an unref()ed server does not keep the process alive; ref() again ' ..
    'does', function()
      local out, _, code = h.exec({ '-e', [[
        local net = require('net')
        local a = net.createServer():listen(0, '127.0.0.1')
        assert(a:unref() == a)
        local b = net.createServer():listen(0, '127.0.0.1')
        b:unref()
        assert(b:ref() == b)
        setTimeout(function() console.log('closing b'); b:close() end, 50)
      ]] })
      assert.are.equal(0, code)
      assert.are.equal('closing b\n', out)
    end)
end)

describe('server options', function()
  t.it('apply noDelay, keepAlive and keepAliveInitialDelay to connections',
    function()
      local server
      server = h.listen(t.mustCall(function(socket)
        socket:resume()
        socket:end_('ok')
        server:close()
      end), nil, { noDelay = true, keepAlive = true,
        keepAliveInitialDelay = 1000 })
      local client = net.connect(server:address().port, '127.0.0.1')
      client:on('data', t.mustCall(function(d) assert.are.equal('ok', d) end))
    end)

  t.it('apply highWaterMark to both directions', function()
    local server
    server = h.listen(t.mustCall(function(socket)
      assert.are.equal(1000, socket.readableHighWaterMark)
      assert.are.equal(1000, socket.writableHighWaterMark)
      -- Node 22: true, and writableLength 0: the kernel takes the 1000
      -- bytes at once, and the mark weighs only what waits
      assert.is_true(socket:write(string.rep('x', 1000)))
      socket:resume()
      socket:end_()
      server:close()
    end), nil, { highWaterMark = 1000 })
    net.connect(server:address().port, '127.0.0.1'):resume()
  end)

  -- Node 22: createServer() printed false false false false 0 65536 for
  -- noDelay, pauseOnConnect, allowHalfOpen, keepAlive,
  -- keepAliveInitialDelay, highWaterMark; createServer({ noDelay: 0,
  -- keepAlive: 'x', keepAliveInitialDelay: 3500, highWaterMark: 1024 })
  -- printed false false false true 3 1024.
  t.it('are fields of the server, as Node keeps them', function()
    local function fields(server)
      return { server.noDelay, server.pauseOnConnect, server.allowHalfOpen,
        server.keepAlive, server.keepAliveInitialDelay, server.highWaterMark }
    end
    assert.are.same({ false, false, false, false, 0, 65536 },
      fields(net.createServer()))
    assert.are.same({ false, false, false, true, 3, 1024 },
      fields(net.createServer({ noDelay = 0, keepAlive = 'x',
        keepAliveInitialDelay = 3500, highWaterMark = 1024 })))
  end)

  -- Node 22: createServer({ highWaterMark: 0 }): server.highWaterMark,
  -- and the connection's readable and writable marks, printed 0 0 0.
  t.it('take a highWaterMark of 0 as a mark, not as the default', function()
    local server
    server = net.createServer({ highWaterMark = 0 }, t.mustCall(function(c)
      assert.are.same({ 0, 0, 0 }, { server.highWaterMark,
        c.readableHighWaterMark, c.writableHighWaterMark })
      c:destroy()
      server:close()
    end))
    server:listen(0, '127.0.0.1', function()
      net.connect(server:address().port, '127.0.0.1'):on('error',
        function() end)
    end)
  end)

  -- Node 22: s.pauseOnConnect = true after createServer(); the connection
  -- it accepts printed isPaused true.
  t.it('apply what is assigned to them to the connections that follow',
    function()
      local server = net.createServer(t.mustCall(function(socket)
        assert.is_true(socket:isPaused())
        assert.are.equal(2048, socket.readableHighWaterMark)
        socket:destroy()
      end))
      server.pauseOnConnect = true
      server.highWaterMark = 2048
      server:listen(0, '127.0.0.1', t.mustCall(function()
        net.connect(server:address().port, '127.0.0.1'):on('close',
          function() server:close() end):on('error', function() end)
      end))
    end)

  -- Not Node's: Node keeps any value assigned and fails at the next
  -- connection; luanet refuses it at once.
  t.it('refuse what is no whole number of the right range, in luanet\'s ' ..
    'words', function()
      local server = net.createServer()
      for _, case in ipairs({ { 'highWaterMark', 'x', 'ERR_INVALID_ARG_TYPE' },
        { 'highWaterMark', -1, 'ERR_OUT_OF_RANGE' },
        { 'keepAliveInitialDelay', 1.5, 'ERR_OUT_OF_RANGE' } }) do
        local ok, err = pcall(function() server[case[1]] = case[2] end)
        assert.is_false(ok)
        assert.are.equal(case[3], err.code)
      end
      assert.are.equal(65536, server.highWaterMark)
      assert.are.equal(0, server.keepAliveInitialDelay)
    end)

  t.it('raise Node errors for bad option values', function()
    local ok, err = pcall(net.createServer, { highWaterMark = 'x' })
    assert.is_false(ok)
    assert.are.equal('The "options.highWaterMark" property must be of type ' ..
      "number. Received type string ('x')", err.message)
    ok, err = pcall(net.createServer, { keepAliveInitialDelay = 'x' })
    assert.is_false(ok)
    assert.are.equal('ERR_INVALID_ARG_TYPE', err.code)
  end)
end)

describe('IPv6', function()
  local ipv6 = h.hasIPv6()

  t.it('listens on ::1 and is reached there', function()
    if not ipv6 then
      pending('this machine has no IPv6 loopback')
      return
    end
    local server
    server = net.createServer(function(socket)
      assert.are.equal('::1', socket.remoteAddress)
      assert.are.equal('IPv6', socket.remoteFamily)
      socket:resume()
      socket:end_('six')
      server:close()
    end)
    server:listen(0, '::1', t.mustCall(function()
      assert.are.same({ address = '::1', family = 'IPv6',
        port = server:address().port }, server:address())
      local client = net.connect(server:address().port, '::1')
      client:on('data', t.mustCall(function(d) assert.are.equal('six', d) end))
    end))
  end)

  t.it('with ipv6Only, does not take IPv4 connections', function()
    if not ipv6 then
      pending('this machine has no IPv6 loopback')
      return
    end
    -- An IPv4 server of ours holds 127.0.0.1:P, so that no other process
    -- can; the IPv6-only one on [::]:P must leave IPv4 connections to it.
    local v4, port = h.listen(t.mustCall(function(c) c:destroy() end))
    local server = net.createServer(t.mustNotCall())
    server:listen({ port = port, host = '::', ipv6Only = true },
      t.mustCall(function()
        local client = net.connect(port, '127.0.0.1')
        client:on('error', function() end)
        client:on('close', t.mustCall(function()
          server:close()
          v4:close()
        end))
      end))
  end)
end)

-- Node 22, the same JavaScript: two servers listen on one port with
-- reusePort, 64 connections reach both, and a third without reusePort gets
-- EADDRINUSE.
describe("listen's reusePort", function()
  t.it('lets several servers share a port, the kernel spreading connections',
    function()
      local counts = { 0, 0 }
      local function serve(i)
        return net.createServer(function(c)
          counts[i] = counts[i] + 1
          c:end_()
        end)
      end
      local a, b = serve(1), serve(2)
      a:listen({ port = 0, host = '127.0.0.1', reusePort = true })
      local port = a:address().port
      b:listen({ port = port, host = '127.0.0.1', reusePort = true })
      assert.are.equal(port, b:address().port)
      local c = net.createServer()
      c:on('error', t.mustCall(function(err)
        assert.are.equal('EADDRINUSE', err.code)
      end))
      c:listen({ port = port, host = '127.0.0.1' })
      local left = 64
      for _ = 1, 64 do
        net.connect(port, '127.0.0.1'):on('close', function()
          left = left - 1
          if left == 0 then
            a:close()
            b:close()
            assert.are.equal(64, counts[1] + counts[2])
            assert.is_true(counts[1] > 0 and counts[2] > 0,
              counts[1] .. ' and ' .. counts[2])
          end
        end):resume()
      end
    end)
end)

-- Node 22: server.dropMaxConnection is undefined until set; it is only
-- read in cluster mode (a worker at maxConnections hands a connection
-- back to the primary, or drops it when true).
describe('server.dropMaxConnection', function()
  t.it('is nil until set, and keeps what is set', function()
    local server = net.createServer()
    assert.is_nil(server.dropMaxConnection)
    server.dropMaxConnection = true
    assert.is_true(server.dropMaxConnection)
  end)
end)

-- Node 22 (libuv 1.51, without UV_PIPE_NO_TRUNCATE) binds and connects a
-- path longer than sun_path under its first 108 bytes, with no NUL after
-- them. Its output for this JavaScript, dir a fresh directory of 14 bytes:
--   const long = `${dir}/${'x'.repeat(200)}.sock`, cut = long.slice(0, 108);
--   server.listen(long, ...)       'listening'; existsSync(long) false,
--                                  existsSync(cut) true, readdirSync(dir)
--                                  lengths [ 93 ]
--   net.createServer().listen(long + 'other')  EADDRINUSE, syscall listen
--   net.connect(long, ...)         connects; 'connection' on the server
--   net.connect(cut + 'zzz', ...)  connects too
--   server.close(...)              existsSync(cut) false
--   net.connect(long) afterwards   ENOENT, syscall connect, address long,
--                                  message 'connect ENOENT ' + long
--   listen({ path: '\0' + 'a'.repeat(200) }); connect('\0' + 'a'.repeat(107)
--   + 'zz')                        connects
describe('a Unix path longer than sun_path', function()
  local tempDir, exists = h.tempDir, h.exists

  local function entries(dir)
    local names = {}
    for name in io.popen('ls ' .. h.shellQuote(dir)):lines() do
      names[#names + 1] = #name
    end
    return names
  end

  t.it('listens under its first 108 bytes, is reached by the whole ' ..
    'path or any with those bytes, and unlinks them at close', function()
      local dir = tempDir()
      local long = dir .. '/' .. ('x'):rep(200) .. '.sock'
      local cut = long:sub(1, 108)
      local server = net.createServer(function(c) c:end_() end)
      server:listen(long, t.mustCall(function()
        assert.is_false(exists(long))
        assert.is_true(exists(cut))
        assert.are.same({ 108 - #dir - 1 }, entries(dir))
        local c1
        c1 = net.connect(long, t.mustCall(function()
          c1:destroy()
          local c2
          c2 = net.connect(cut .. 'zzz', t.mustCall(function()
            c2:destroy()
            server:close(t.mustCall(function()
              assert.is_false(exists(cut))
              assert.are.same({}, entries(dir))
              os.remove(dir)
            end))
          end))
        end))
      end))
    end)

  t.it('is in use when its first 108 bytes are', function()
    local dir = tempDir()
    local long = dir .. '/' .. ('x'):rep(200) .. '.sock'
    local first = net.createServer()
    first:listen(long, t.mustCall(function()
      local other = net.createServer()
      other:on('error', t.mustCall(function(err)
        assert.are.equal('EADDRINUSE', err.code)
        assert.are.equal('listen', err.syscall)
        first:close(function() os.remove(dir) end)
      end))
      other:listen(long .. 'other')
    end))
  end)

  t.it('nobody listening: ENOENT, with the whole path', function()
    local dir = tempDir()
    local long = dir .. '/' .. ('x'):rep(200) .. '.sock'
    local c = net.connect(long)
    c:on('error', t.mustCall(function(err)
      assert.are.equal('ENOENT', err.code)
      assert.are.equal('connect', err.syscall)
      assert.are.equal(long, err.address)
      assert.are.equal('connect ENOENT ' .. long, err.message)
      os.remove(dir)
    end))
  end)

  t.it('in the abstract namespace, is cut the same', function()
    local name = '\0luanet-' .. h.process.pid .. '-' .. ('a'):rep(200)
    local server = net.createServer(function(c) c:end_() end)
    server:listen({ path = name }, t.mustCall(function()
      local c
      c = net.connect(name:sub(1, 108) .. 'zz', t.mustCall(function()
        c:destroy()
        server:close()
      end))
    end))
  end)

  -- As ipc_spec's "makes the path readable and writable by all when
  -- asked", for the cut name (Node 22's newer libuv gives srw-rw-rw-).
  t.it('makes the cut name readable and writable by all when asked',
    function()
      local dir = tempDir()
      local long = dir .. '/' .. ('x'):rep(200) .. '.sock'
      local server = net.createServer()
      server:listen({ path = long, readableAll = true, writableAll = true },
        t.mustCall(function()
          local p = assert(io.popen('stat -c %A ' ..
            h.shellQuote(long:sub(1, 108))))
          local mode = p:read('l')
          p:close()
          assert.are.equal('srwxrwxrwx', mode)
          server:close(function() os.remove(dir) end)
        end))
    end)

  -- Node 22: listen(dir + '/missing/' + 'y'.repeat(200)) emits EACCES,
  -- syscall 'listen', as for a short path in a missing directory.
  t.it('in a missing directory: EACCES, as a short path', function()
    local dir = tempDir()
    local server = net.createServer()
    server:on('error', t.mustCall(function(err)
      assert.are.equal('EACCES', err.code)
      assert.are.equal('listen', err.syscall)
      os.remove(dir)
    end))
    server:listen(dir .. '/missing/' .. ('y'):rep(200))
  end)

  -- Node 22: server.address() === long (220 bytes), and the EADDRINUSE
  -- above has address long + 'other' and the message 'listen EADDRINUSE:
  -- address already in use ' + long + 'other'.
  t.it('address() and a listen error give the whole path', function()
    local dir = tempDir()
    local long = dir .. '/' .. ('x'):rep(200) .. '.sock'
    local first = net.createServer()
    first:listen(long, t.mustCall(function()
      assert.are.equal(long, first:address())
      local other = net.createServer()
      other:on('error', t.mustCall(function(err)
        assert.are.equal(long .. 'other', err.address)
        assert.are.equal('listen EADDRINUSE: address already in use ' ..
          long .. 'other', err.message)
        first:close(function() os.remove(dir) end)
      end))
      other:listen(long .. 'other')
    end))
  end)
end)
