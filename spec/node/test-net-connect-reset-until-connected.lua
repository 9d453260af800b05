-- Node's test-net-connect-reset-until-connected.js: resetAndDestroy()
-- once both ends are connected closes the client and the server's side
-- gets 'error' ECONNRESET ('read ECONNRESET').
local common = require('common')
local net = require('node:net')

local function barrier(count, cb)
  return function()
    count = count - 1
    if count == 0 then
      cb()
    end
  end
end

local server = net.createServer()
server:listen(0, common.mustCall(function()
  local port = server:address().port
  local conn = net.createConnection(port)
  local connok = barrier(2, function() conn:resetAndDestroy() end)
  conn:on('close', common.mustCall())
  server:on('connection', function(socket)
    connok()
    socket:on('error', common.expectsError({
      code = 'ECONNRESET',
      message = 'read ECONNRESET',
      name = 'Error',
    }))
    server:close()
  end)
  conn:on('connect', connok)
end))
