-- 003 (net(网络)), close(): a server on 6666 that stops taking connections
-- after 5 s.
-- Run: build/luanet scripts/examples/close_server.lua
--   (then: nc localhost 6666 within 5 s)
local net = require('net')

local server = net.createServer()
server:listen(6666, '0.0.0.0', function()
  console.log('服务器监听开始')
end)

--一个新的连接建立时触发 'connection' 事件
server:on('connection', function(socket)
  --获取当前服务器的连接数
  server:getConnections(function(_, count)
    console.log('当前服务器的连接数 : ', count)
  end)

  socket:on('data', function(data)
    console.log('服务器接收到 : ', tostring(data))
  end)
end)

server:on('close', function()
  console.log('服务器被关闭')
end)

--5秒后手动关闭服务器,拒绝所有连接请求,已有连接全部关闭后,触发 'close' 事件
setTimeout(function()
  server:close()
end, 5000)
