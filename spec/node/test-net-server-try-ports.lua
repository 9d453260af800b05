-- Node's test-net-server-try-ports.js: listening on a port in use emits
-- EADDRINUSE, and the same server can then listen on another port.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local server1 = net.Server()

local server2 = net.Server()

server2:on('error', common.mustCall(function(e)
  assert.strictEqual(e.code, 'EADDRINUSE')

  server2:listen(0, common.mustCall(function()
    server1:close()
    server2:close()
  end))
end))

server1:listen(0, common.mustCall(function()
  -- This should make server2 emit EADDRINUSE
  server2:listen(server1:address().port)
end))
