-- Node's test-net-write-connect-write.js: a write made while connecting
-- and one made at 'connect' reach the peer in order (an echo server sends
-- back 'before after').
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local server
server = net.createServer(function(socket)
  socket:pipe(socket)
end):listen(0, common.mustCall(function()
  local conn = net.connect(server:address().port)
  local received = ''

  conn:setEncoding('utf8')
  conn:write('before')
  conn:on('connect', function()
    conn:write(' after')
  end)
  conn:on('data', function(buf)
    received = received .. buf
    conn:end_()
  end)
  conn:on('end', common.mustCall(function()
    server:close()
    assert.strictEqual(received, 'before after')
  end))
end))
