-- 000 (Net), sever.address(): a server that says goodbye to every client.
-- Run: build/luanet scripts/examples/address_server.lua
--   (then: nc localhost PORT)
local net = require('net')
local server = net.createServer(function(socket)
  socket:end_('goodbye\n')
end):on('error', function(err)
  -- handle errors here
  error(err)
end)

-- 分配任意一个未使用的端口
server:listen(function()
  console.log('opened server on', server:address())
end)
