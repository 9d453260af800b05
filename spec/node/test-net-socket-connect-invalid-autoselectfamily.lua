-- Node's test-net-socket-connect-invalid-autoselectfamily.js: connect
-- refuses an autoSelectFamily that is not a boolean.
require('common')
local assert = require('node:assert')
local net = require('node:net')

assert.throws(function()
  net.connect({ port = 8080, autoSelectFamily = 'INVALID' })
end, { code = 'ERR_INVALID_ARG_TYPE' })
