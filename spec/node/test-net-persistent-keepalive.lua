-- Node's test-net-persistent-keepalive.js: setKeepAlive() called before
-- connect() returns the socket, is kept for when it connects, and neither
-- side is closed by it.
require('common')
local assert = require('node:assert')
local net = require('node:net')

local serverConnection
local clientConnection
local echoServer
echoServer = net.createServer(function(connection)
  serverConnection = connection
  setTimeout(function()
    -- Make sure both connections are still open
    assert.strictEqual(serverConnection.readyState, 'open')
    assert.strictEqual(clientConnection.readyState, 'open')
    serverConnection:end_()
    clientConnection:end_()
    echoServer:close()
  end, 600)
  connection:setTimeout(0)
  assert.strictEqual(type(connection.setKeepAlive), 'function')
  connection:on('end', function()
    connection:end_()
  end)
end)
echoServer:listen(0)

echoServer:on('listening', function()
  clientConnection = net.Socket()
  -- Send a keepalive packet after 1000 ms
  -- and make sure it persists
  local s = clientConnection:setKeepAlive(true, 400)
  assert.strictEqual(s, clientConnection) -- Node: s instanceof net.Socket
  clientConnection:connect(echoServer:address().port)
  clientConnection:setTimeout(0)
end)
