-- Node's test-net-keepalive.js: with keep-alive on (probes after 50 ms)
-- and the idle timeout off, both ends of a connection are still open
-- 100 ms later.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local serverConnection
local clientConnection
local echoServer
echoServer = net.createServer(function(connection)
  serverConnection = connection
  setTimeout(common.mustCall(function()
    -- Make sure both connections are still open
    assert.strictEqual(serverConnection.readyState, 'open')
    assert.strictEqual(clientConnection.readyState, 'open')
    serverConnection:end_()
    clientConnection:end_()
    echoServer:close()
  end, 1), common.platformTimeout(100))
  connection:setTimeout(0)
  assert.notStrictEqual(connection.setKeepAlive, nil)
  -- Send a keepalive packet after 50 ms
  connection:setKeepAlive(true, common.platformTimeout(50))
  connection:on('end', function()
    connection:end_()
  end)
end)
echoServer:listen(0)

echoServer:on('listening', function()
  clientConnection = net.createConnection(echoServer:address().port)
  clientConnection:setTimeout(0)
end)
