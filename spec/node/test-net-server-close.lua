-- Node's test-net-server-close.js: close() returns the server, and the
-- server's 'close' follows once its connections are destroyed.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local sockets = {}

local server
server = net.createServer(function(c)
  c:on('close', common.mustCall())

  sockets[#sockets + 1] = c

  if #sockets == 2 then
    assert.strictEqual(server:close(), server)
    for _, s in ipairs(sockets) do s:destroy() end
  end
end)

server:on('close', common.mustCall())

assert.strictEqual(server, server:listen(0, function()
  net.createConnection(server:address().port)
  net.createConnection(server:address().port)
end))
