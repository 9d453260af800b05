-- Node's test-net-allow-half-open.js: a client without allowHalfOpen, at
-- the server's end, ends its own side properly ('finish', then 'close')
-- rather than being destroyed at once; also when it ended first.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local zeros = string.rep('\0', 1024) -- Buffer.alloc(1024)

do
  local server
  server = net.createServer(common.mustCall(function(socket)
    socket:end_(zeros)
  end)):listen(0, common.mustCall(function()
    local socket = net.connect(server:address().port)
    assert.strictEqual(socket.allowHalfOpen, false)
    socket:resume()
    socket:on('end', common.mustCall(function()
      process.nextTick(function()
        -- Ensure socket is not destroyed straight away
        -- without proper shutdown.
        assert(not socket.destroyed)
        server:close()
      end)
    end))
    socket:on('finish', common.mustCall(function()
      assert(not socket.destroyed)
    end))
    socket:on('close', common.mustCall())
  end))
end

do
  local server
  server = net.createServer(common.mustCall(function(socket)
    socket:end_(zeros)
  end)):listen(0, common.mustCall(function()
    local socket = net.connect(server:address().port)
    assert.strictEqual(socket.allowHalfOpen, false)
    socket:resume()
    socket:on('end', common.mustCall(function()
      assert(not socket.destroyed)
    end))
    socket:end_('asd')
    socket:on('finish', common.mustCall(function()
      assert(not socket.destroyed)
    end))
    socket:on('close', common.mustCall(function()
      server:close()
    end))
  end))
end
