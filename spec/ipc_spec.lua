-- IPC: Unix domain sockets by path and in Linux's abstract namespace,
-- listening on descriptors and handles, and sockets over descriptors.
local h = require('spec.helpers')
local net, expect = h.net, h.expect

local dir

setup(function()
  dir = os.tmpname()
  os.remove(dir)
  assert(os.execute('mkdir -p ' .. dir))
end)

teardown(function()
  os.execute('rm -rf ' .. dir)
end)

local function exists(path)
  return os.execute('test -e ' .. path) == true
end

-- An echo exchange over whatever address; checks the reply.
local function echo(listenArgs, connectArgs, check)
  local server
  server = net.createServer(function(socket)
    server:close()
    socket:on('data', function(d) socket:end_('echo: ' .. d) end)
  end)
  server:listen(table.unpack(listenArgs))
  local client = net.connect(table.unpack(connectArgs))
  client:on('connect', expect(function() client:write('hi') end))
  client:on('data', expect(function(d) assert.are.equal('echo: hi', d) end))
  client:on('close', expect(function(hadError) assert.is_false(hadError) end))
  if check then check(server, client) end
  h.run()
end

describe('a Unix domain socket', function()
  it('listens on a path and is reached by path', function()
    local path = dir .. '/a.sock'
    echo({ path }, { path }, function(server, client)
      assert.are.equal(path, server:address())
      assert.is_true(exists(path))
      assert.is_nil(client.remoteAddress)
      assert.is_nil(client.remotePort)
    end)
    assert.is_false(exists(path)) -- close removes the file
  end)

  it('listens with { path } and is reached with { path }', function()
    local path = dir .. '/b.sock'
    echo({ { path = path, backlog = 8 } }, { { path = path } })
  end)

  it('listens in the abstract namespace', function()
    local name = '\0luanet-spec-' .. h.process.pid
    echo({ name }, { { path = name } }, function(server)
      assert.are.equal(name, server:address())
    end)
  end)

  it('emits listening with the callback, asynchronously', function()
    local path = dir .. '/c.sock'
    local server = net.createServer()
    local called = false
    server:listen(path, expect(function()
      called = true
      server:close()
    end))
    assert.is_false(called)
    assert.is_true(server.listening)
    h.run()
  end)

  it('emits EADDRINUSE for a path in use', function()
    local path = dir .. '/d.sock'
    local first = net.createServer():listen(path)
    local second = net.createServer()
    second:on('error', expect(function(err)
      assert.are.equal('EADDRINUSE', err.code)
      assert.are.equal('listen EADDRINUSE: address already in use ' .. path,
        err.message)
      assert.are.equal(path, err.address)
      assert.are.equal(-1, err.port) -- Node 22's, for a path
      first:close()
    end))
    second:listen(path)
    h.run()
  end)

  it('emits ENOENT then close(true) for a path nobody listens on', function()
    local path = dir .. '/nobody.sock'
    local client = net.connect(path)
    client:on('error', expect(function(err)
      assert.are.equal('ENOENT', err.code)
      assert.are.equal('connect', err.syscall)
      assert.are.equal(path, err.address)
      assert.are.equal('connect ENOENT ' .. path, err.message)
    end))
    client:on('close', expect(function(hadError) assert.is_true(hadError) end))
    h.run()
  end)

  it('emits ECONNREFUSED for an abstract name nobody listens on', function()
    local client = net.connect({ path = '\0luanet-nobody-' .. h.process.pid })
    client:on('error', expect(function(err)
      assert.are.equal('ECONNREFUSED', err.code)
    end))
    h.run()
  end)

  it('makes the path readable and writable by all when asked', function()
    local path = dir .. '/e.sock'
    local server = net.createServer()
    server:listen({ path = path, readableAll = true, writableAll = true },
      expect(function()
        local p = assert(io.popen('stat -c %A ' .. path))
        local mode = p:read('l')
        p:close()
        assert.are.equal('srwxrwxrwx', mode)
        server:close()
      end))
    h.run()
  end)

  it('raises ERR_INVALID_ARG_TYPE for a path that is not a string', function()
    local ok, err = pcall(net.connect, { path = 5 })
    assert.is_false(ok)
    assert.are.equal('The "options.path" property must be of type string. ' ..
      'Received type number (5)', err.message)
  end)
end)

