-- 001 (net---TCP): the server that counts its clients, on port 8000.
-- Run: build/luanet scripts/examples/count_server.lua
--   (then runtest_client.lua, or: telnet localhost 8000)
local net = require('net')
local assert = require('assert') -- luacheck: ignore 211 (used by runTest)
local clients = 0
-- 参数clinet实际上是一个socket, 故write方法写入数据将通过网络发送
-- 添加到socket的任何事件监听回调将共享相同的作用域, 它会创建回调内的作用域
-- (declared first, so that the listener below sees it, as `var server` does)
local server
server = net.createServer(function(socket)
  clients = clients + 1
  console.log(clients)
  socket:on('end', function()
    console.log('客户端开始关闭')
    -- 所有客户端关闭跟本服务的联接后, 本服务将关闭
    server:unref()
  end)
  socket:on('data', function(_)

  end)
  -- the document's `socket.on('close'()=>{` is a syntax error:
  -- meant ('close', () => {
  socket:on('close', function()
    console.log('客户端关闭')
  end)
  -- 设置客户端的超时时间
  socket:setTimeout(3000)
  socket:on('timeout', function()
    console.log('超时了')
    -- the document's socket.pipe() has no destination (it throws in Node):
    -- meant to end the idle client
    socket:end_()
  end)
  -- the document writes the number itself (ERR_INVALID_ARG_TYPE in Node):
  -- meant its text
  socket:write(tostring(clients))
  -- 把客户端的数据返回到客户端
  -- the document pipes to `client`, undefined here: meant the client's
  -- own socket
  socket:pipe(socket)
end)
server:listen(8000, function()
  -- `${server.address()}`: [object Object] in Node, table: 0x... here
  console.log('服务器地址: ' .. tostring(server:address()))
end)
server:on('error', function(err)
  console.log(err)
end)

server:on('connection', function(socket)
  console.log(socket.remoteAddress)
end)
