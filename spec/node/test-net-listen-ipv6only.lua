-- Node's test-net-listen-ipv6only.js: a server listening on '::' with
-- ipv6Only takes no IPv4 connection: connecting to 0.0.0.0 on its port
-- is refused.
local common = require('common')
if not common.hasIPv6 then
  common.skip('no IPv6 support')
end

-- This test ensures that dual-stack support is disabled when
-- we specify the `ipv6Only` option in `net.Server.listen()`.
local assert = require('node:assert')
local net = require('node:net')

local host = '::'
local server = net.createServer()
server:listen({
  host = host,
  port = 0,
  ipv6Only = true,
}, common.mustCall(function()
  local port = server:address().port
  local socket = net.connect({
    host = '0.0.0.0',
    port = port,
  })

  socket:on('connect', common.mustNotCall())
  socket:on('error', common.mustCall(function(err)
    assert.strictEqual(err.code, 'ECONNREFUSED')
    server:close()
  end))
end))
