-- 003 (net(网络)), 一、创建服务器并监听端口: a server on 6666 with its events.
-- Run: build/luanet scripts/examples/events_server.lua
--   (then: nc localhost 6666)
local net = require('net')

--创建一个tcp服务
--参数一表示创建服务的一些配置
--参数二表示 事件 'connection' 监听回调函数
local server = net.createServer({
  --表示是否允许一个半开的TCP连接,默认为false
  allowHalfOpen = false,
  --一旦来了连接,是否暂停套接字,默认为false
  pauseOnConnect = false
})

server:listen(6666)

--一个新的连接建立时触发 'connection' 事件
server:on('connection', function(socket)
  --注意这里的socket是一个流,既可以读,也可以写
  --当我们监听 'data' 事件后,系统就会不断的从流中读取数据
  socket:on('data', function(data)
    console.log('服务器接收到 : ', tostring(data))
  end)
end)

--服务调用 server.listen() 监听后就会触发该事件
server:on('listening', function()
  -- address() 方法返回服务器地址信息对象
  local addr = server:address()
  console.log('服务器监听 : ' .. addr.port .. ' 端口')
end)

--服务关闭时触发,如果还有连接存在,则直到所有连接结束才会触发该事件
server:on('close', function()
  console.log('服务关闭')
end)

--出现错误时触发
server:on('error', function(err)
  console.log(err)
end)
