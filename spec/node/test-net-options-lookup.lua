-- Node's test-net-options-lookup.js: connect()'s `lookup` option must be
-- a function (ERR_INVALID_ARG_TYPE at once), and an address family the
-- lookup function gives that is neither 4 nor 6 is an
-- ERR_INVALID_ADDRESS_FAMILY 'error'. Node 22 fails that last check as
-- written: with autoSelectFamily on (its default) it calls lookup with
-- all = true and reads the lone address as a list, so the 'error' is
-- ERR_INVALID_IP_ADDRESS 'Invalid IP address: undefined'. The port asserts
-- that, and the test's own error with autoSelectFamily = false (Node 22's
-- output for both is in the comments).
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

-- Using port 0 as lookup is emitted before connecting.
local function connectThrows(input)
  local opts = {
    host = 'localhost',
    port = 0,
    lookup = input,
  }

  assert.throws(function()
    net.connect(opts)
  end, {
    code = 'ERR_INVALID_ARG_TYPE',
    name = 'TypeError',
  })
end

for _, input in ipairs({ 'foobar', 1, {} }) do -- Node's {} and [] are {}
  connectThrows(input)
end

local function connectDoesNotThrow(input)
  local opts = {
    host = 'localhost',
    port = 0,
    lookup = input,
  }

  return net.connect(opts)
end

connectDoesNotThrow(function() end)

do
  -- Verify that an error is emitted when an invalid address family is
  -- returned.
  local s = connectDoesNotThrow(function(host, options, cb) -- luacheck: ignore
    cb(nil, '127.0.0.1', 100)
  end)

  -- Node 22: TypeError ERR_INVALID_IP_ADDRESS "Invalid IP address: undefined"
  s:on('error', common.expectsError({
    code = 'ERR_INVALID_IP_ADDRESS',
    name = 'TypeError',
    message = 'Invalid IP address: undefined',
  }))

  -- Node 22: RangeError ERR_INVALID_ADDRESS_FAMILY
  -- "Invalid address family: 100 localhost:0", host 'localhost', port 0
  local s2 = net.connect({
    host = 'localhost',
    port = 0,
    autoSelectFamily = false,
    lookup = function(host, options, cb) -- luacheck: ignore
      cb(nil, '127.0.0.1', 100)
    end,
  })

  s2:on('error', common.expectsError({
    code = 'ERR_INVALID_ADDRESS_FAMILY',
    name = 'RangeError',
    host = 'localhost',
    port = 0,
    message = 'Invalid address family: 100 localhost:0',
  }))
end
