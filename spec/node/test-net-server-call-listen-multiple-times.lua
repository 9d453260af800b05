-- Node's test-net-server-call-listen-multiple-times.js: listen() again
-- works after an 'error' and after close(), and throws
-- ERR_SERVER_ALREADY_LISTEN while the server listens.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

-- First test. Check that after error event you can listen right away.
do
  local dummyServer = net.Server()
  local server = net.Server()

  -- Run some server in order to simulate EADDRINUSE error.
  dummyServer:listen(common.mustCall(function()
    -- Try to listen used port.
    server:listen(dummyServer:address().port)
  end))

  server:on('error', common.mustCall(function(e) -- luacheck: ignore e
    server:listen(common.mustCall(function()
      dummyServer:close()
      server:close()
    end))
  end))
end

-- Second test. Check that second listen call throws an error.
do
  local server = net.Server()

  server:listen(common.mustCall(function() server:close() end))

  assert.throws(function() server:listen() end, {
    code = 'ERR_SERVER_ALREADY_LISTEN',
    name = 'Error',
  })
end

-- Third test.
-- Check that after the close call you can run listen method just fine.
do
  local server = net.Server()

  server:listen(common.mustCall(function()
    server:close()
    server:listen(common.mustCall(function() server:close() end))
  end))
end
