-- Node's test-net-socket-connecting.js: connecting is true from connect()
-- until the connection is made. (Node also reads the legacy
-- _connecting, an undocumented alias luanet does not have.)
require('common')
local assert = require('node:assert')
local net = require('node:net')

local server
server = net.createServer(function(conn)
  conn:end_()
  server:close()
end):listen(0, function()
  local client
  client = net.connect(server:address().port, function()
    assert.strictEqual(client.connecting, false)

    client:end_()
  end)
  assert.strictEqual(client.connecting, true)
end)
