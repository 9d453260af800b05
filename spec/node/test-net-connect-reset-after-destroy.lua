-- Node's test-net-connect-reset-after-destroy.js: resetAndDestroy()
-- returns the socket (destroy() after it too); a write after it fails with
-- ERR_STREAM_DESTROYED to its callback, with no 'error'; the server's side
-- gets 'error' ECONNRESET.
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
