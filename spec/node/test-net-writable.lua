-- Node's test-net-writable.js: a client whose peer ended is still
-- writable at 'end' (it ends its own side only after the 'end'
-- listeners), and a write there is allowed.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local server
server = net.createServer(common.mustCall(function(s)
  server:close()
  s:end_()
end)):listen(0, '127.0.0.1', common.mustCall(function()
  local socket = net.connect(server:address().port, '127.0.0.1')
  socket:on('end', common.mustCall(function()
    assert.strictEqual(socket.writable, true)
    socket:write('hello world')
  end))
end))
