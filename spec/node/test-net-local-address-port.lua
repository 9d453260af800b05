-- Node's test-net-local-address-port.js: an accepted socket's
-- localAddress, localPort and localFamily are the server's address.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local server
server = net.createServer(common.mustCall(function(socket)
  assert.strictEqual(socket.localAddress, common.localhostIPv4)
  assert.strictEqual(socket.localPort, server:address().port)
  assert.strictEqual(socket.localFamily, server:address().family)
  socket:on('end', function()
    server:close()
  end)
  socket:resume()
end))

server:listen(0, common.localhostIPv4, function()
  local client = net.createConnection(server:address()
    .port, common.localhostIPv4)
  client:on('connect', function()
    client:end_()
  end)
end)
