-- Node's test-net-end-destroyed.js: a socket is not destroyed yet when
-- its 'end' event is emitted.
local common = require('common')
local net = require('node:net')
local assert = require('node:assert')

local server = net.createServer()

server:on('connection', common.mustCall())

-- Ensure that the socket is not destroyed when the 'end' event is emitted.

server:listen(common.mustCall(function()
  local socket
  socket = net.createConnection({
    port = server:address().port,
  })

  socket:on('connect', common.mustCall(function()
    socket:on('end', common.mustCall(function()
      assert.strictEqual(socket.destroyed, false)
      server:close()
    end))

    socket:end_()
  end))
end))
