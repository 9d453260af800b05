-- Node's test-net-listen-close-server.js: a server closed right after
-- listen() emits neither 'listening' nor 'error'.
local common = require('common')
local net = require('node:net')

local server = net.createServer(function() end)
server:listen(0, common.mustNotCall())
server:on('error', common.mustNotCall())
server:close()
