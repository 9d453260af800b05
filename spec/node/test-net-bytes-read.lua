-- Node's test-net-bytes-read.js: bytesRead grows with each 'data' and
-- holds the whole count at 'end' and at 'close'. (Node also checks that
-- socket._handle is gone at 'close': luanet has no _handle;
-- socket.destroyed stands for it.)
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local big = string.rep('\0', 1024 * 1024) -- Buffer.alloc(1024 * 1024)

local server

local handler = common.mustCall(function(socket)
  socket:end_(big)
  server:close()
end)

local onListen = common.mustCall(function()
  local prev = 0

  local function checkRaise(value)
    assert(value > prev)
    prev = value
  end

  local socket

  local onData = common.mustCallAtLeast(function(_chunk)
    checkRaise(socket.bytesRead)
  end)

  local onEnd = common.mustCall(function()
    assert.strictEqual(socket.bytesRead, prev)
    assert.strictEqual(#big, prev)
  end)

  local onClose = common.mustCall(function()
    assert(socket.destroyed)
    assert.strictEqual(socket.bytesRead, prev)
    assert.strictEqual(#big, prev)
  end)

  local onConnect = common.mustCall(function()
    socket:on('data', onData)
    socket:on('end', onEnd)
    socket:on('close', onClose)
    socket:end_()
  end)

  socket = net.connect(server:address().port, onConnect)
end)

server = net.createServer(handler):listen(0, onListen)
