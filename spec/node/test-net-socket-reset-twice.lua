-- Node's test-net-socket-reset-twice.js: resetAndDestroy() on a socket
-- already destroyed by its failed connect (the server closed before it was
-- reached) is harmless: one 'error', one 'close'.
local common = require('common')
local net = require('node:net')

local server = net.createServer()
server:listen(0)
local port = server:address().port
local conn = net.createConnection(port)

conn:on('error', common.mustCall(function()
  conn:resetAndDestroy()
end))

conn:on('close', common.mustCall())
server:close()
