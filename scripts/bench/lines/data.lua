-- The same line-echo server with a 'data' listener that splits the lines
-- in Lua: what co.lua is measured against. luanet data.lua PORT
local net = require('net')
local find, sub = string.find, string.sub

local server = net.createServer(function(socket)
  local rest = '' -- the start of a line that has not ended yet
  socket:on('data', function(data)
    local from = 1
    while true do
      local nl = find(data, '\n', from, true)
      if not nl then break end
      local line = sub(data, from, nl - 1)
      if rest ~= '' then
        line = rest .. line
        rest = ''
      end
      if sub(line, -1) == '\r' then line = sub(line, 1, -2) end
      socket:write(line .. '\n')
      from = nl + 1
    end
    if from <= #data then rest = rest .. sub(data, from) end
  end)
  socket:on('end', function() socket:end_() end)
end)
server:listen(tonumber((...)) or 0, '127.0.0.1')
print(server:address().port)
