-- Node's test-net-after-close.js: a socket's methods and fields are safe
-- to use after 'close'. (Node also checks c._handle is null: luanet has no
-- _handle; c.destroyed stands for it.)
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local server = net.createServer(function(s)
  s:end_()
end)

server:listen(0, common.mustCall(function()
  local c = net.createConnection(server:address().port)
  c:on('close', common.mustCall(function()
    assert.strictEqual(c.destroyed, true)
    assert.doesNotThrow(function()
      c:setNoDelay()
      c:setKeepAlive()
      local _ = c.bufferSize
      c:pause()
      c:resume()
      c:address()
      _ = c.remoteAddress
      _ = c.remotePort
    end)
    server:close()
  end))
end))
