-- 000 (Net), socket.setKeepAlive([enable][, initialDelay]): keep-alive on every
-- connection.
-- Run: build/luanet scripts/examples/keepalive_server.lua
--   (then: nc localhost PORT)
local net = require('net') -- (added)
local server = net.createServer(function(socket)
  socket:setKeepAlive(true, 3000) --如果3s内没有包的交流的话，会发送空包，进行交互
end)
server:listen(function() -- (added: an arbitrary port, as in sever.address())
  console.log('opened server on', server:address())
end)
