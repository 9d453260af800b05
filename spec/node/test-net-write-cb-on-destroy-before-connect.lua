-- Node's test-net-write-cb-on-destroy-before-connect.js: a write queued
-- while connecting gets ERR_SOCKET_CLOSED_BEFORE_CONNECTION in its
-- callback when the socket is destroyed before it connects, and 'connect'
-- never comes.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local server = net.createServer()
server:listen(0, common.mustCall(function()
  local socket = net.Socket()

  socket:on('connect', common.mustNotCall())

  socket:connect({
    port = server:address().port,
  })

  assert(socket.connecting)

  socket:write('foo', common.expectsError({
    code = 'ERR_SOCKET_CLOSED_BEFORE_CONNECTION',
    name = 'Error',
  }))

  socket:destroy()
  server:close()
end))
