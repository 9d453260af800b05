-- Node's test-net-connect-handle-econnrefused.js: a connect to a port
-- nobody listens on (a server's, once closed) emits 'error' ECONNREFUSED,
-- no longer connecting, and no 'connect'.
local common = require('common')
local net = require('node:net')
local assert = require('node:assert')

local server = net.createServer()
server:listen(0)
local port = server:address().port
server:close(common.mustCall(function()
  local c = net.createConnection(port)
  c:on('connect', common.mustNotCall())
  c:on('error', common.mustCall(function(e)
    assert.strictEqual(c.connecting, false)
    assert.strictEqual(e.code, 'ECONNREFUSED')
  end))
end))
