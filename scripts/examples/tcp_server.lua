-- TCP服务器 (002, 示例): the server of the document's first example.
local net = require('net')
local server = net.createServer(function(socket)
  socket:on('data', function(data)
    console.log('client send message: ', tostring(data))
  end)
  socket:write('hello client')
end)
server:listen(8888, '127.0.0.1', function()
  console.log(server:address())
end)

return server -- for scripts/demo.lua, which runs both ends in one process
