-- Node's test-net-connect-immediate-destroy.js: a socket destroyed in the
-- tick it started connecting emits neither 'connect' nor 'error'.
local common = require('common')
local net = require('node:net')

local server = net.createServer()
server:listen(0)
local port = server:address().port
local socket = net.connect(port, '127.0.0.1', common.mustNotCall())
socket:on('error', common.mustNotCall())
server:close()
socket:destroy()
