-- Node's test-net-listen-close-server-callback-is-not-function.js:
-- close() with an argument that is no function still closes the server
-- ('close' is emitted) before it ever emits 'listening'.
local common = require('common')
local net = require('node:net')

local server = net.createServer(common.mustNotCall())

server:on('close', common.mustCall())

server:listen(0, common.mustNotCall())

server:close('bad argument')
