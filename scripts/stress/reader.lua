-- The peer of the never-reading case: a server on a free port (printed,
-- "port N") that takes one connection, reads nothing for PAUSE ms
-- (pauseOnConnect), then reads everything and prints "bytes N" at the
-- end of the stream.
--   luanet reader.lua PAUSE
local net = require('net')
local pause = tonumber(process.argv[3])
local server
server = net.createServer({ pauseOnConnect = true }, function(socket)
  local got = 0
  server:close()
  setTimeout(function()
    socket:on('data', function(d) got = got + #d end)
    socket:resume()
  end, pause)
  socket:on('end', function() print('bytes ' .. got) end)
end)
server:listen(0, '127.0.0.1', function()
  print('port ' .. server:address().port)
end)
