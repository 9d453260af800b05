-- 003 (net(网络)), server.address(): the same goodbye server, in that
-- document's wording.
-- Run: build/luanet scripts/examples/address_server_003.lua
--   (then: nc localhost PORT)
local net = require('net') -- (added: the document leaves out the require)
local server = net.createServer(function(socket)
  socket:end_('goodbye\n')
end):on('error', function(err)
  -- handle errors here
  error(err)
end)

-- grab an arbitrary unused port.
server:listen(function()
  console.log('opened server on', server:address())
end)
