-- Node's test-net-server-blocklist.js: a server's blockList closes a
-- connection from a blocked address without emitting 'connection'.
local common = require('common')
local net = require('node:net')

local blockList = net.BlockList()
blockList:addAddress(common.localhostIPv4)

local server = net.createServer({ blockList = blockList }, common.mustNotCall())
server:listen(0, common.localhostIPv4, common.mustCall(function()
  local address = server:address()
  local socket = net.connect({
    localAddress = common.localhostIPv4,
    host = address.address,
    port = address.port,
  })
  socket:on('close', common.mustCall(function()
    server:close()
  end))
end))
