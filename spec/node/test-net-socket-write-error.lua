-- Node's test-net-socket-write-error.js: write() of a number raises
-- ERR_INVALID_ARG_TYPE (a TypeError) at once and emits no 'error'.
local common = require('common')
local net = require('node:net')
local assert = require('node:assert')

local server

local function connectToServer()
  local client
  client = net.createConnection(server:address().port, function()
    client:on('error', common.mustNotCall())
    assert.throws(function()
      client:write(1337)
    end, {
      code = 'ERR_INVALID_ARG_TYPE',
      name = 'TypeError',
    })

    client:destroy()
  end)
    :on('close', function() server:close() end)
end

server = net.createServer():listen(0, connectToServer)
