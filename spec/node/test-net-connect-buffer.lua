-- Node's test-net-connect-buffer.js: while a socket connects, write()
-- refuses what is not a string (nil with ERR_STREAM_NULL_VALUES, the rest
-- with ERR_INVALID_ARG_TYPE), and a string written then is counted once in
-- bytesWritten, in bytes, and reaches the server whole. The messages are
-- Node 22's (run under it); Node's undefined is Lua's nil, so one nil
-- stands for null and undefined, and for [] and {} (Node 22: "Received an
-- instance of Array/Object") a Lua table has no class: code and name only.
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

  s:on('end', function()
    io.stderr:write('SERVER: end ', buf, '\n')
    assert.strictEqual(buf, "L'État, c'est moi")
    s:end_()
  end)
end))

tcp:listen(0, common.mustCall(function()
  local socket = net.Stream({ highWaterMark = 0 })

  local connected = false
  socket:connect(tcp:address().port, common.mustCall(function()
    connected = true
  end))

  assert.strictEqual(socket.connecting, true)
  assert.strictEqual(socket.readyState, 'opening')

  -- Make sure that anything besides a buffer or a string throws.
  assert.throws(function() socket:write(nil) end, {
    code = 'ERR_STREAM_NULL_VALUES',
    name = 'TypeError',
    message = 'May not write null values to stream',
  })
  local typeError = 'The "chunk" argument must be of type string or an ' ..
    'instance of Buffer, TypedArray, or DataView. Received '
  for _, v in ipairs({
    { true, 'type boolean (true)' },
    { false, 'type boolean (false)' },
    { 1, 'type number (1)' },
    { 1.0, 'type number (1)' },
    { 1 / 0, 'type number (Infinity)' },
    { math.huge, 'type number (Infinity)' },
    { -math.huge, 'type number (-Infinity)' },
    { {} },
    { {} },
  }) do
    assert.throws(function() socket:write(v[1]) end, {
      code = 'ERR_INVALID_ARG_TYPE',
      name = 'TypeError',
      message = v[2] and typeError .. v[2] or nil,
    })
  end

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
  end))

  assert.strictEqual(socket.bytesWritten, #a)
  assert.strictEqual(r, false)
  socket:end_(b)

  assert.strictEqual(socket.readyState, 'opening')
end))
