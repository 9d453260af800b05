-- Node's test-net-socket-end-before-connect.js: end() before the
-- connection is made still ends in 'close'.
local common = require('common')

local net = require('node:net')

local server = net.createServer()

server:listen(common.mustCall(function()
  local socket = net.createConnection(server:address().port)
  socket:on('close', common.mustCall(function() server:close() end))
  socket:end_()
end))
