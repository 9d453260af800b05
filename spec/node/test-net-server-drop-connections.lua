-- Node's test-net-server-drop-connections.js: beyond maxConnections a
-- connection is dropped with 'drop' and the addresses of both ends.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

-- JavaScript's !!v: 0 and '' are false too.
local function truthy(v)
  return v ~= nil and v ~= false and v ~= 0 and v ~= ''
end

local firstSocket
local server = net.createServer(common.mustCall(function(socket)
  firstSocket = socket
end))

server.maxConnections = 1

server:on('drop', common.mustCall(function(data)
  assert.strictEqual(truthy(data.localAddress), true)
  assert.strictEqual(truthy(data.localPort), true)
  assert.strictEqual(truthy(data.remoteAddress), true)
  assert.strictEqual(truthy(data.remotePort), true)
  assert.strictEqual(truthy(data.remoteFamily), true)
  firstSocket:destroy()
  server:close()
end))

server:listen(0, function()
  net.createConnection(server:address().port)
  net.createConnection(server:address().port)
end)
