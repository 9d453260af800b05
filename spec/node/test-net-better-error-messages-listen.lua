-- Node's test-net-better-error-messages-listen.js: the error of a listen
-- on an address this host does not have names the address, the port and
-- the syscall.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local server = net.createServer(common.mustNotCall())
server:listen(1, '1.1.1.1', common.mustNotCall())
server:on('error', common.mustCall(function(e)
  assert.strictEqual(e.address, '1.1.1.1')
  assert.strictEqual(e.port, 1)
  assert.strictEqual(e.syscall, 'listen')
end))
