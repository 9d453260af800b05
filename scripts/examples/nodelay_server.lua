-- 000 (Net), socket.setNoDelay([noDelay]): Nagle's algorithm off on every
-- connection.
-- Run: build/luanet scripts/examples/nodelay_server.lua
--   (then: nc localhost PORT)
local net = require('net') -- (added)
local server = net.createServer(function(socket)
  socket:setNoDelay(true)
end)
server:listen(function() -- (added: an arbitrary port, as in sever.address())
  console.log('opened server on', server:address())
end)
