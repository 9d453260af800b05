-- Node's test-net-during-close.js: a client's remote address fields can
-- be read while it is still connecting and its server is closing.
local common = require('common')
local net = require('node:net')

local server = net.createServer(function(socket)
  socket:end_()
end)

server:listen(0, common.mustCall(function()
  local client = net.createConnection(server:address().port)
  server:close()
  -- Server connection event has not yet fired client is still attempting to
  -- connect. Accessing properties should not throw in this case.
  local _ = client.remoteAddress
  _ = client.remoteFamily
  _ = client.remotePort
  -- Exit now, do not wait for the client error event.
  process.exit(0)
end))
