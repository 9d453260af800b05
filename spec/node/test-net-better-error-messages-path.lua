-- Node's test-net-better-error-messages-path.js: a connect to a missing
-- Unix socket path fails with ENOENT and a message naming the path; a
-- path that is not a string raises ERR_INVALID_ARG_TYPE.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

do
  local fp = '/tmp/fadagagsdfgsdf'
  local c = net.connect(fp)

  c:on('connect', common.mustNotCall())
  c:on('error', common.expectsError({
    code = 'ENOENT',
    message = 'connect ENOENT ' .. fp,
  }))
end

do
  assert.throws(
    function() net.createConnection({ path = {} }) end,
    { code = 'ERR_INVALID_ARG_TYPE' }
  )
end
