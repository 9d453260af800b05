-- 000 (Net), socket.pause()/socket.resume(): client.js, for pause_server.lua.
-- Run: build/luanet scripts/examples/pause_client.lua
--client.js
-- (added: the document's "...": the socket, and printing the server's reply)
local net = require('net')
local client = net.Socket()
client:connect(8431, '127.0.0.1', function()
  console.log('已经连接到服务器端。')
  client:write('你好。')
  console.log('123')
end)
client:on('data', function(data) -- (added, as said above)
  console.log(tostring(data))
end)
