-- Node's test-net-client-bind-twice.js: net.connect() from a local port
-- already in use fails with EADDRINUSE.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local server1 = net.createServer(common.mustNotCall())
server1:listen(0, common.localhostIPv4, common.mustCall(function()
  local server2 = net.createServer(common.mustNotCall())
  server2:listen(0, common.localhostIPv4, common.mustCall(function()
    local client = net.connect({
      host = common.localhostIPv4,
      port = server1:address().port,
      localAddress = common.localhostIPv4,
      localPort = server2:address().port,
    }, common.mustNotCall())

    client:on('error', common.mustCall(function(err)
      assert.strictEqual(err.code, 'EADDRINUSE')
      server1:close()
      server2:close()
    end))
  end))
end))
