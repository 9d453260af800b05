-- Node's test-net-persistent-nodelay.js: setNoDelay() called before the
-- socket has a handle returns the socket and the connection then works.
-- (Node also counts the calls of TCPWrap's setNoDelay through
-- --expose-internals; luanet has no such binding to patch, so that count
-- is not checked.)
require('common')
local assert = require('node:assert')
local net = require('node:net')

local echoServer = net.createServer(function(connection)
  connection:end_()
end)
echoServer:listen(0)

local Socket = net.Socket

echoServer:on('listening', function()
  local sock1 = Socket()
  -- setNoDelay before the handle is created
  -- there is probably a better way to test this

  local s = sock1:setNoDelay()
  assert.strictEqual(s, sock1) -- Node: s instanceof net.Socket
  sock1:connect(echoServer:address().port)
  sock1:on('end', function()
    echoServer:close()
  end)
end)
