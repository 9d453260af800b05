-- Node's test-net-socket-reset-send.js: resetAndDestroy() on a connected
-- socket returns it (and destroy() after it too), the peer reads
-- ECONNRESET, and a write after it fails with ERR_STREAM_DESTROYED in its
-- callback without an 'error' event.
local common = require('common')
local net = require('node:net')
local assert = require('node:assert')

local server = net.createServer()
server:listen(0, common.mustCall(function()
  local port = server:address().port
  local conn = net.createConnection(port)
  server:on('connection', function(socket)
    socket:on('error', common.expectsError({
      code = 'ECONNRESET',
      message = 'read ECONNRESET',
      name = 'Error',
    }))
  end)

  conn:on('connect', common.mustCall(function()
    assert.strictEqual(conn, conn:resetAndDestroy():destroy())
    conn:on('error', common.mustNotCall())

    conn:write('fzfzfzfzfz', common.expectsError({
      code = 'ERR_STREAM_DESTROYED',
      message = 'Cannot call write after a stream was destroyed',
      name = 'Error',
    }))
    server:close()
  end))
end))
