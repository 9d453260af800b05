-- The client of the descriptor-limit case: opens N connections to
-- 127.0.0.1:PORT at once, each sending a byte and expecting its echo, and
-- after HOLD ms prints what became of them:
--   connected N echoed N closed N errors CODE N ...
-- then exits (closing them all).
--   luanet emfile.lua PORT N HOLD
local net = require('net')
local port, n, hold = tonumber(process.argv[3]), tonumber(process.argv[4]),
  tonumber(process.argv[5])
local connected, echoed, closed, errors = 0, 0, 0, {}
for _ = 1, n do
  local socket = net.connect(port, '127.0.0.1')
  socket:on('connect', function()
    connected = connected + 1
    socket:write('x')
  end)
  socket:once('data', function() echoed = echoed + 1 end)
  socket:on('error', function(err)
    errors[err.code] = (errors[err.code] or 0) + 1
  end)
  socket:on('close', function() closed = closed + 1 end)
end
setTimeout(function()
  local parts = {}
  for code, count in pairs(errors) do
    parts[#parts + 1] = code .. ' ' .. count
  end
  print(('connected %d echoed %d closed %d errors %s'):format(connected,
    echoed, closed, #parts > 0 and table.concat(parts, ' ') or 'none'))
  process.exit(0)
end, hold)
