-- Node's test-net-socket-constructor.js: net.Socket refuses a bad fd, and
-- a new, an accepted and a connecting socket are readable and writable.
-- (Node also makes sockets from an accepted socket's _handle, which
-- luanet does not expose, and from fds 4 to 6 handed to a cluster worker;
-- luanet has no cluster: those checks are left out.)
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

assert.throws(function()
  net.Socket({ fd = -1 })
end, { code = 'ERR_OUT_OF_RANGE' })

assert.throws(function()
  net.Socket({ fd = 'foo' })
end, { code = 'ERR_INVALID_ARG_TYPE' })

local socketMeta = getmetatable(net.Socket())

local function test(sock, readable, writable)
  local socket
  if getmetatable(sock) == socketMeta then -- sock instanceof net.Socket
    socket = sock
  else
    socket = net.Socket(sock)
    socket:unref()
  end

  assert.strictEqual(socket.readable, readable)
  assert.strictEqual(socket.writable, writable)
end

test(nil, true, true)

local server
server = net.createServer(common.mustCall(function(socket)
  socket:unref()
  test(socket, true, true)
  server:close()
end))

server:listen(common.mustCall(function()
  local port = server:address().port
  local socket
  socket = net.connect(port, common.mustCall(function()
    test(socket, true, true)
    socket:end_()
  end))

  test(socket, true, true)
end))
