-- Opens N connections to 127.0.0.1:PORT, 100 at a time (the listen
-- backlog is no part of what is measured), prints 'open' once all are
-- connected, and keeps them until killed.
--   build/luanet idle_clients.lua PORT N
local net = require('net')
local port, n = tonumber(process.argv[3]), tonumber(process.argv[4])
local opened, started, keep = 0, 0, {}
local function more()
  for _ = 1, 100 do
    if started == n then return end
    started = started + 1
    local socket = net.connect(port, '127.0.0.1')
    socket:on('connect', function()
      opened = opened + 1
      if opened == n then print('open') end
    end)
    keep[started] = socket
  end
  setTimeout(more, 10)
end
more()
