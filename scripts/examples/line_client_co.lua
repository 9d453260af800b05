-- A line-protocol client as sequential code: connects to PORT (on HOST,
-- localhost by default), sends each line of its standard input as a
-- request and prints the server's one-line reply, in order; a reply that
-- takes longer than 5 s ends it with an error. Quits at the end of its
-- input or when the server ends the connection.
--
--   build/luanet scripts/examples/line_client_co.lua PORT [HOST] < requests
--
-- Top to bottom as the protocol reads: no callback, no state machine.
local net = require('net')

local port, host = tonumber(process.argv[3]), process.argv[4] or 'localhost'
if not port then
  console.error('usage: luanet line_client_co.lua PORT [HOST] < requests')
  process.exit(2)
end

-- destroyed however the chunk ends (an error included)
local socket <close> = net.connect(port, host)
local ok, err = socket:wait('connect', { timeout = 5000 })
if not ok then
  console.error('cannot connect to ' .. host .. ':' .. port .. ': ' ..
    err.message)
  process.exit(1)
end

for request in process.stdin:lines() do
  socket:write(request .. '\n')
  local reply, failure = socket:read('l', { timeout = 5000 })
  if reply == nil then -- the server ended, or failed, or took too long
    if failure then
      console.error('no reply to ' .. request .. ': ' .. failure.message)
      process.exitCode = 1
    end
    break
  end
  console.log(reply)
end
socket:end_()
socket:wait('close', { timeout = 5000 })
