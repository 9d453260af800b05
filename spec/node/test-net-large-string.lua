-- Node's test-net-large-string.js: a 40 Ki-character string of 'あ'
-- written as 'UTF-8' arrives whole at a server that decodes it as
-- 'UTF-8'. (Node counts data.length, UTF-16 units; decoded text is UTF-8
-- here, so utf8.len counts the same characters.)
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local kPoolSize = 40 * 1024
local data = string.rep('あ', kPoolSize)
local encoding = 'UTF-8'

local server
server = net.createServer(common.mustCall(function(socket)
  local receivedSize = 0

  socket:setEncoding(encoding)
  socket:on('data', function(chunk)
    receivedSize = receivedSize + utf8.len(chunk)
  end)
  socket:on('end', common.mustCall(function()
    assert.strictEqual(receivedSize, kPoolSize)
    socket:end_()
  end))
end))

server:listen(0, function()
  local client = net.createConnection(server:address().port)
  client:on('end', function()
    server:close()
  end)
  client:write(data, encoding)
  client:end_()
end)
