-- Node's test-net-connect-immediate-finish.js: end() called at once on a
-- socket whose host name cannot be resolved still lets the lookup's
-- 'error' come, and no 'connect'. (Node 22's test resolves through a mock
-- lookup option, which luanet's connect does not take: a real lookup of a
-- name under .invalid, Node's addresses.INVALID_HOST, stands for it, and
-- its errno is the resolver's, not the mock's.)
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local INVALID_HOST = 'something.invalid'

local client = net.connect({
  host = INVALID_HOST,
  port = 80, -- Port number doesn't matter because host name is invalid
}, common.mustNotCall())

client:once('error', common.mustCall(function(error)
  assert.strictEqual(error.code, 'ENOTFOUND')
  assert.strictEqual(error.syscall, 'getaddrinfo')
  assert.strictEqual(error.hostname, INVALID_HOST)
end))

client:end_()
