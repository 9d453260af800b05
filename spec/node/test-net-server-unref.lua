-- Node's test-net-server-unref.js: an unref'd listening server does not
-- keep the process alive.
local common = require('common')
local net = require('node:net')

local s = net.createServer()
s:listen(0)
s:unref()

setTimeout(common.mustNotCall(), 1000):unref()
