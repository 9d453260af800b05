-- Node's test-net-can-reset-timeout.js: a write from the 'timeout'
-- listener works and restarts the idle time (Node's issue 481).
local common = require('common')
local net = require('node:net')

local server = net.createServer(common.mustCall(function(stream)
  stream:setTimeout(100)

  stream:resume()

  stream:once('timeout', common.mustCall(function()
    console.log('timeout')
    -- Try to reset the timeout.
    stream:write('WHAT.')
  end))

  stream:on('end', common.mustCall(function()
    console.log('server side end')
    stream:end_()
  end))
end))

server:listen(0, common.mustCall(function()
  local c = net.createConnection(server:address().port)

  c:on('data', function()
    c:end_()
  end)

  c:on('end', function()
    console.log('client side end')
    server:close()
  end)
end))
