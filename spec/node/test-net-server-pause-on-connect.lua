-- Node's test-net-server-pause-on-connect.js: a server made with
-- pauseOnConnect reads nothing from a new connection (bytesRead stays 0,
-- no 'data') until resume(); one made without it reads at once.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')
local msg = 'test'
local stopped = true
local server1Sock
local server1, server2


local server1ConnHandler = common.mustCall(function(socket)
  socket:on('data', common.mustCall(function(data)
    if stopped then
      assert.fail('data event should not have happened yet')
    end

    assert.strictEqual(tostring(data), msg)
    socket:end_()
    server1:close()
  end))

  server1Sock = socket
end)

server1 = net.createServer({ pauseOnConnect = true }, server1ConnHandler)

local server2ConnHandler = common.mustCall(function(socket)
  socket:on('data', common.mustCall(function(data)
    assert.strictEqual(tostring(data), msg)
    socket:end_()
    server2:close()

    assert.strictEqual(server1Sock.bytesRead, 0)
    server1Sock:resume()
    stopped = false
  end))
end)

server2 = net.createServer({ pauseOnConnect = false }, server2ConnHandler)

server1:listen(0, common.mustCall(function()
  local clientHandler = common.mustCall(function()
    server2:listen(0, function()
      net.createConnection({ port = server2:address().port }):write(msg)
    end)
  end)
  net.createConnection({ port = server1:address().port }):write(msg,
    clientHandler)
end))

process:on('exit', function()
  assert.strictEqual(stopped, false)
end)
