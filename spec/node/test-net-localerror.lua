-- Node's test-net-localerror.js: connect() raises at once for a
-- localAddress that is no IP address (ERR_INVALID_IP_ADDRESS) and a
-- localPort that is no number (ERR_INVALID_ARG_TYPE), both TypeErrors.
require('common')
local assert = require('node:assert')
local net = require('node:net')

local function connect(opts, code, typeName)
  assert.throws(
    function() net.connect(opts) end,
    { code = code, name = typeName }
  )
end

connect({
  host = 'localhost',
  port = 0,
  localAddress = 'foobar',
}, 'ERR_INVALID_IP_ADDRESS', 'TypeError')

connect({
  host = 'localhost',
  port = 0,
  localPort = 'foobar',
}, 'ERR_INVALID_ARG_TYPE', 'TypeError')
