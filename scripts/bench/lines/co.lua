-- A line-echo server written as sequential code: one task per
-- connection, `for line in socket:lines()`. luanet co.lua PORT
local net = require('net')

local server = net.createServer(function(socket)
  net.spawn(function()
    for line in socket:lines() do socket:write(line .. '\n') end
    socket:end_()
  end)
end)
server:listen(tonumber((...)) or 0, '127.0.0.1')
print(server:address().port)
