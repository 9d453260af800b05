-- Node's test-net-eaddrinuse.js: a second server listening on the port
-- of the first gets an 'error' whose message says EADDRINUSE.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local server1 = net.createServer(function() end)
local server2 = net.createServer(function() end)
server1:listen(0, common.mustCall(function()
  server2:on('error', function(error)
    assert.strictEqual(error.message:find('EADDRINUSE', 1, true) ~= nil,
      true)
    server1:close()
  end)
  server2:listen(server1:address().port)
end))
