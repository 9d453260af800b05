-- Node's test-net-bind-twice.js: a second server listening on the port
-- of a first one fails with EADDRINUSE.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local server1 = net.createServer(common.mustNotCall())
server1:listen(0, '127.0.0.1', common.mustCall(function()
  local server2 = net.createServer(common.mustNotCall())
  server2:listen(server1:address().port, '127.0.0.1', common.mustNotCall())

  server2:on('error', common.mustCall(function(e)
    assert.strictEqual(e.code, 'EADDRINUSE')
    server1:close()
  end))
end))
