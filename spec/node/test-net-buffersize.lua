-- Node's test-net-buffersize.js: bufferSize counts each byte written and
-- not yet sent, and is 0 at 'finish'.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local iter = 10

local server
server = net.createServer(function(socket)
  socket:on('readable', function()
    socket:read('a') -- Node's socket.read(): whatever is buffered
  end)

  socket:on('end', function()
    server:close()
  end)
end)

server:listen(0, common.mustCall(function()
  local client = net.connect(server:address().port)

  client:on('finish', common.mustCall(function()
    assert.strictEqual(client.bufferSize, 0)
  end))

  for i = 1, iter - 1 do
    client:write('a')
    assert.strictEqual(client.bufferSize, i)
  end

  client:end_()
end))
