-- Node's test-net-persistent-ref-unref.js: unref() then ref() on a socket
-- that has no handle yet are kept for when it connects, and leave it
-- ref'd. (Node counts TCPWrap's ref/unref calls through
-- --expose-internals; luanet has no such binding, so net.handles(), which
-- says whether each live handle is ref'd, stands for the count.)
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local echoServer = net.createServer(function(conn)
  conn:end_()
end)

-- Whether the live socket sock is ref'd, as net.handles() says.
local function refd(sock)
  for _, h in ipairs(net.handles()) do
    if h.object == sock then return h.ref end
  end
end

echoServer:listen(0)

echoServer:on('listening', function()
  local sock = net.Socket()
  sock:unref()
  sock:ref()
  sock:connect(echoServer:address().port)
  sock:on('connect', common.mustCall(function()
    assert.strictEqual(refd(sock), true)
  end))
  sock:on('end', function()
    echoServer:close()
  end)
end)
