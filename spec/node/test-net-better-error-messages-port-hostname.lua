-- Node's test-net-better-error-messages-port-hostname.js: the error of a
-- connect to a host name that does not resolve names the host, and has no
-- port nor host field. (Node makes the lookup fail with a mock given as
-- the lookup option, which luanet does not have: the system's resolver
-- answers for the reserved name something.invalid instead, and errno is
-- then the number Node 22 gives for it, -3008, not the mock's 'ENOTFOUND'.)
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local INVALID_HOST = 'something.invalid' -- common/internet's

-- Using port 0 as hostname used is already invalid.
local c = net.createConnection({
  port = 0,
  host = INVALID_HOST,
})

c:on('connect', common.mustNotCall())

c:on('error', common.mustCall(function(err)
  assert.ok(err.port == nil)
  assert.ok(err.host == nil)
  assert.throws(function() error(err, 0) end, {
    errno = -3008,
    code = 'ENOTFOUND',
    name = 'Error',
    message = 'getaddrinfo ENOTFOUND something.invalid',
    hostname = INVALID_HOST,
    syscall = 'getaddrinfo',
  })
end))
