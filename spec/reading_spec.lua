-- Reading: buffering before a 'data' listener, pause() and resume(),
-- 'end' after the last byte, and the readable fields.
local h = require('spec.helpers')
local net, expect, timers = h.net, h.expect, h.timers

local KiB = 1024

-- 4 MiB of numbered lines: any loss or reordering shows.
local PAYLOAD = (function()
  local lines = {}
  for i = 1, 4 * 1024 * 1024 // 8 do lines[i] = string.format('%07d\n', i) end
  return table.concat(lines)
end)()

-- A server on 127.0.0.1 whose only connection goes to onconn(socket); a
-- client connects and sends data (then ends). Returns the client.
local function sendTo(onconn, data, options)
  local server
  server = h.listen(function(socket)
    server:close()
    onconn(socket)
  end, nil, options)
  local client = net.connect(server:address().port, '127.0.0.1')
  client:on('connect', function() client:end_(data) end)
  client:resume()
  return client
end

describe('a socket without a data listener', function()
  it('reads no more than readableHighWaterMark (and one read), then stops',
    function()
      local received = {}
      sendTo(function(socket)
        assert.are.equal(16 * KiB, socket.readableHighWaterMark)
        timers.setTimeout(function()
          -- one read brings at most 64 KiB past the mark
          assert.is_true(socket.bytesRead >= 16 * KiB)
          assert.is_true(socket.bytesRead <= 80 * KiB,
            'read ' .. socket.bytesRead .. ' bytes with no listener')
          socket:on('data', function(data) received[#received + 1] = data end)
          socket:on('end', expect(function()
            assert.are.equal(#PAYLOAD, socket.bytesRead)
          end))
        end, 100)
      end, PAYLOAD)
      h.run()
      assert.is_true(table.concat(received) == PAYLOAD, 'data lost or reordered')
    end)

  it('delivers what it buffered only after the listener is added, on the ' ..
    'next tick', function()
      local order = {}
      sendTo(function(socket)
        timers.setTimeout(function()
          socket:on('data', function(data)
            if #order < 2 then order[#order + 1] = 'data' end
          end)
          order[#order + 1] = 'added'
        end, 50)
      end, 'hello')
      h.run()
      assert.are.same({ 'added', 'data' }, order)
    end)

  it('honours a smaller highWaterMark from the server options', function()
    sendTo(function(socket)
      assert.are.equal(1024, socket.readableHighWaterMark)
      timers.setTimeout(function()
        assert.is_true(socket.bytesRead <= 1024 + 64 * KiB)
        socket:destroy()
      end, 50)
    end, PAYLOAD, { highWaterMark = 1024 }):on('error', function() end)
    h.run()
  end)
end)

describe('pause and resume', function()
  it('reads nothing from the kernel while paused', function()
    local received = {}
    sendTo(function(socket)
      socket:on('data', function(data) received[#received + 1] = data end)
      socket:pause()
      assert.is_true(socket:isPaused())
      local before = socket.bytesRead
      timers.setTimeout(function()
        assert.are.equal(before, socket.bytesRead)
        socket:resume()
        assert.is_false(socket:isPaused())
      end, 100)
      socket:on('end', expect())
    end, PAYLOAD)
    h.run()
    assert.is_true(table.concat(received) == PAYLOAD, 'data lost or reordered')
  end)

  it('stops data events at once when paused from a data listener', function()
    local chunks, pausedAt = 0, nil
    sendTo(function(socket)
      socket:on('data', function()
        chunks = chunks + 1
        if chunks == 1 then
          socket:pause()
          pausedAt = socket.bytesRead
          timers.setTimeout(function()
            assert.are.equal(1, chunks)
            assert.are.equal(pausedAt, socket.bytesRead)
            socket:resume()
          end, 50)
        end
      end)
      socket:on('end', expect())
    end, PAYLOAD)
    h.run()
    assert.is_true(chunks > 1)
  end)

  it('a data listener added while paused does not resume', function()
    sendTo(function(socket)
      socket:pause()
      socket:on('data', expect(nil, 0))
      timers.setTimeout(function() socket:destroy() end, 50)
    end, 'x'):on('error', function() end)
    h.run()
  end)

  it('keeps pauseOnConnect sockets paused until resume()', function()
    sendTo(function(socket)
      assert.is_true(socket:isPaused())
      socket:on('data', expect(function(data)
        assert.are.equal('early', data)
      end))
      timers.setTimeout(function()
        assert.are.equal(0, socket.bytesRead)
        socket:resume()
      end, 50)
    end, 'early', { pauseOnConnect = true })
    h.run()
  end)

  it('lets an idle paused socket not keep the process alive', function()
    local out, _, code = h.exec({ '-e', [[
      local net = require('net')
      local server
      server = net.createServer(function(socket)
        server:close()
        socket:pause()
        console.log('paused')
      end):listen(0, '127.0.0.1')
      local c = net.connect(server:address().port, '127.0.0.1')
      c:on('connect', function() c:pause() end)
    ]] })
    assert.are.equal(0, code)
    assert.are.equal('paused\n', out)
  end)
end)

describe('end', function()
  it('comes after every byte, then readable is false', function()
    local got = {}
    sendTo(function(socket)
      socket:on('data', function(d) got[#got + 1] = d end)
      socket:on('end', expect(function()
        assert.are.equal(PAYLOAD, table.concat(got))
        assert.is_false(socket.readable)
        assert.are.equal('writeOnly', socket.readyState)
        socket:end_()
      end))
    end, PAYLOAD, { allowHalfOpen = true })
    h.run()
  end)

  it('is not emitted while nobody reads, as in Node', function()
    sendTo(function(socket)
      socket:on('end', expect(nil, 0))
      timers.setTimeout(function() socket:destroy() end, 50)
    end, 'unread')
    h.run()
  end)
end)
