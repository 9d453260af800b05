-- Node's test-net-socket-byteswritten.js: bytesWritten counts the bytes of
-- every write, those still queued before 'connect' too, and a multi-byte
-- UTF-8 character by its bytes.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local server = net.createServer(function(socket)
  socket:end_()
end)

server:listen(0, common.mustCall(function()
  local socket = net.connect(server:address().port)

  -- Cork the socket, then write twice; this should cause a writev, which
  -- previously caused an err in the bytesWritten count.
  socket:cork()

  socket:write('one')
  socket:write('tw\u{f8}') -- Buffer.from('twø', 'utf8')

  socket:uncork()

  -- one = 3 bytes, twø = 4 bytes
  assert.strictEqual(socket.bytesWritten, 3 + 4)

  socket:on('connect', common.mustCall(function()
    assert.strictEqual(socket.bytesWritten, 3 + 4)
  end))

  socket:on('end', common.mustCall(function()
    assert.strictEqual(socket.bytesWritten, 3 + 4)

    server:close()
  end))
end))
