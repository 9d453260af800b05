-- Node's test-net-pingpong.js: 1000 PINGs answered by PONGs over a Unix
-- socket, 127.0.0.1 and ::1, with allowHalfOpen: readable and writable
-- at each step, and both ends closing cleanly.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

-- Read first: common.hasIPv6 runs the loop to find out.
local hasIPv6 = common.hasIPv6

local function pingPongTest(port, host)
  local N = 1000
  local count = 0
  local sentPongs = 0
  local sent_final_ping = false

  local server

  local function onSocket(socket)
    assert.strictEqual(socket.server, server)
    assert.strictEqual(
      server,
      server:getConnections(common.mustSucceed(function(connections)
        assert.strictEqual(connections, 1)
      end))
    )

    socket:setNoDelay()
    socket.timeout = 0

    socket:setEncoding('utf8')
    socket:on('data', common.mustCall(function(data)
      -- Since we never queue data (we're always waiting for the PING
      -- before sending a pong) the writeQueueSize should always be less
      -- than one message.
      assert.ok(socket.bufferSize >= 0 and socket.bufferSize <= 4)

      assert.strictEqual(socket.writable, true)
      assert.strictEqual(socket.readable, true)
      assert.ok(count <= N)
      assert.strictEqual(data, 'PING')

      socket:write('PONG', common.mustCall(function()
        sentPongs = sentPongs + 1
      end))
    end, N + 1))

    socket:on('end', common.mustCall(function()
      assert.strictEqual(socket.allowHalfOpen, true)
      assert.strictEqual(socket.writable, true) -- Because allowHalfOpen
      assert.strictEqual(socket.readable, false)
      socket:end_()
    end))

    socket:on('error', common.mustNotCall())

    socket:on('close', common.mustCall(function()
      assert.strictEqual(socket.writable, false)
      assert.strictEqual(socket.readable, false)
      socket.server:close()
    end))
  end

  server = net.createServer(
    { allowHalfOpen = true },
    common.mustCall(onSocket)
  )

  server:listen(port, host, common.mustCall(function()
    if type(server:address()) == 'table' then -- Node: this.address().port
      port = server:address().port
    end

    local client = net.createConnection(port, host)

    client:setEncoding('ascii')
    client:on('connect', common.mustCall(function()
      assert.strictEqual(client.readable, true)
      assert.strictEqual(client.writable, true)
      client:write('PING')
    end))

    client:on('data', common.mustCall(function(data)
      assert.strictEqual(data, 'PONG')
      count = count + 1

      if sent_final_ping then
        assert.strictEqual(client.writable, false)
        assert.strictEqual(client.readable, true)
        return
      end
      assert.strictEqual(client.writable, true)
      assert.strictEqual(client.readable, true)

      if count < N then
        client:write('PING')
      else
        sent_final_ping = true
        client:write('PING')
        client:end_()
      end
    end, N + 1))

    client:on('close', common.mustCall(function()
      assert.strictEqual(count, N + 1)
      assert.strictEqual(sentPongs, N + 1)
      assert.strictEqual(sent_final_ping, true)
    end))

    client:on('error', common.mustNotCall())
  end))
end

-- All are run at once, so run on different ports
common.tmpdir.refresh()
pingPongTest(common.PIPE)
pingPongTest(0)
if hasIPv6 then pingPongTest(0, '::1') else pingPongTest(0, '127.0.0.1') end
