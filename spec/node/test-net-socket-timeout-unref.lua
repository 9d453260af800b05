-- Node's test-net-socket-timeout-unref.js: unref'ed sockets with idle
-- timeouts do not keep the process alive.
local common = require('common')
local net = require('node:net')

local server = net.createServer(function(c)
  c:write('hello')
  c:unref()
end)
server:listen(0)
server:unref()

local connections = 0
local sockets = {}
local delays = { 8, 5, 3, 6, 2, 4 }

for _, T in ipairs(delays) do
  local socket = net.createConnection(server:address().port, 'localhost')
  socket:on('connect', common.mustCall(function()
    connections = connections + 1
    if connections == #delays then
      for _, s in ipairs(sockets) do
        s.socket:setTimeout(s.timeout, function()
          s.socket:destroy()
          error('socket timed out unexpectedly')
        end)

        s.socket:unref()
      end
    end
  end))

  sockets[#sockets + 1] = { socket = socket, timeout = T * 1000 }
end
