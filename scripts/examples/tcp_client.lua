-- 客户端 (002, 示例): the client of the document's first example.
local net = require('net')
local client
client = net.connect({ port = 8888, host = '127.0.0.1' }, function()
  client:write('hello server!\r\n')
end)
client:on('data', function(data)
  console.log('server send message: ', tostring(data))
  client:end_()
end)
client:on('end', function()
  console.log('disconnected form server')
end)

return client -- for scripts/demo.lua
