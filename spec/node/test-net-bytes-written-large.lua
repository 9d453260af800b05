-- Node's test-net-bytes-written-large.js: bytesWritten counts the whole
-- of a large write at once, both the part the kernel took at once and the
-- part queued (Node's issue 19562), for bytes, for a string, and for
-- several writes corked to go out as one writev. (A Buffer and a string
-- are both Lua strings here.)
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local N = 10000000
do
  -- Variant 1: Write a Buffer.
  local server
  server = net.createServer(common.mustCall(function(socket)
    socket:end_(string.rep('\0', N), common.mustCall(function()
      assert.strictEqual(socket.bytesWritten, N)
    end))
    assert.strictEqual(socket.bytesWritten, N)
  end)):listen(0, common.mustCall(function()
    local client = net.connect(server:address().port)
    client:resume()
    client:on('close', common.mustCall(function()
      assert.strictEqual(client.bytesRead, N)
      server:close()
    end))
  end))
end

do
  -- Variant 2: Write a string.
  local server
  server = net.createServer(common.mustCall(function(socket)
    socket:end_(string.rep('a', N), common.mustCall(function()
      assert.strictEqual(socket.bytesWritten, N)
    end))
    assert.strictEqual(socket.bytesWritten, N)
  end)):listen(0, common.mustCall(function()
    local client = net.connect(server:address().port)
    client:resume()
    client:on('close', common.mustCall(function()
      assert.strictEqual(client.bytesRead, N)
      server:close()
    end))
  end))
end

do
  -- Variant 2: writev() with mixed data.
  local server
  server = net.createServer(common.mustCall(function(socket)
    socket:cork()
    socket:write(string.rep('a', N))
    assert.strictEqual(socket.bytesWritten, N)
    socket:write(string.rep('\0', N))
    assert.strictEqual(socket.bytesWritten, 2 * N)
    socket:end_('', common.mustCall(function()
      assert.strictEqual(socket.bytesWritten, 2 * N)
    end))
    socket:uncork()
  end)):listen(0, common.mustCall(function()
    local client = net.connect(server:address().port)
    client:resume()
    client:on('close', common.mustCall(function()
      assert.strictEqual(client.bytesRead, 2 * N)
      server:close()
    end))
  end))
end
