-- IPC: Unix domain sockets by path and in Linux's abstract namespace,
-- listening on descriptors and handles, and sockets over descriptors.
local h = require('spec.helpers')
local t = require('luanet.test')
local net = h.net

local dir

setup(function()
  dir = os.tmpname()
  os.remove(dir)
  assert(os.execute('mkdir -p ' .. dir))
end)

teardown(function()
  os.execute('rm -rf ' .. dir)
end)

local exists = h.exists

-- An echo exchange over whatever address; checks the reply; check(server,
-- client) runs once both are made, closed() once the server closed.
local function echo(listenArgs, connectArgs, check, closed)
  local server
  server = net.createServer(function(socket)
    server:close()
    socket:on('data', function(d) socket:end_('echo: ' .. d) end)
  end)
  server:on('close', t.mustCall(closed))
  server:listen(table.unpack(listenArgs))
  local client = net.connect(table.unpack(connectArgs))
  client:on('connect', t.mustCall(function() client:write('hi') end))
  client:on('data', t.mustCall(function(d) assert.are.equal('echo: hi', d) end))
  client:on('close', t.mustCall(function(hadError)
    assert.is_false(hadError)
  end))
  if check then check(server, client) end
end

describe('a Unix domain socket', function()
  t.it('listens on a path and is reached by path', function()
    local path = dir .. '/a.sock'
    echo({ path }, { path }, function(server, client)
      assert.are.equal(path, server:address())
      assert.is_true(exists(path))
      assert.is_nil(client.remoteAddress)
      assert.is_nil(client.remotePort)
    end, function()
      assert.is_false(exists(path)) -- close removes the file
    end)
  end)

  t.it('listens with { path } and is reached with { path }', function()
    local path = dir .. '/b.sock'
    echo({ { path = path, backlog = 8 } }, { { path = path } })
  end)

  t.it('listens in the abstract namespace', function()
    local name = '\0luanet-spec-' .. h.process.pid
    echo({ name }, { { path = name } }, function(server)
      assert.are.equal(name, server:address())
    end)
  end)

  t.it('emits listening with the callback, asynchronously', function()
    local path = dir .. '/c.sock'
    local server = net.createServer()
    local called = false
    server:listen(path, t.mustCall(function()
      called = true
      server:close()
    end))
    assert.is_false(called)
    assert.is_true(server.listening)
  end)

  t.it('emits EADDRINUSE for a path in use', function()
    local path = dir .. '/d.sock'
    local first = net.createServer():listen(path)
    local second = net.createServer()
    second:on('error', t.mustCall(function(err)
      assert.are.equal('EADDRINUSE', err.code)
      assert.are.equal('listen EADDRINUSE: address already in use ' .. path,
        err.message)
      assert.are.equal(path, err.address)
      assert.are.equal(-1, err.port) -- Node 22's, for a path
      first:close()
    end))
    second:listen(path)
  end)

  t.it('emits ENOENT then close(true) for a path nobody listens on', function()
    local path = dir .. '/nobody.sock'
    local client = net.connect(path)
    client:on('error', t.mustCall(function(err)
      assert.are.equal('ENOENT', err.code)
      assert.are.equal('connect', err.syscall)
      assert.are.equal(path, err.address)
      assert.are.equal('connect ENOENT ' .. path, err.message)
    end))
    client:on('close', t.mustCall(function(hadError)
      assert.is_true(hadError)
    end))
  end)

  t.it('emits ECONNREFUSED for an abstract name nobody listens on', function()
    local client = net.connect({ path = '\0luanet-nobody-' .. h.process.pid })
    client:on('error', t.mustCall(function(err)
      assert.are.equal('ECONNREFUSED', err.code)
    end))
  end)

  t.it('makes the path readable and writable by all when asked', function()
    local path = dir .. '/e.sock'
    local server = net.createServer()
    server:listen({ path = path, readableAll = true, writableAll = true },
      t.mustCall(function()
        local p = assert(io.popen('stat -c %A ' .. path))
        local mode = p:read('l')
        p:close()
        assert.are.equal('srwxrwxrwx', mode)
        server:close()
      end))
  end)

  t.it('raises ERR_INVALID_ARG_TYPE for a path that is not a string', function()
    local ok, err = pcall(net.connect, { path = 5 })
    assert.is_false(ok)
    assert.are.equal('The "options.path" property must be of type string. ' ..
      'Received type number (5)', err.message)
  end)
end)

