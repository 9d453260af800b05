-- Node's test-net-connect-paused-connection.js: a client paused as it
-- connects, with the server and its side unref'd, lets the process exit
-- (the unref'd timer must not fire).
local common = require('common')
local net = require('node:net')

local server
server = net.createServer(function(conn)
  conn:unref()
end):listen(0, common.mustCall(function()
  net.connect(server:address().port, 'localhost'):pause()

  setTimeout(common.mustNotCall('expected to exit'), 1000):unref()
end)):unref()
