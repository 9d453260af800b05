-- Node's test-net-reconnect.js: a client socket connected again with
-- connect() from its own 'close' listener, 50 times, gets its data, 'end'
-- and a clean 'close' (hadError false) each time.
require('common')
local assert = require('node:assert')

local net = require('node:net')

local N = 50
local client_recv_count = 0
local client_end_count = 0
local disconnect_count = 0

local server = net.createServer(function(socket)
  socket:resume()

  socket:write('hello\r\n')

  socket:on('end', function()
    socket:end_()
  end)

  socket:on('close', function(had_error)
    assert.strictEqual(had_error, false)
  end)
end)

server:listen(0, function()
  local client = net.createConnection(server:address().port)

  client:setEncoding('UTF8')

  client:on('data', function(chunk)
    client_recv_count = client_recv_count + 1
    assert.strictEqual(chunk, 'hello\r\n')
    client:end_()
  end)

  client:on('end', function()
    client_end_count = client_end_count + 1
  end)

  client:on('close', function(had_error)
    assert.strictEqual(had_error, false)
    disconnect_count = disconnect_count + 1
    if disconnect_count - 1 < N then
      client:connect(server:address().port) -- reconnect
    else
      server:close()
    end
  end)
end)

process:on('exit', function()
  assert.strictEqual(disconnect_count, N + 1)
  assert.strictEqual(client_recv_count, N + 1)
  assert.strictEqual(client_end_count, N + 1)
end)
