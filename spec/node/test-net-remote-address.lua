-- Node's test-net-remote-address.js: remoteAddress is nil while the
-- socket connects and set once it has connected.
local common = require('common')
local net = require('node:net')
local strictEqual = require('node:assert').strictEqual

local server = net.createServer()

server:listen(common.mustCall(function()
  local socket = net.connect({ port = server:address().port })

  strictEqual(socket.connecting, true)
  strictEqual(socket.remoteAddress, nil)

  socket:on('connect', common.mustCall(function()
    strictEqual(socket.remoteAddress ~= nil, true)
    socket:end_()
  end))

  socket:on('end', common.mustCall(function()
    server:close()
  end))
end))
