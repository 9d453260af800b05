-- Node's test-net-socket-close-after-end.js: a socket read through
-- 'readable' whose peer has ended emits 'close' only after 'end', which
-- waits for the script to read the last bytes, even when its own side has
-- ended too.
local common = require('common')

local assert = require('node:assert')
local net = require('node:net')

local server = net.createServer()

server:on('connection', function(socket)
  local endEmitted = false

  socket:once('readable', function()
    setTimeout(function()
      socket:read()
    end, common.platformTimeout(100))
  end)
  socket:on('end', function()
    endEmitted = true
  end)
  socket:on('close', function()
    assert(endEmitted)
    server:close()
  end)
  socket:end_('foo')
end)

server:listen(common.mustCall(function()
  local socket
  socket = net.createConnection(server:address().port, function()
    socket:end_('foo')
  end)
end))
