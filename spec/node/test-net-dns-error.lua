-- Node's test-net-dns-error.js: connecting to a host name that cannot
-- resolve ('*' 64 times) emits 'lookup' with the error and no address,
-- then 'error' ENOTFOUND (or EAI_FAIL), and never 'connect'. (Node's
-- `err instanceof Error`: luanet's errors are tables named 'Error'.)
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local host = string.rep('*', 64)
-- Resolving hostname > 63 characters may return EAI_FAIL (permanent failure).
local errCodes = { ENOTFOUND = true, EAI_FAIL = true }

local socket = net.connect(42, host, common.mustNotCall())
socket:on('error', common.mustCall(function(err)
  assert(errCodes[err.code], err)
end))
socket:on('lookup', common.mustCall(function(err, ip, family)
  assert.strictEqual(err.name, 'Error')
  assert(errCodes[err.code], err)
  assert.strictEqual(ip, nil)
  assert.strictEqual(family, nil)
end))
