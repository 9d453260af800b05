-- Node's test-net-server-options.js: createServer refuses options that are
-- neither a table nor a function (a string, a number) with a TypeError.
require('common')
local assert = require('node:assert')
local net = require('node:net')

assert.throws(function() net.createServer('path') end,
  {
    code = 'ERR_INVALID_ARG_TYPE',
    name = 'TypeError',
  })

assert.throws(function() net.createServer(0) end,
  {
    code = 'ERR_INVALID_ARG_TYPE',
    name = 'TypeError',
  })
