-- Node's test-net-server-reset.js: server:close() returns the server, and
-- resetAndDestroy() on the accepted sockets closes them with an RST, so
-- each client sees ECONNRESET; the server then emits 'close'.
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
    for _, s in ipairs(sockets) do s:resetAndDestroy() end
  end
end)

server:on('close', common.mustCall())

assert.strictEqual(server, server:listen(0, function()
  net.createConnection(server:address().port)
    :on('error', common.mustCall(function(error)
      assert.strictEqual(error.code, 'ECONNRESET')
    end))
  net.createConnection(server:address().port)
    :on('error', common.mustCall(function(error)
      assert.strictEqual(error.code, 'ECONNRESET')
    end))
end))
