-- 000 (Net), socket.setTimeout(timeout[, callback]): ends a connection idle
-- for 3 s.
-- Run: build/luanet scripts/examples/timeout_server.lua
--   (then: nc localhost PORT, and wait)
-- (added: the document shows the socket's part only; here it is the
-- connection of a server that listens on an arbitrary port, as in
-- sever.address())
local net = require('net')
local server = net.createServer(function(socket)
  socket:setTimeout(3000, function()
    console.log('timeout callback...')
  end)
  socket:on('timeout', function()
    console.log('timeout event callback...')
    socket:end_('client disconnect...')
  end)
  --print:
  --timeout callback...
  --timeout event callback...
end)
server:listen(function() -- (added)
  console.log('opened server on', server:address())
end)
