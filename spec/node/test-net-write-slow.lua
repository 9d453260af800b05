-- Node's test-net-write-slow.js: ten 200 kB writes and an end to a
-- client that pauses 20 ms after each 'data' all reach it, every write
-- callback runs, and the server's idle timeout never fires meanwhile.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local SIZE = 200000
local N = 10
local flushed = 0
local received = 0
local buf = string.rep('a', SIZE)

local server
server = net.createServer(function(socket)
  socket:setNoDelay()
  socket:setTimeout(9999)
  socket:on('timeout', function()
    assert.fail('flushed: ' .. flushed .. ', received: ' .. received ..
      '/' .. SIZE * N)
  end)

  for _ = 1, N do
    socket:write(buf, function()
      flushed = flushed + 1
      if flushed == N then
        socket:setTimeout(0)
      end
    end)
  end
  socket:end_()

end):listen(0, common.mustCall(function()
  local conn = net.connect(server:address().port)
  conn:on('data', function(data)
    received = received + #data
    conn:pause()
    setTimeout(function()
      conn:resume()
    end, 20)
  end)
  conn:on('end', common.mustCall(function()
    server:close()
    assert.strictEqual(received, SIZE * N)
  end))
end))