describe('listening on a handle', function()
  t.it('takes { fd = n } of a bound socket', function()
    local first, port = h.listen()
    local fd = first:_fileno()
    assert.is_number(fd)
    local second = net.createServer(function(socket)
      socket:resume()
      socket:end_('from second')
    end)
    second:listen({ fd = fd }, t.mustCall(function()
      assert.are.equal(port, second:address().port)
      first:close()
      local client = net.connect(port, '127.0.0.1')
      client:on('data', t.mustCall(function(d)
        assert.are.equal('from second', d)
        second:close()
      end))
    end))
  end)

  t.it('takes another Server', function()
    local first, port = h.listen()
    local second = net.createServer(function(socket) socket:destroy() end)
    second:listen(first, t.mustCall(function()
      assert.are.equal(port, second:address().port)
      first:close()
      second:close()
    end))
  end)

  -- Node 22: listen({ fd: 9999 }) returns, then 'error' "listen EINVAL:
  -- invalid argument" (errno -22); new net.Socket({ fd: 0 }) on a file
  -- throws ERR_INVALID_FD_TYPE "Unsupported fd type: FILE".
  t.it("emits listen EINVAL for a descriptor it cannot listen on", function()
    local server = net.createServer()
    server:on('listening', t.mustNotCall())
    server:on('error', t.mustCall(function(err)
      assert.are.equal('EINVAL', err.code)
      assert.are.equal(-22, err.errno)
      assert.are.equal('listen', err.syscall)
      assert.are.equal('listen EINVAL: invalid argument', err.message)
      assert.is_false(server.listening)
    end))
    assert.are.equal(server, server:listen({ fd = 9999 })) -- closed
  end)

  t.it('emits listen EINVAL for a descriptor that is a file', function()
    local out = h.exec({ '-e', [[
      local server = require('net').createServer()
      server:on('error', function(err) console.log(err.message) end)
      server:listen({ fd = 0 })
    ]] }) -- standard input is a file here
    assert.are.equal('listen EINVAL: invalid argument\n', out)
  end)

  t.it('raises ERR_INVALID_FD_TYPE for net.Socket over a file', function()
    local out = h.exec({ '-e', [[
      local ok, err = pcall(require('net').Socket, { fd = 0 })
      console.log(err.code, err.message)
    ]] }) -- standard input is a file here
    assert.are.equal('ERR_INVALID_FD_TYPE Unsupported fd type: FILE\n', out)
  end)
end)

describe('net.Socket({ fd })', function()
  -- Runs the script in build/luanet with a connection to a server of ours
  -- open as its descriptor 3 (bash opens it); onconn(socket) gets the
  -- server's end. Once that end closed, and the script printed 'close',
  -- calls check with what the script printed.
  local function withConnection(script, onconn, check)
    local server
    local out = os.tmpname()
    server = h.listen(function(socket)
      server:close()
      onconn(socket)
      socket:on('close', t.mustCall(function()
        os.execute('timeout 5 sh -c "until grep -q close ' .. out ..
          '; do sleep 0.05; done"')
        local f = assert(io.open(out))
        local text = f:read('a')
        f:close()
        os.remove(out)
        check(text)
      end))
    end)
    local cmd = 'exec 3<>/dev/tcp/127.0.0.1/' .. server:address().port ..
      '; exec ' .. h.exe .. ' -e ' .. h.shellQuote(script) .. ' >' .. out
    local proc = assert(io.popen('bash -c ' .. h.shellQuote(cmd) .. ' &'))
    proc:close()
  end
  -- a luanet of its own runs in each test, slowly under the sanitizers
  local CHILD = { timeout = 30000 }

  t.it('wraps a connected descriptor', function()
    withConnection([[
      local s = require('net').Socket({ fd = 3 })
      console.log(s.readyState, s.pending)
      s:on('data', function(d) console.log(d) end)
      s:on('close', function(hadError) console.log('close', hadError) end)
      s:write('hello')
    ]], function(socket)
      socket:on('data', function(d) socket:end_('got ' .. d) end)
    end, function(text)
      assert.are.equal('open false\ngot hello\nclose false\n', text)
    end)
  end, CHILD)

  t.it('with readable false, writes but never reads', function()
    local got = {}
    withConnection([[
      local s = require('net').Socket({ fd = 3, readable = false })
      console.log(s.readyState, s.readable, s.writable)
      s:on('data', function(d) console.log('data', d) end)
      s:on('close', function(hadError) console.log('close', hadError) end)
      s:write('via fd', function(err)
        console.log('written', err)
        s:end_()
      end)
    ]], function(socket)
      socket:write('unread')
      socket:on('data', function(d) got[#got + 1] = d end)
      socket:on('end', t.mustCall())
    end, function(text)
      assert.are.equal('writeOnly false true\nwritten nil\nclose false\n',
        text)
      assert.are.equal('via fd', table.concat(got))
    end)
  end, CHILD)

  t.it('with writable false, reads, and a write is a write after end',
    function()
      withConnection([[
        local s = require('net').Socket({ fd = 3, writable = false })
        console.log(s.readyState, s.readable, s.writable)
        s:on('data', function(d)
          console.log('data', d)
          console.log(s:write('x', function(err)
            console.log('cb', err.code)
          end))
        end)
        s:on('error', function(err) console.log('error', err.code) end)
        s:on('close', function(hadError) console.log('close', hadError) end)
      ]], function(socket)
        socket:on('error', function() end)
        socket:resume()
        socket:write('to a reader')
      end, function(text)
        assert.are.equal('readOnly true false\ndata to a reader\nfalse\n' ..
          'cb ERR_STREAM_WRITE_AFTER_END\nerror ' ..
          'ERR_STREAM_WRITE_AFTER_END\nclose true\n', text)
      end)
    end, CHILD)

  t.it('raises for descriptors that are not sockets', function()
    local ok, err = pcall(net.Socket, { fd = -1 })
    assert.is_false(ok)
    assert.are.equal('ERR_OUT_OF_RANGE', err.code)
    ok, err = pcall(net.Socket, { fd = 'x' })
    assert.is_false(ok)
    assert.are.equal('ERR_INVALID_ARG_TYPE', err.code)
  end)
end)
