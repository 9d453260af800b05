-- Node's test-net-listen-after-destroying-stdin.js: destroying stdin does
-- not upset a server's listen, accept, end and close.
local common = require('common')
local net = require('node:net')

process.stdin:destroy()

local server
server = net.createServer(common.mustCall(function(socket)
  console.log('accepted...')
  socket:end_(common.mustCall(function() console.log('finished...') end))
  server:close(common.mustCall(function() console.log('closed') end))
end))


server:listen(0, common.mustCall(function()
  console.log('listening...')

  net.createConnection(server:address().port)
end))
