-- Node's test-net-connect-destroy.js: a socket never connected emits
-- 'close' when destroyed.
local common = require('common')
local net = require('node:net')

local socket = net.Socket()
socket:on('close', common.mustCall())
socket:destroy()
