-- The echo server of the benchmark, as a luanet user writes it: every
-- chunk read is written back; a connection reset is no reason to stop.
-- Also the server of the bulk, churn and idle scenarios (a Lua 'data'
-- listener on each connection). build/luanet scripts/bench/echo.lua PORT
local net = require('net')
net.createServer(function(socket)
  socket:on('data', function(data) socket:write(data) end)
  socket:on('error', function() end)
end):listen(tonumber(process.argv[3]), '127.0.0.1')
