-- Node's test-net-connect-buffer2.js: data written while a socket still
-- connects (pending, connecting, readyState 'opening') is counted once in
-- bytesWritten, in bytes rather than characters, and reaches the server
-- whole after connect; the socket is pending again once closed.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local tcp
tcp = net.Server(common.mustCall(function(s)
  tcp:close()

  local buf = ''
  s:setEncoding('utf8')
  s:on('data', function(d)
    buf = buf .. d
  end)

  s:on('end', common.mustCall(function()
    io.stderr:write('SERVER: end ', buf, '\n')
    assert.strictEqual(buf, "L'État, c'est moi")
    s:end_()
  end))
end))

tcp:listen(0, common.mustCall(function()
  local socket = net.Stream({ highWaterMark = 0 })

  local connected = false
  assert.strictEqual(socket.pending, true)
  socket:connect(tcp:address().port, common.mustCall(function()
    connected = true
  end))

  assert.strictEqual(socket.pending, true)
  assert.strictEqual(socket.connecting, true)
  assert.strictEqual(socket.readyState, 'opening')

  -- Write a string that contains a multi-byte character sequence to test
  -- that `bytesWritten` is incremented with the # of bytes, not # of
  -- characters.
  local a = "L'État, c'est "
  local b = 'moi'

  -- We're still connecting at this point so the datagram is first pushed
  -- onto the connect queue. Make sure that it's not added to `bytesWritten`
  -- again when the actual write happens.
  local r = socket:write(a, common.mustCall(function()
    io.stderr:write('write cb\n')
    assert.ok(connected)
    assert.strictEqual(socket.bytesWritten, #(a .. b))
    assert.strictEqual(socket.pending, false)
  end))
  socket:on('close', common.mustCall(function()
    assert.strictEqual(socket.pending, true)
  end))

  assert.strictEqual(socket.bytesWritten, #a)
  assert.strictEqual(r, false)
  socket:end_(b)

  assert.strictEqual(socket.readyState, 'opening')
end))
