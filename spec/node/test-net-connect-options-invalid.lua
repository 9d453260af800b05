-- Node's test-net-connect-options-invalid.js: net.createConnection refuses
-- the object modes (a socket is a stream of bytes) with
-- ERR_INVALID_ARG_VALUE.
require('common')
local assert = require('node:assert')
local net = require('node:net')

do
  local invalidKeys = {
    'objectMode',
    'readableObjectMode',
    'writableObjectMode',
  }
  for _, invalidKey in ipairs(invalidKeys) do
    local option = {
      port = 8080,
      [invalidKey] = true,
    }

    assert.throws(function()
      net.createConnection(option)
    end, {
      code = 'ERR_INVALID_ARG_VALUE',
      name = 'TypeError',
    })
  end
end
