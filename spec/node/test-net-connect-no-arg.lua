-- Node's test-net-connect-no-arg.js: connect() without a port, a path or
-- options naming one raises ERR_MISSING_ARGS, from net.connect and from
-- socket:connect.
require('common')
local assert = require('node:assert')
local net = require('node:net')

-- Tests that net.connect() called without arguments throws ERR_MISSING_ARGS.

assert.throws(function()
  net.connect()
end, {
  code = 'ERR_MISSING_ARGS',
  message = 'The "options" or "port" or "path" argument must be specified',
})

assert.throws(function()
  net.Socket():connect()
end, {
  code = 'ERR_MISSING_ARGS',
  message = 'The "options" or "port" or "path" argument must be specified',
})

assert.throws(function()
  net.connect({})
end, {
  code = 'ERR_MISSING_ARGS',
  message = 'The "options" or "port" or "path" argument must be specified',
})

assert.throws(function()
  net.Socket():connect({})
end, {
  code = 'ERR_MISSING_ARGS',
  message = 'The "options" or "port" or "path" argument must be specified',
})
