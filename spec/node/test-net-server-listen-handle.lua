-- Node's test-net-server-listen-handle.js: listen(handle[, cb]) and
-- listen({ fd }[, cb]) on a bound TCP or Unix socket, and 'error' EINVAL
-- for an fd that is no socket. (Node makes the bound handles with
-- internalBinding's TCP and Pipe; luanet has none: a listening luanet
-- server stands for each, passed itself as the handle, and its
-- _fileno() for handle.fd. listen({ handle }) and listen({ _handle })
-- take such a raw binding and are not ported. fs.openSync's fd is
-- found in /proc/self/fd, as io.open gives no fd.)
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local tmpdir = common.tmpdir
tmpdir.refresh()

-- server.listen(pipe) creates a new pipe wrap,
-- so server.close() doesn't actually unlink this existing pipe.
-- It needs to be unlinked separately via handle.close()
local function closePipeServer(server, handle)
  return common.mustCall(function()
    server:close()
    handle:close()
  end)
end

local counter = 0

-- Avoid conflict with listen-path
local function randomPipePath()
  counter = counter + 1
  return common.PIPE .. '-listen-handle-' .. (counter - 1)
end

-- A bound socket (Node: new TCP(); bind('0.0.0.0', 0), or new Pipe();
-- bind(path)): here a server listening there.
local function randomHandle(type)
  local handle = net.createServer()
  local handleName
  if type == 'tcp' then
    handle:listen(0, '0.0.0.0')
    handleName = 'arbitrary tcp port'
  else
    local path = randomPipePath()
    handle:listen(path)
    handleName = 'pipe ' .. path
  end
  handle:on('error', function(err)
    assert.fail('unable to bind ' .. handleName .. ': ' .. err.code)
  end)

  -- err >= 0 but fd = -1, should not happen
  assert.notStrictEqual(handle:_fileno(), nil,
    'Bound ' .. handleName .. ' has no fd')
  return handle
end

-- A new server and a listener closing it and the handle it listens on
-- (Node's closeServer() for a TCP handle closes the server only, whose
-- handle it is; here the stand-in handle is a server of its own).
local function closing(handle)
  local server = net.createServer()
  return server, closePipeServer(server, handle)
end

do
  -- Test listen(tcp)
  local tcp = randomHandle('tcp')
  local server, close = closing(tcp)
  server:listen(tcp)
    :on('listening', close)
  -- Test listen(tcp, cb)
  tcp = randomHandle('tcp')
  server, close = closing(tcp)
  server:listen(tcp, close)
end

local function randomPipes(number)
  local arr = {}
  for i = 1, number do
    arr[i] = randomHandle('pipe')
  end
  return arr
end

do
  local handles = randomPipes(2) -- Generate pipes in advance
  -- Test listen(pipe)
  local server, close = closing(handles[1])
  server:listen(handles[1])
    :on('listening', close)
  -- Test listen(pipe, cb)
  server, close = closing(handles[2])
  server:listen(handles[2], close)
end

do
  -- Test listen({fd: tcp.fd}, cb)
  local tcp = randomHandle('tcp')
  local server, close = closing(tcp)
  server:listen({ fd = tcp:_fileno() }, close)
  -- Test listen({fd: tcp.fd})
  tcp = randomHandle('tcp')
  server, close = closing(tcp)
  server:listen({ fd = tcp:_fileno() })
    :on('listening', close)
end

do
  local handles = randomPipes(2) -- Generate pipes in advance
  -- Test listen({fd: pipe.fd}, cb)
  local server, close = closing(handles[1])
  server:listen({ fd = handles[1]:_fileno() }, close)
  -- Test listen({fd: pipe.fd})
  server, close = closing(handles[2])
  server:listen({ fd = handles[2]:_fileno() })
    :on('listening', close)
end

-- The descriptor of an open file of this process, by its path.
local function fdOf(path)
  local ls = io.popen('ls -l /proc/' .. process.pid .. '/fd')
  local listing = ls:read('a')
  ls:close()
  for fd, target in listing:gmatch(' (%d+) %-> ([^\n]*)') do
    if target == path then return tonumber(fd) end
  end
end

do
  -- Test invalid fd
  local path = tmpdir.path .. '/file'
  local file = io.open(path, 'w') -- Node: fs.openSync(__filename, 'r')
  local fd = fdOf(path)
  assert.ok(fd)
  local server
  server = net.createServer()
    :listen({ fd = fd }, common.mustNotCall())
    :on('error', common.mustCall(function(err)
      assert.strictEqual(tostring(err),
        'Error: listen EINVAL: invalid argument')
      server:close()
      file:close()
    end))
end
