-- The echo server of the benchmark, as a luanet user writes it: every
-- chunk read is written back. build/luanet scripts/bench/echo.lua PORT
local net = require('net')
net.createServer(function(socket)
  socket:on('data', function(data) socket:write(data) end)
end):listen(tonumber(process.argv[3]), '127.0.0.1')
