-- A luanet server for the stress scripts, on 127.0.0.1 and a free port,
-- which it prints ("port N"). Every connection gets a Lua 'data' listener
-- that echoes, and ends when the peer ends (allowHalfOpen false, as in
-- Node). An 'error' on a connection (a peer's RST) is counted, not fatal.
-- On SIGUSR2 it collects all garbage and prints "lua KIB", the Lua heap
-- then in use, and "errors N".
--   luanet server.lua
local net = require('net')
local errors = 0
local server = net.createServer(function(socket)
  socket:on('error', function() errors = errors + 1 end)
  socket:on('data', function(data) socket:write(data) end)
end)
server:on('error', function(err)
  io.stderr:write('server error: ', tostring(err), '\n')
end)
server:listen(0, '127.0.0.1', function()
  print('port ' .. server:address().port)
end)
process:on('SIGUSR2', function()
  collectgarbage()
  collectgarbage()
  print(('lua %d'):format(collectgarbage('count') // 1))
  print('errors ' .. errors)
end)
