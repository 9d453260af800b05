-- Node's test-net-timeout-no-handle.js: setTimeout() on a socket never
-- connected still fires 'timeout' (its timer is unref'ed, so a plain
-- timer keeps the process alive for it). Node asserts socket._handle is
-- null then; luanet has no _handle, and socket.pending (true while a
-- socket has no connection, as Node 22's is here) stands for it.
local common = require('common')
local net = require('node:net')
local assert = require('node:assert')

local socket = net.Socket()
socket:setTimeout(common.platformTimeout(50))

socket:on('timeout', common.mustCall(function()
  assert.strictEqual(socket.pending, true)
end))

socket:on('connect', common.mustNotCall())

-- Since the timeout is unrefed, the code will exit without this
setTimeout(function() end, common.platformTimeout(200))
