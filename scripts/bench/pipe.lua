-- The bulk echo server written with pipe(): every connection is piped
-- into itself, so the core moves the bytes (core/pipe.c) with no Lua
-- string and no Lua call per chunk; a connection reset is no reason to
-- stop. build/luanet scripts/bench/pipe.lua PORT
local net = require('net')
net.createServer(function(socket)
  socket:pipe(socket)
  socket:on('error', function() end)
end):listen(tonumber(process.argv[3]), '127.0.0.1')
