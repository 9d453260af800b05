-- Node's test-net-connect-reset-before-connected.js: resetAndDestroy()
-- then destroy() on a socket still connecting emit neither 'connect' nor
-- 'error'.
local common = require('common')
local net = require('node:net')

local server = net.createServer()
server:listen(0)
local port = server:address().port
local socket = net.connect(port, common.localhostIPv4, common.mustNotCall())
socket:on('error', common.mustNotCall())
server:close()
socket:resetAndDestroy()
-- `reset` waiting socket connected to sent the RST packet
socket:destroy()
