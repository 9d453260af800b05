-- Node's test-net-stream.js: a server that writes 20 MB and ends, to a
-- client that pauses at its first 'data' (pause() returns the socket) and
-- destroys itself 20 ms later, gets an 'error' (EPIPE or ECONNRESET) and
-- one 'close'.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local SIZE = 2E6
local N = 10
local buf = string.rep('a', SIZE)

local server
server = net.createServer(function(socket)
  socket:setNoDelay()

  socket:on('error', common.mustCall(function() socket:destroy() end))
        :on('close', common.mustCall(function() server:close() end))

  for _ = 1, N do
    socket:write(buf, function() end)
  end
  socket:end_()

end):listen(0, function()
  local conn = net.connect(server:address().port)
  conn:on('data', function()
    assert.strictEqual(conn, conn:pause())
    setTimeout(function()
      conn:destroy()
    end, 20)
  end)
end)
