-- Node's test-net-connect-memleak.js: the listener that connect's callback
-- becomes is a once('connect') listener, so what it holds can be collected
-- after 'connect'. (Node's onGC and --expose-gc: a table with a __gc
-- metamethod and collectgarbage() stand for them.)
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local server = net.createServer(common.mustCall()):listen(0)

local collected = false
local done

do
  local gcObject = setmetatable({}, { __gc = function() collected = true end })

  local sock
  sock = net.createConnection(
    server:address().port,
    common.mustCall(function()
      assert.strictEqual(gcObject, gcObject) -- Keep reference alive
      assert.strictEqual(collected, false)
      setImmediate(done, sock)
    end))
end

function done(sock)
  collectgarbage()
  setImmediate(function()
    assert.strictEqual(collected, true)
    sock:end_()
    server:close()
  end)
end
