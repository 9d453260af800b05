-- socket:pipe(socket): the core writes what the source reads to the
-- destination socket, with no Lua string per chunk (core/pipe.c). Bytes
-- arrive whole and in order, back-pressure holds the source's reads, the
-- pipe ends, stops and dies as Node 22's Readable.pipe does (each Node
-- behaviour asserted here was printed by a JavaScript run under Node 22,
-- quoted in the test), and a source with an encoding still pipes (the Lua
-- path of lua/net.lua).
local h = require('spec.helpers')
local t = require('luanet.test')
local net = h.net

local MiB = 1024 * 1024
local HWM = 65536

-- n bytes that are not periodic: numbered blocks of 1000 bytes, so that a
-- chunk lost, doubled or out of order changes what is compared.
local function numbered(n)
  local blocks = {}
  for i = 1, n // 1000 + 1 do
    blocks[i] = string.format('%010d', i) .. string.rep(string.char(
      65 + i % 26), 990)
  end
  return table.concat(blocks):sub(1, n)
end

-- A server that compares what it receives with expected, chunk by chunk,
-- and calls ended(received) at 'end'. Returns the server, its port, and a
-- function giving what arrived so far. paused: it reads nothing until
-- the returned server's _peer:resume().
local function checker(expected, ended, paused)
  local server, received, bad = nil, 0, nil
  server = h.listen(function(socket)
    server:close()
    server._peer = socket
    socket:on('data', function(d)
      if not bad and expected:sub(received + 1, received + #d) ~= d then
        bad = received
      end
      received = received + #d
    end)
    socket:on('end', t.mustCall(function()
      assert.is_nil(bad, 'bytes differ from offset ' .. tostring(bad))
      ended(received)
    end))
    if paused then socket:pause() end
  end)
  return server, server:address().port, function() return received end
end

-- A relay: each connection it accepts is piped (with options) to a new
-- connection to port; setup(src, dest) runs first. Returns its port.
local function relay(port, setup, options)
  local server
  server = h.listen(function(src)
    server:close()
    local dest = net.connect(port, '127.0.0.1')
    if setup then setup(src, dest) end
    assert.are.equal(dest, src:pipe(dest, options))
  end)
  return server:address().port
end

-- Connects to port and writes data, then ends; the reply is dropped.
local function send(port, data)
  local client
  client = net.connect(port, '127.0.0.1', function() client:end_(data) end)
  client:resume()
  client:on('error', function() end)
  return client
end

-- Calls fn once dest has written something, looking again in each check
-- phase (setImmediate): mid-stream, however fast the machine.
local function onceWritten(dest, fn)
  local function later()
    if dest.bytesWritten == 0 then return h.timers.setImmediate(later) end
    fn()
  end
  h.timers.setImmediate(later)
end

describe('pipe() to a socket', function()
  t.it('relays 8 MiB whole and in order, and ends the destination',
    function()
      local data = numbered(8 * MiB)
      local piped = t.mustCall()
      local _, port = checker(data, function(n)
        assert.are.equal(#data, n)
      end)
      send(relay(port, function(src, dest)
        dest:on('pipe', function(s)
          assert.are.equal(src, s)
          piped()
        end)
        -- Node 22: 'unpipe' at the destination's 'finish', the source
        -- paused then ("dest finish", "unpipe; dest writable false src
        -- paused true")
        dest:on('unpipe', t.mustCall(function(s)
          assert.are.equal(src, s)
          assert.is_false(dest.writable)
          assert.is_true(src:isPaused())
        end))
        -- the core feeds dest: no 'data' listener, no string per chunk
        h.timers.setImmediate(function()
          assert.are.equal(0, src:listenerCount('data'))
        end)
        src:on('close', t.mustCall(function()
          assert.are.equal(#data, src.bytesRead)
          assert.are.equal(#data, dest.bytesWritten)
        end))
      end), data)
    end, { timeout = 30000 })

  t.it('echoes 4 MiB through socket:pipe(socket)', function()
    local data = numbered(4 * MiB)
    local server
    server = h.listen(function(socket)
      server:close()
      socket:pipe(socket)
    end)
    local client, received, bad = nil, {}, false
    client = net.connect(server:address().port, '127.0.0.1', function()
      client:end_(data)
    end)
    client:on('data', function(d) received[#received + 1] = d end)
    client:on('end', t.mustCall(function()
      bad = table.concat(received) ~= data
      assert.is_false(bad, 'the echo differs')
    end))
  end, { timeout = 30000 })

  t.it('pipes from a socket still connecting', function()
    local data = numbered(2 * MiB)
    local origin
    origin = h.listen(function(socket)
      origin:close()
      socket:end_(data)
    end)
    local front
    front = h.listen(function(socket)
      front:close()
      local up = net.connect(origin:address().port, '127.0.0.1')
      assert.is_true(up.connecting)
      up:pipe(socket)
    end)
    local received = {}
    local client = net.connect(front:address().port, '127.0.0.1')
    client:on('data', function(d) received[#received + 1] = d end)
    client:on('end', t.mustCall(function()
      assert.is_true(table.concat(received) == data, 'the bytes differ')
    end))
  end, { timeout = 30000 })

  t.it('holds the source while the destination is full, then goes on',
    function()
      local data = numbered(16 * MiB)
      local src, dest, client
      local maxReadable, maxWritable = 0, 0
      local sink, port = checker(data, function(n)
        assert.are.equal(#data, n)
      end, true)
      local watch = h.timers.setInterval(function()
        if src then
          maxReadable = math.max(maxReadable, src.readableLength)
          maxWritable = math.max(maxWritable, dest.writableLength)
        end
      end, 5)
      client = send(relay(port, function(s, d) src, dest = s, d end), data)
      -- The sink reads nothing: once the kernel's buffers are full the
      -- relay stops reading, and the client's writes wait.
      local last, still = -1, 0
      h.waitFor(function()
        if src == nil then return false end
        if src.bytesRead == last then still = still + 1 else still = 0 end
        last = src.bytesRead
        return still >= 20 and client.writableLength > 0
      end, function()
        assert.is_true(src.bytesRead < #data)
        assert.is_true(maxReadable <= 2 * HWM, 'source buffered ' ..
          maxReadable)
        assert.is_true(maxWritable <= 3 * HWM, 'destination queued ' ..
          maxWritable)
        assert.is_true(dest.writableNeedDrain)
        h.timers.clearInterval(watch)
        sink._peer:resume()
      end, 20)
    end, { timeout = 30000 })

  t.it("with { ['end'] = false } unpipes at the source's end and leaves " ..
    'the destination open', function()
      -- Node 22: "unpipe; dest writable true src paused true", then the
      -- source's 'end', and the destination still writable later
      local _, port = checker('abc', function(n)
        assert.are.equal(3, n)
      end)
      send(relay(port, function(src, dest)
        dest:on('unpipe', t.mustCall(function()
          assert.is_true(dest.writable)
          assert.is_true(src:isPaused())
        end))
        src:on('end', t.mustCall(function()
          h.timers.setImmediate(function()
            assert.is_true(dest.writable)
            dest:end_()
          end)
        end))
      end, { ['end'] = false }), 'abc')
    end)

  t.it('unpipe() mid-stream stops the writes and pauses the source',
    function()
      local data = numbered(4 * MiB)
      local rest = {}
      local _, port = checker(data, function(n)
        assert.is_true(n > 0 and n < #data)
      end)
      send(relay(port, function(src, dest)
        -- Node 22: "unpipe event", then "after unpipe flowing false
        -- paused true"
        dest:on('unpipe', t.mustCall(function(s)
          assert.are.equal(src, s)
        end))
        onceWritten(dest, function()
          src:unpipe(dest)
          assert.is_true(src:isPaused())
          local written = dest.bytesWritten
          -- what the source reads from now on is its own, not dest's
          src:on('data', function(d) rest[#rest + 1] = d end)
          src:resume() -- a 'data' listener does not resume after pause()
          src:on('end', t.mustCall(function()
            assert.are.equal(written, dest.bytesWritten)
            assert.are.equal(data:sub(written + 1), table.concat(rest))
            dest:end_()
          end))
        end)
      end), data)
    end, { timeout = 30000 })

  t.it('stops when the destination is destroyed mid-stream; the source ' ..
    'is paused, then collected once closed', function()
      local data = numbered(4 * MiB)
      local weak = setmetatable({}, { __mode = 'v' })
      local server
      server = h.listen(function(socket)
        server:close()
        socket:resume()
        socket:on('error', function() end)
      end)
      local client = send(relay(server:address().port, function(src, dest)
        weak.src = src
        dest:on('unpipe', t.mustCall())
        -- Node 22: "unpipe event", "after dest close: src flowing false
        -- paused true destroyed false"
        dest:on('close', t.mustCall(function()
          h.timers.setImmediate(function()
            assert.is_true(src:isPaused())
            assert.is_false(src.destroyed)
            src:destroy()
          end)
        end))
        onceWritten(dest, function()
          dest:destroy()
        end)
      end), data)
      client:on('close', t.mustCall(function()
        h.timers.setImmediate(function()
          collectgarbage()
          collectgarbage()
          assert.is_nil(weak.src, 'the source is still referenced')
        end)
      end))
    end, { timeout = 30000 })

  t.it('survives the source reset mid-stream; the destination gets a ' ..
    'prefix of the bytes',
    function()
      local data = numbered(4 * MiB)
      local _, port = checker(data, function(n)
        assert.is_true(n > 0 and n < #data)
      end)
      local client
      client = net.connect(relay(port, function(src, dest)
        src:on('error', function() end)
        src:on('close', t.mustCall(function()
          -- the reset reads as the peer's FIN or as ECONNRESET
          -- (libuv reports a hang-up without data as EOF): the
          -- destination is ended by the pipe, or still open
          if dest.writable then dest:end_() end
        end))
        onceWritten(dest, function()
          client:resetAndDestroy()
        end)
      end), '127.0.0.1', function() client:write(data) end)
      client:resume()
    end, { timeout = 30000 })

  t.it("keeps a user's pause() and resume() of the source", function()
    local data = numbered(4 * MiB)
    local _, port = checker(data, function(n)
      assert.are.equal(#data, n)
    end)
    send(relay(port, function(src, dest)
      onceWritten(dest, function()
        src:pause()
        local written = dest.bytesWritten
        -- paused, it reads up to its high-water mark, and pipes nothing
        h.waitFor(function() return src.readableLength >= HWM end,
          function()
            assert.are.equal(written, dest.bytesWritten)
            src:resume()
          end)
      end)
    end), data)
  end, { timeout = 30000 })

  t.it("lets a 'data' listener on the source see every byte", function()
    local data = numbered(2 * MiB)
    local seen = {}
    local _, port = checker(data, function(n)
      assert.are.equal(#data, n)
      assert.are.equal(data, table.concat(seen))
    end)
    send(relay(port, function(src)
      src:on('data', function(d) seen[#seen + 1] = d end)
    end), data)
  end, { timeout = 30000 })

  t.it('pipes a source with an encoding set (as text)', function()
    local text = string.rep('héllo wörld ', 50000)
    local _, port = checker(text, function(n)
      assert.are.equal(#text, n)
    end)
    send(relay(port, function(src)
      src:setEncoding('utf8')
    end), text)
  end, { timeout = 30000 })
end)
