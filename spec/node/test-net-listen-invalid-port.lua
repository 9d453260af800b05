-- Node's test-net-listen-invalid-port.js: every form of listen() checks
-- its port and raises ERR_SOCKET_BAD_PORT, a RangeError, for 2^32 - 1.
-- (Node also checks the internal _connectionKey of a server listening on
-- port 0, 'family digit:address:0': luanet has none; the same key built
-- from address() stands for it.)
local common = require('common')

-- This test ensures that port numbers are validated in *all* kinds of `listen`
-- calls. If an invalid port is supplied, ensures a `RangeError` is thrown.
-- https://github.com/nodejs/node/issues/5727

local assert = require('node:assert')
local net = require('node:net')

local invalidPort = 0xffffffff -- -1 >>> 0

local server0
server0 = net.Server():listen(0, function()
  local address = server0:address()
  local key = address.family:sub(-1) .. ':' .. address.address .. ':0'

  assert(key:match('^[46]:.+:0$'), key)
  server0:close()
end)

-- The first argument is a configuration object
assert.throws(function()
  net.Server():listen({ port = invalidPort }, common.mustNotCall())
end, {
  code = 'ERR_SOCKET_BAD_PORT',
  name = 'RangeError',
})

-- The first argument is the port, no IP given.
assert.throws(function()
  net.Server():listen(invalidPort, common.mustNotCall())
end, {
  code = 'ERR_SOCKET_BAD_PORT',
  name = 'RangeError',
})

-- The first argument is the port, the second an IP.
assert.throws(function()
  net.Server():listen(invalidPort, '0.0.0.0', common.mustNotCall())
end, {
  code = 'ERR_SOCKET_BAD_PORT',
  name = 'RangeError',
})
