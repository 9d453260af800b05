-- Node's test-net-server-unref-persistent.js: unref() before listen()
-- still holds once the server listens.
local common = require('common')
local net = require('node:net')
local server = net.createServer()

-- Unref before listening
server:unref()
server:listen()

-- If the timeout fires, that means the server held the event loop open
-- and the unref() was not persistent. Close the server and fail the test.
setTimeout(common.mustNotCall(), 1000):unref()
