-- Node's test-net-connect-call-socket-connect.js: net.connect() goes
-- through Socket.prototype.connect (net.Socket.connect here), so that a
-- script that wraps that method (APM tools, async-listener) sees every
-- connect.
local common = require('common')
local net = require('node:net')
local Socket = net.Socket

-- monkey patch Socket.prototype.connect to check that it's called
local orig = Socket.connect
Socket.connect = common.mustCall(function(self, ...)
  return orig(self, ...)
end)

local server = net.createServer()

server:listen(common.mustCall(function()
  local port = server:address().port
  local client
  client = net.connect({ port = port }, common.mustCall(function()
    client:end_()
  end))
  client:on('end', common.mustCall(function()
    server:close()
  end))
end))
