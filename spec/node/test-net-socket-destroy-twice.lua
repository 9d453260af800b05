-- Node's test-net-socket-destroy-twice.js: destroy() in the 'error'
-- listener of a socket that failed to connect (the destroy after the
-- one the error made) emits 'close' once.
local common = require('common')
local net = require('node:net')

local server = net.createServer()
server:listen(0)
local port = server:address().port
local conn = net.createConnection(port)

conn:on('error', common.mustCall(function()
  conn:destroy()
end))

conn:on('close', common.mustCall())
server:close()
