-- Node's test-net-socket-destroy-send.js: destroy() returns the socket,
-- called twice too, and a write after it fails its callback with
-- ERR_STREAM_DESTROYED without emitting 'error'.
local common = require('common')
local net = require('node:net')
local assert = require('node:assert')

local server = net.createServer()
server:listen(0, common.mustCall(function()
  local port = server:address().port
  local conn = net.createConnection(port)

  conn:on('connect', common.mustCall(function()
    -- Test destroy returns this, even on multiple calls when it
    -- short-circuits.
    assert.strictEqual(conn, conn:destroy():destroy())
    conn:on('error', common.mustNotCall())

    conn:write('kaboom', common.expectsError({
      code = 'ERR_STREAM_DESTROYED',
      message = 'Cannot call write after a stream was destroyed',
      name = 'Error',
    }))
    server:close()
  end))
end))