describe('listening on a handle', function()
  it('takes { fd = n } of a bound socket', function()
    local first, port = h.listen()
    local fd = first:_fileno()
    assert.is_number(fd)
    local second = net.createServer(function(socket)
      socket:resume()
      socket:end_('from second')
    end)
    second:listen({ fd = fd }, expect(function()
      assert.are.equal(port, second:address().port)
      first:close()
      local client = net.connect(port, '127.0.0.1')
      client:on('data', expect(function(d)
        assert.are.equal('from second', d)
        second:close()
      end))
    end))
    h.run()
  end)

  it('takes another Server', function()
    local first, port = h.listen()
    local second = net.createServer(function(socket) socket:destroy() end)
    second:listen(first, expect(function()
      assert.are.equal(port, second:address().port)
      first:close()
      second:close()
    end))
    h.run()
  end)

  -- Node 22: listen({ fd: 9999 }) returns, then 'error' "listen EINVAL:
  -- invalid argument" (errno -22); new net.Socket({ fd: 0 }) on a file
  -- throws ERR_INVALID_FD_TYPE "Unsupported fd type: FILE".
  it("emits listen EINVAL for a descriptor it cannot listen on", function()
    local server = net.createServer()
    server:on('listening', expect(nil, 0))
    server:on('error', expect(function(err)
      assert.are.equal('EINVAL', err.code)
      assert.are.equal(-22, err.errno)
      assert.are.equal('listen', err.syscall)
      assert.are.equal('listen EINVAL: invalid argument', err.message)
      assert.is_false(server.listening)
    end))
    assert.are.equal(server, server:listen({ fd = 9999 })) -- closed
    h.run()
    local out = h.exec({ '-e', [[
      local server = require('net').createServer()
      server:on('error', function(err) console.log(err.message) end)
      server:listen({ fd = 0 })
    ]] }) -- standard input is a file here
    assert.are.equal('listen EINVAL: invalid argument\n', out)
  end)

  it('raises ERR_INVALID_FD_TYPE for net.Socket over a file', function()
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
  -- server's end. Returns what the script printed once it printed 'close'.
  local function withConnection(script, onconn)
    local server
    server = h.listen(function(socket)
      server:close()
      onconn(socket)
    end)
    local out = os.tmpname()
    local cmd = 'exec 3<>/dev/tcp/127.0.0.1/' .. server:address().port ..
      '; exec ' .. h.exe .. ' -e ' .. h.shellQuote(script) .. ' >' .. out
    local proc = assert(io.popen('bash -c ' .. h.shellQuote(cmd) .. ' &'))
    proc:close()
    h.run()
    os.execute('timeout 5 sh -c "until grep -q close ' .. out ..
      '; do sleep 0.05; done"')
    local f = assert(io.open(out))
    local text = f:read('a')
    f:close()
    os.remove(out)
    return text
  end

  it('wraps a connected descriptor', function()
    local text = withConnection([[
      local s = require('net').Socket({ fd = 3 })
      console.log(s.readyState, s.pending)
      s:on('data', function(d) console.log(d) end)
      s:on('close', function(hadError) console.log('close', hadError) end)
      s:write('hello')
    ]], function(socket)
      socket:on('data', function(d) socket:end_('got ' .. d) end)
    end)
    assert.are.equal('open false\ngot hello\nclose false\n', text)
  end)

  it('with readable false, writes but never reads', function()
    local got = {}
    local text = withConnection([[
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
      socket:on('end', expect())
    end)
    assert.are.equal('writeOnly false true\nwritten nil\nclose false\n', text)
    assert.are.equal('via fd', table.concat(got))
  end)

  it('with writable false, reads, and a write is a write after end',
    function()
      local text = withConnection([[
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
      end)
      assert.are.equal('readOnly true false\ndata to a reader\nfalse\n' ..
        'cb ERR_STREAM_WRITE_AFTER_END\nerror ERR_STREAM_WRITE_AFTER_END\n' ..
        'close true\n', text)
    end)

  it('raises for descriptors that are not sockets', function()
    local ok, err = pcall(net.Socket, { fd = -1 })
    assert.is_false(ok)
    assert.are.equal('ERR_OUT_OF_RANGE', err.code)
    ok, err = pcall(net.Socket, { fd = 'x' })
    assert.is_false(ok)
    assert.are.equal('ERR_INVALID_ARG_TYPE', err.code)
  end)
end)
