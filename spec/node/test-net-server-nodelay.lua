-- Node's test-net-server-nodelay.js: a server made with noDelay accepts
-- and serves connections. (Node also wraps server._handle.onconnection to
-- see setNoDelay(server.noDelay) called on each accepted handle: luanet
-- sets TCP_NODELAY on the accepted socket in C, with no handle a script
-- can hook or option it can read, so that check has no stand-in.)
local common = require('common')
local net = require('node:net')

local server
server = net.createServer({
  noDelay = true,
}, common.mustCall(function(socket)
  socket:destroy()
  server:close()
end)):listen(0, common.mustCall(function()
  net.connect(server:address().port)
end))
