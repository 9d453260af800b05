-- Node's test-net-socket-ready-without-cb.js: socket:connect() without a
-- callback (here given server:address(), a table with port, family and
-- address) connects, and 'ready' is emitted.
local common = require('common')

local net = require('node:net')

local server
server = net.createServer(common.mustCall(function(conn)
  conn:end_()
  server:close()
end)):listen(0, 'localhost', common.mustCall(function()
  local client = net.Socket()

  client:on('ready', common.mustCall(function()
    client:end_()
  end))

  client:connect(server:address())
end))
