-- Node's test-net-write-after-end-nt.js: a write after the peer ended
-- (and so after this socket ended its own side) returns false and its
-- EPIPE error ('This socket has been ended by the other party') is
-- emitted on a later tick, not inside write().
local common = require('common')

local assert = require('node:assert')
local net = require('node:net')

local expectsError, mustCall = common.expectsError, common.mustCall

-- This test ensures those errors caused by calling `net.Socket.write()`
-- after sockets ending will be emitted in the next tick.
local server
server = net.createServer(mustCall(function(socket)
  socket:end_()
end)):listen(function()
  local client
  client = net.connect(server:address().port, function()
    local hasError = false
    client:on('error', mustCall(function()
      hasError = true
      server:close()
    end))
    client:on('end', mustCall(function()
      local ret = client:write('hello', expectsError({
        code = 'EPIPE',
        message = 'This socket has been ended by the other party',
        name = 'Error',
      }))

      assert.strictEqual(ret, false)
      assert(not hasError, 'The error should be emitted in the next tick.')
    end))
    client:end_()
  end)
end)
