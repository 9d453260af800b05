-- Writing: write()'s return value, 'drain', writableLength, callbacks,
-- writes after end or destroy, peer faults, and back-pressure with real
-- volume (64 MiB to a slow reader, directly and through pipe()).
local h = require('spec.helpers')
local t = require('luanet.test')
local net, timers = h.net, h.timers

local MiB = 1024 * 1024

-- A server that reads and drops everything, closing after one connection.
local function sink()
  local server
  server = h.listen(function(socket)
    server:close()
    socket:resume()
  end)
  return server:address().port
end

-- A server whose socket reads slowly: after each chunk it pauses for a
-- moment. Returns its port; count(n) gets every byte count, ended() is
-- called at the end.
local function slowReader(count, ended)
  local server
  server = h.listen(function(socket)
    server:close()
    socket:on('data', function(data)
      count(#data)
      socket:pause()
      timers.setTimeout(function() socket:resume() end, 1)
    end)
    socket:on('end', t.mustCall(ended))
  end)
  return server:address().port
end

describe('write', function()
  t.it('counts writableLength and bufferSize until the data is sent',
    function()
      local port = sink()
      local client
      client = net.connect(port, '127.0.0.1')
      client:resume()
      -- while connecting, everything waits in the queue
      client:write('abc')
      client:write('de')
      assert.are.equal(5, client.writableLength)
      assert.are.equal(5, client.bufferSize)
      assert.are.equal(5, client.bytesWritten)
      assert.are.equal(65536, client.writableHighWaterMark) -- Node 22's
      client:on('connect', function()
        assert.are.equal(0, client.writableLength)
        client:end_()
      end)
    end)

  t.it('returns false at the high-water mark, then emits drain once',
    function()
      local port = sink()
      local client
      client = net.connect(port, '127.0.0.1')
      client:resume()
      assert.is_true(client:write(string.rep('a', 65535)))
      assert.is_false(client:write('b')) -- 65536 bytes queued
      assert.is_false(client:write('c'))
      client:on('drain', t.mustCall(function()
        assert.are.equal(0, client.writableLength)
        client:end_()
      end))
    end)

  t.it('returns true for a write the kernel takes whole, and counts a ' ..
    'chunk whole until all of it is sent', function()
      -- Node 22, to a paused peer: 1000, 65535 and 65536 bytes -> true,
      -- writableLength 0; then 4 MiB -> false, writableLength 4194304
      local server, peer
      server = h.listen(function(socket)
        peer = socket
        socket:pause()
        server:close()
      end)
      local client
      client = net.connect(server:address().port, '127.0.0.1', function()
        for _, n in ipairs({ 1000, 65535, 65536 }) do
          assert.is_true(client:write(string.rep('x', n)))
          assert.are.equal(0, client.writableLength)
        end
        assert.is_false(client:write(string.rep('x', 4 << 20)))
        assert.are.equal(4 << 20, client.writableLength)
        client:destroy()
      end)
      client:on('close', t.mustCall(function()
        if peer then peer:destroy() end
      end))
    end)

  t.it('emits drain before the callbacks of the writes it drained', function()
    local port = sink()
    local order = {}
    local client
    client = net.connect(port, '127.0.0.1', function()
      client:resume()
      -- over the mark: the kernel takes megabytes at once, and a write it
      -- takes whole returns true and owes no 'drain' (as Node 22's), so
      -- 64 KiB at a time until one waits (one string: memory stays small)
      local chunk = string.rep('x', 65536)
      for _ = 1, 1024 do
        if not client:write(chunk) then break end
      end
      client:write('y', function() order[#order + 1] = 'callback' end)
    end)
    client:on('drain', function()
      order[#order + 1] = 'drain'
      client:end_()
    end)
    client:on('finish', t.mustCall(function()
      assert.are.same({ 'drain', 'callback' }, order)
    end))
  end)

  t.it('calls write callbacks in order, after write returns', function()
    local port = sink()
    local order = {}
    local client
    client = net.connect(port, '127.0.0.1', function()
      client:resume()
      for i = 1, 3 do
        client:write('x', function(err)
          assert.is_nil(err)
          order[#order + 1] = i
        end)
      end
      order[#order + 1] = 'returned'
      client:end_()
    end)
    client:on('finish', t.mustCall(function()
      assert.are.same({ 'returned', 1, 2, 3 }, order)
    end))
  end)

  t.it('gives ERR_STREAM_DESTROYED to the callback after destroy, and no ' ..
    'error event', function()
      local port = sink()
      local client
      client = net.connect(port, '127.0.0.1', function()
        client:destroy()
        assert.is_false(client:write('x', t.mustCall(function(err)
          assert.are.equal('ERR_STREAM_DESTROYED', err.code)
          assert.are.equal('Cannot call write after a stream was destroyed',
            err.message)
        end)))
      end)
      client:on('error', t.mustNotCall())
      client:on('close', t.mustCall(function(hadError)
        assert.is_false(hadError)
      end))
    end)

  t.it('gives EPIPE to a write once the peer ended it, when not half-open',
    function()
      local server
      server = h.listen(function(socket)
        server:close()
        socket:resume()
        socket:end_()
      end)
      local client = net.connect(server:address().port, '127.0.0.1')
      client:on('data', function() end)
      client:on('end', t.mustCall(function()
        -- in the 'end' listener the socket has not ended its side yet
        assert.is_true(client:write('in time'))
        timers.setTimeout(function()
          -- now it has (and closed): Node's writeAfterFIN
          assert.is_false(client:write('late', t.mustCall(function(err)
            assert.are.equal('EPIPE', err.code)
            assert.are.equal('This socket has been ended by the other party',
              err.message)
          end)))
        end, 50)
      end))
      client:on('error', t.mustNotCall())
      client:on('close', t.mustCall(function(hadError)
        assert.is_false(hadError)
      end))
    end)

  t.it('emits EPIPE or ECONNRESET when writing to a peer that reset',
    function()
      local server
      server = h.listen(function(socket)
        server:close()
        socket:resetAndDestroy()
      end)
      local client
      local chunk = string.rep('z', 65536)
      local function pump()
        if client.destroyed then return end
        client:write(chunk)
        timers.setTimeout(pump, 2)
      end
      client = net.connect(server:address().port, '127.0.0.1', pump)
      client:on('error', t.mustCall(function(err)
        assert.is_true(err.code == 'EPIPE' or err.code == 'ECONNRESET',
          err.code)
        -- the RST can even beat the connect's completion
        assert.is_true(err.syscall == 'write' or err.syscall == 'read' or
          err.syscall == 'connect', err.syscall)
      end))
      client:on('close', t.mustCall(function(hadError)
        assert.is_true(hadError)
      end))
    end)
end)

describe('back-pressure', function()
  local TOTAL = 64 * MiB
  local CHUNK = string.rep('0123456789abcdef', 4096) -- 64 KiB

  -- Writes TOTAL bytes to socket honouring write()'s false and 'drain';
  -- tracks the writer's largest queue and resident memory.
  local function writeAll(socket, stats)
    local sent = 0
    socket:resume() -- to see the reader's end
    local function pump()
      while sent < TOTAL do
        sent = sent + #CHUNK
        local more = socket:write(CHUNK)
        if socket.writableLength > stats.queue then
          stats.queue = socket.writableLength
        end
        if not more then
          socket:once('drain', pump)
          return
        end
      end
      socket:end_()
    end
    pump()
  end

  local function rss() return h.process.memoryUsage().rss end

  t.it('keeps memory bounded: 64 MiB to a slow reader', function()
    collectgarbage()
    local before, peak, received = rss(), rss(), 0
    local stats = { queue = 0 }
    local port = slowReader(function(n)
      received = received + n
      local now = rss()
      if now > peak then peak = now end
    end, function()
      assert.are.equal(TOTAL, received)
      -- the queue never holds more than the high-water mark and one chunk
      assert.is_true(stats.queue <= 65536 + #CHUNK, 'queue ' .. stats.queue)
      assert.is_true(peak - before < 32 * MiB,
        'memory grew by ' .. (peak - before) // MiB .. ' MiB')
    end)
    local client
    client = net.connect(port, '127.0.0.1', function()
      writeAll(client, stats)
    end)
  end, { timeout = 60000 })

  t.it('keeps memory bounded through pipe(): 64 MiB via a relay', function()
    collectgarbage()
    local before, peak, received = rss(), rss(), 0
    local sinkPort = slowReader(function(n)
      received = received + n
      local now = rss()
      if now > peak then peak = now end
    end, function()
      assert.are.equal(TOTAL, received)
      assert.is_true(peak - before < 32 * MiB,
        'memory grew by ' .. (peak - before) // MiB .. ' MiB')
    end)
    -- the relay pipes what it receives into a socket to the slow reader
    local relay
    relay = h.listen(function(socket)
      relay:close()
      local out = net.connect(sinkPort, '127.0.0.1')
      out:resume()
      assert.are.equal(out, socket:pipe(out))
    end)
    local stats = { queue = 0 }
    local client
    client = net.connect(relay:address().port, '127.0.0.1', function()
      writeAll(client, stats)
    end)
  end, { timeout = 60000 })

  t.it('pipe() ends the destination unless told not to', function()
    local got = {}
    local sinkServer
    sinkServer = h.listen(function(socket)
      sinkServer:close()
      socket:on('data', function(d) got[#got + 1] = d end)
      socket:on('end', t.mustCall(function()
        assert.are.equal('through the pipe', table.concat(got))
      end))
    end)
    local relay
    relay = h.listen(function(socket)
      relay:close()
      local out = net.connect(sinkServer:address().port, '127.0.0.1')
      out:resume()
      out:on('pipe', t.mustCall(function(src)
        assert.are.equal(socket, src)
      end))
      socket:pipe(out)
    end)
    local client
    client = net.connect(relay:address().port, '127.0.0.1', function()
      client:end_('through the pipe')
    end)
    client:resume()
  end)

  t.it("pipe() with { ['end'] = false } leaves the destination open",
    function()
      local sinkServer, destination
      sinkServer = h.listen(function(socket)
        sinkServer:close()
        socket:resume()
        socket:on('end', t.mustCall())
      end)
      local relay
      relay = h.listen(function(socket)
        relay:close()
        destination = net.connect(sinkServer:address().port, '127.0.0.1')
        destination:resume()
        socket:pipe(destination, { ['end'] = false })
        socket:on('end', function()
          timers.setTimeout(function()
            assert.is_true(destination.writable)
            destination:end_()
          end, 20)
        end)
      end)
      local client
      client = net.connect(relay:address().port, '127.0.0.1', function()
        client:end_('x')
      end)
      client:resume()
    end)
end)

describe('cork and uncork', function()
  -- A server for one connection that gathers each 'data' as it came and
  -- gives the list to got(chunks) at the peer's end.
  local function gather(got)
    local server
    server = h.listen(function(socket)
      server:close()
      local chunks = {}
      socket:on('data', function(data) chunks[#chunks + 1] = data end)
      socket:on('end', t.mustCall(function() got(chunks) end))
    end)
    return server:address().port
  end

  -- A server for one connection that must read nothing: it ends when the
  -- client is destroyed.
  local function silent()
    local server
    server = h.listen(function(socket)
      server:close()
      socket:on('data', t.mustNotCall())
      socket:on('error', function() end)
    end)
    return server:address().port
  end

  t.it('holds the writes until uncork, then sends them together', function()
    -- Node 22: write() true true, writableLength 4, writableCorked 1; after
    -- uncork() 0 0; the server gets "abcd" in one piece
    local port = gather(function(chunks)
      assert.are.same({ 'abcd' }, chunks)
    end)
    local client
    client = net.connect(port, '127.0.0.1', function()
      client:cork()
      assert.is_true(client:write('ab'))
      assert.is_true(client:write('cd'))
      assert.are.equal(4, client.writableLength)
      assert.are.equal(4, client.bytesWritten)
      assert.are.equal(1, client.writableCorked)
      client:uncork()
      assert.are.equal(0, client.writableLength)
      assert.are.equal(0, client.writableCorked)
      client:end_()
    end)
  end)

  t.it('counts writableCorked: the writes go at the last uncork', function()
    -- Node 22: 0, uncork() at 0 leaves 0, then 1 2 1 0; writableLength
    -- 2 until the second uncork(); cork() and uncork() return undefined
    local port = gather(function(chunks)
      assert.are.same({ 'ab' }, chunks)
    end)
    local client = net.Socket()
    assert.are.equal(0, client.writableCorked)
    assert.is_nil(client:uncork())
    assert.are.equal(0, client.writableCorked)
    client:connect(port, '127.0.0.1', function()
      assert.is_nil(client:cork())
      client:cork()
      assert.are.equal(2, client.writableCorked)
      client:write('ab')
      client:uncork()
      assert.are.equal(1, client.writableCorked)
      assert.are.equal(2, client.writableLength)
      client:uncork()
      assert.are.equal(0, client.writableCorked)
      assert.are.equal(0, client.writableLength)
      client:end_()
    end)
  end)

  t.it('calls the callbacks of the held writes in order once they are sent',
    function()
      -- Node 22: each callback with no error, after uncork() returned
      local order = {}
      local port = gather(function(chunks)
        assert.are.same({ 'abc' }, chunks)
        assert.are.same({ 'uncorked', 1, 2, 3 }, order)
      end)
      local client
      client = net.connect(port, '127.0.0.1', function()
        client:cork()
        for i, s in ipairs({ 'a', 'b', 'c' }) do
          client:write(s, function(err)
            assert.is_nil(err)
            order[#order + 1] = i
          end)
        end
        client:uncork()
        order[#order + 1] = 'uncorked'
        client:end_()
      end)
    end)

  t.it('flushes at end(), which uncorks fully', function()
    -- Node 22: after end() writableCorked 0, writableLength 0; the write
    -- callbacks, then end's, then 'finish'
    local order = {}
    local port = gather(function(chunks)
      assert.are.same({ 'xyzw' }, chunks)
    end)
    local client
    client = net.connect(port, '127.0.0.1', function()
      client:cork()
      client:cork()
      client:write('xy', function(err) order[#order + 1] = err or 'xy' end)
      client:end_('zw', function(err) order[#order + 1] = err or 'end' end)
      assert.are.equal(0, client.writableCorked)
      assert.are.equal(0, client.writableLength)
    end)
    client:on('finish', t.mustCall(function()
      assert.are.same({ 'xy', 'end' }, order)
    end))
  end)

  t.it('holds writes made while connecting past the connection', function()
    -- Node 22: before 'connect' true true, writableLength 4, corked 1,
    -- then 2; at 'connect' still 4 2; uncork() 4 1; uncork() 0 0; the
    -- server gets "abcd" in one piece
    local port = gather(function(chunks)
      assert.are.same({ 'abcd' }, chunks)
    end)
    local client = net.connect(port, '127.0.0.1')
    client:cork()
    assert.is_true(client.connecting)
    assert.is_true(client:write('ab'))
    assert.is_true(client:write('cd'))
    assert.are.equal(4, client.writableLength)
    assert.are.equal(4, client.bytesWritten)
    client:cork()
    assert.are.equal(2, client.writableCorked)
    client:on('connect', t.mustCall(function()
      assert.are.equal(4, client.writableLength)
      assert.are.equal(2, client.writableCorked)
      client:uncork()
      assert.are.equal(4, client.writableLength)
      assert.are.equal(1, client.writableCorked)
      client:uncork()
      assert.are.equal(0, client.writableLength)
      assert.are.equal(0, client.writableCorked)
      client:end_()
    end))
  end)

  t.it('returns false at the high-water mark while corked, then drains',
    function()
      -- Node 22, writableHighWaterMark 4: 'ab' 'cd' 'e' -> true false
      -- false, writableLength 5, writableNeedDrain true; after uncork()
      -- writableLength 0, then one 'drain'
      local port = gather(function(chunks)
        assert.are.same({ 'abcde' }, chunks)
      end)
      local client
      client = net.connect({ port = port, host = '127.0.0.1',
        writableHighWaterMark = 4 }, function()
          client:cork()
          assert.is_true(client:write('ab'))
          assert.is_false(client:write('cd'))
          assert.is_false(client:write('e'))
          assert.are.equal(5, client.writableLength)
          assert.is_true(client.writableNeedDrain)
          client:uncork()
          assert.are.equal(0, client.writableLength)
        end)
      client:on('drain', t.mustCall(function()
        assert.are.equal(0, client.writableLength)
        client:end_()
      end))
    end)

  t.it('fails the held writes with ERR_STREAM_DESTROYED on destroy, ' ..
    'before close', function()
      -- Node 22: after destroy() writableLength 4, writableCorked 1;
      -- uncork() then 4 0; each callback ERR_STREAM_DESTROYED, then
      -- 'close' with writableLength 0; nothing reaches the server
      local order = {}
      local port = silent()
      local client
      client = net.connect(port, '127.0.0.1', function()
        client:cork()
        for _, s in ipairs({ 'ab', 'cd' }) do
          client:write(s, t.mustCall(function(err)
            assert.are.equal('ERR_STREAM_DESTROYED', err.code)
            assert.are.equal('Cannot call write after a stream was destroyed',
              err.message)
            order[#order + 1] = s
          end))
        end
        client:destroy()
        assert.are.equal(4, client.writableLength)
        assert.are.equal(1, client.writableCorked)
        client:uncork()
        assert.are.equal(4, client.writableLength)
        assert.are.equal(0, client.writableCorked)
      end)
      client:on('error', t.mustNotCall())
      client:on('close', t.mustCall(function(hadError)
        assert.is_false(hadError)
        assert.are.equal(0, client.writableLength)
        assert.are.same({ 'ab', 'cd' }, order)
      end))
    end)

  t.it('gives the held writes the error of destroy(err), before error',
    function()
      -- Node 22: each callback gets the error itself, then 'error', then
      -- 'close'
      local order = {}
      local boom = { message = 'boom' }
      local port = silent()
      local client
      client = net.connect(port, '127.0.0.1', function()
        client:cork()
        for _, s in ipairs({ 'ab', 'cd' }) do
          client:write(s, t.mustCall(function(err)
            assert.are.equal(boom, err)
            order[#order + 1] = s
          end))
        end
        client:destroy(boom)
      end)
      client:on('error', t.mustCall(function(err)
        assert.are.equal(boom, err)
        order[#order + 1] = 'error'
      end))
      client:on('close', t.mustCall(function(hadError)
        assert.is_true(hadError)
        assert.are.same({ 'ab', 'cd', 'error' }, order)
      end))
    end)

  t.it('fails the writes held while connecting with ERR_STREAM_DESTROYED',
    function()
      -- Node 22: as on a connected socket; a write made before cork()
      -- waits for the connection instead, and then every write gets
      -- ERR_SOCKET_CLOSED_BEFORE_CONNECTION
      local server, port = h.listen()
      local closed = t.mustCall(function() server:close() end, 2)
      local client = net.connect(port, '127.0.0.1')
      client:cork()
      client:write('ab', t.mustCall(function(err)
        assert.are.equal('ERR_STREAM_DESTROYED', err.code)
      end))
      client:destroy()
      client:on('close', closed)
      local other = net.connect(port, '127.0.0.1')
      other:write('zz', t.mustCall(function(err)
        assert.are.equal('ERR_SOCKET_CLOSED_BEFORE_CONNECTION', err.code)
      end))
      other:cork()
      other:write('ab', t.mustCall(function(err)
        assert.are.equal('ERR_SOCKET_CLOSED_BEFORE_CONNECTION', err.code)
      end))
      other:destroy()
      other:on('close', closed)
    end)

  t.it('holds writes on a socket never connected until uncork, then ' ..
    'fails them with ERR_SOCKET_CLOSED', function()
      -- Node 22: write() true, writableLength 1; at uncork() the callback
      -- gets ERR_SOCKET_CLOSED, then 'error' ERR_SOCKET_CLOSED, 'close'
      local order = {}
      local socket = net.Socket()
      socket:cork()
      assert.is_true(socket:write('a', t.mustCall(function(err)
        order[#order + 1] = err.code
      end)))
      assert.are.equal(1, socket.writableLength)
      socket:on('error', t.mustCall(function(err)
        order[#order + 1] = 'error ' .. err.code
      end))
      socket:on('close', t.mustCall(function()
        assert.are.same({ 'ERR_SOCKET_CLOSED', 'error ERR_SOCKET_CLOSED' },
          order)
      end))
      socket:uncork()
      assert.are.equal(0, socket.writableLength)
    end)

  local traced = h.canTrace and t.it or pending
  traced('sends the held writes in one writev', function()
    local log = os.tmpname()
    local _, err, code = h.exec({ '-e', [[
      local net = require('net')
      local server
      server = net.createServer(function(s)
        s:resume()
        s:on('end', function() server:close() end)
      end)
      server:listen(0, '127.0.0.1', function()
        local c
        c = net.connect(server:address().port, '127.0.0.1', function()
          c:cork()
          c:write('corked-1')
          c:write('corked-2')
          c:write('corked-3')
          c:uncork()
          c:end_()
        end)
      end)
    ]] }, nil, { 'strace', '-f', '-qq', '-o', log, '-e',
      'trace=write,writev,sendmsg,sendto' })
    assert.are.equal(0, code, err)
    local calls = {}
    for line in h.readAll(log):gmatch('[^\n]+') do
      -- the bytes as strace quotes them: not the script's own text, which
      -- a tool running luanet (valgrind) may write to its log
      if line:find('"corked%-') then calls[#calls + 1] = line end
    end
    os.remove(log)
    assert.are.equal(1, #calls, table.concat(calls, '\n'))
    assert.is_truthy(calls[1]:find('writev%(%d+, %[.*"corked%-1".*' ..
      '"corked%-2".*"corked%-3".*%], 3%)'), calls[1])
  end)

  -- Node 22: new Socket(); cork(); write('ab') -> true, bytesWritten 2,
  -- writableLength 2; connect(): at 'connect' 2 2 1; after uncork() 2 0;
  -- the server got 'ab'.
  t.it('counts the writes corked before connect() in bytesWritten',
    function()
      local port = gather(function(chunks)
        assert.are.same({ 'ab' }, chunks)
      end)
      local c = net.Socket()
      c:cork()
      assert.is_true(c:write('ab', t.mustCall(function(err)
        assert.is_nil(err)
      end)))
      assert.are.same({ 2, 2 }, { c.bytesWritten, c.writableLength })
      c:connect(port, '127.0.0.1', t.mustCall(function()
        assert.are.same({ 2, 2, 1 }, { c.bytesWritten, c.writableLength,
          c.writableCorked })
        c:uncork()
        assert.are.same({ 2, 0 }, { c.bytesWritten, c.writableLength })
        c:end_()
      end))
      c:resume()
    end)
end)
