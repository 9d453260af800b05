-- Node's test-net-write-after-close.js: a write to a socket whose peer
-- has closed both sides gets an error in its callback, and the socket
-- emits no 'error' (it has been closed by then).
local common = require('common')
local assert = require('node:assert')

local net = require('node:net')

local serverSocket

local server = net.createServer(common.mustCall(function(socket)
  serverSocket = socket

  socket:resume()

  socket:on('error', common.mustNotCall())
end))

server:listen(0, function()
  local client
  client = net.connect(server:address().port, function()
    -- client.end() will close both the readable and writable side
    -- of the duplex because allowHalfOpen defaults to false.
    -- Then 'end' will be emitted when it receives a FIN packet from
    -- the other side.
    client:on('end', common.mustCall(function()
      serverSocket:write('test', common.mustCall(function(err)
        assert(err)
        server:close()
      end))
    end))
    client:end_()
  end)
end)
