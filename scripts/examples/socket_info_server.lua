-- 003 (net(网络)), 二、net.Socket: a server on 6666 that prints what it knows
-- of each socket.
-- Run: build/luanet scripts/examples/socket_info_server.lua
--   (then: nc localhost 6666)
local net = require('net')

local server = net.createServer()
server:listen(6666, '0.0.0.0', function()
  console.log('服务器监听开始')
end)

server:on('connection', function(socket)
  --获取当前服务器的连接数
  server:getConnections(function(_, count)
    console.log('当前服务器的连接数 : ', count)
  end)

  console.log('客户端信息 : ', socket:address())

  --接收到数据时触发
  socket:on('data', function(data)
    --我们可以从流中读取数据
    console.log('服务器接收到 : ', tostring(data))
    console.log('累计接收的数据大小 : ', socket.bytesRead)
    console.log('累计发送的数据大小 : ', socket.bytesWritten)

    --也可以向流中写入数据
    local flag = socket:write('服务器向你发送 : ' .. tostring(data) .. ' \r\n')
    console.log('flag : ', flag)
    console.log('当前已缓冲并等待写入流中的字节数 : ', socket.bufferSize)
  end)

  --连接关闭时触发
  socket:on('end', function()
    console.log('客户端关闭')
  end)

  --连接完全关闭时触发
  socket:on('close', function()
    console.log('客户端完全关闭')
  end)

  --发生错误时触发
  socket:on('error', function(err)
    console.log(err)
  end)
end)
