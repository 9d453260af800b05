-- The HTTP server of the benchmark, as a luanet user writes it: one fixed
-- response for every request read (up to its blank line; wrk's keep-alive
-- GETs have no body); a connection reset is no reason to stop.
-- build/luanet scripts/bench/http.lua PORT
local net = require('net')
local find, sub = string.find, string.sub
local response = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n' ..
  'Content-Length: 13\r\n\r\nHello, World!'
net.createServer(function(socket)
  local pending = ''
  socket:on('data', function(data)
    pending = pending .. data
    local from = 1
    while true do
      local _, last = find(pending, '\r\n\r\n', from, true)
      if not last then break end
      socket:write(response)
      from = last + 1
    end
    pending = sub(pending, from)
  end)
  socket:on('error', function() end)
end):listen(tonumber(process.argv[3]), '127.0.0.1')
