-- The idle client: opens N connections to 127.0.0.1:PORT, 100 at a time,
-- prints "open N" once all are connected and keeps them, silent, until
-- it is killed. Connections that fail are printed ("error CODE").
--   luanet idle.lua PORT N
local net = require('net')
local port, n = tonumber(process.argv[3]), tonumber(process.argv[4])
local opened, started = 0, 0
local function more()
  for _ = 1, 100 do
    if started == n then return end
    started = started + 1
    local socket = net.connect(port, '127.0.0.1')
    socket:on('connect', function()
      opened = opened + 1
      if opened == n then print('open ' .. n) end
    end)
    socket:on('error', function(err) print('error ' .. tostring(err.code)) end)
  end
  setTimeout(more, 5)
end
more()
