-- The idle-connection benchmark's server: every connection gets a Lua
-- 'data' listener, then nothing happens. build/luanet idle.lua PORT
local net = require('net')
net.createServer(function(socket)
  socket:on('data', function(data) socket:write(data) end)
end):listen(tonumber(process.argv[3]), '127.0.0.1')
