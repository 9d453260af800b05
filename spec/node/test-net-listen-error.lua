-- Node's test-net-listen-error.js: listening on an address this machine
-- does not have (1.1.1.1, port 1) emits 'error' (EACCES or
-- EADDRNOTAVAIL), not 'listening'.
local common = require('common')
local net = require('node:net')

local server = net.createServer(function() end)
server:listen(1, '1.1.1.1', common.mustNotCall()) -- EACCES or EADDRNOTAVAIL
server:on('error', common.mustCall())
