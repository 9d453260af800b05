-- Reading: buffering before a 'data' listener, pause() and resume(),
-- 'end' after the last byte, and the readable fields.
local h = require('spec.helpers')
local t = require('luanet.test')
local net, timers = h.net, h.timers

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
  t.it('reads no more than readableHighWaterMark (and one read), then stops',
    function()
      local received = {}
      sendTo(function(socket)
        assert.are.equal(64 * KiB, socket.readableHighWaterMark) -- Node 22
        -- It reads up to the mark (however slow the build), then 100 ms
        -- more show that it stopped there.
        h.waitFor(function() return socket.bytesRead >= 64 * KiB end,
          function()
            timers.setTimeout(function()
              -- one read brings at most 64 KiB past the mark
              assert.is_true(socket.bytesRead <= 128 * KiB,
                'read ' .. socket.bytesRead .. ' bytes with no listener')
              socket:on('data', function(data)
                received[#received + 1] = data
              end)
              socket:on('end', t.mustCall(function()
                assert.are.equal(#PAYLOAD, socket.bytesRead)
                assert.is_true(table.concat(received) == PAYLOAD,
                  'data lost or reordered')
              end))
            end, 100)
          end)
      end, PAYLOAD)
    end)

  t.it('delivers what it buffered only after the listener is added, on the ' ..
    'next tick', function()
      local order = {}
      sendTo(function(socket)
        timers.setTimeout(function()
          socket:on('data', function()
            if #order < 2 then order[#order + 1] = 'data' end
          end)
          socket:on('end', t.mustCall(function()
            assert.are.same({ 'added', 'data' }, order)
          end))
          order[#order + 1] = 'added'
        end, 50)
      end, 'hello')
    end)

  t.it('honours a smaller highWaterMark from the server options', function()
    sendTo(function(socket)
      assert.are.equal(1024, socket.readableHighWaterMark)
      timers.setTimeout(function()
        assert.is_true(socket.bytesRead <= 1024 + 64 * KiB)
        socket:destroy()
      end, 50)
    end, PAYLOAD, { highWaterMark = 1024 }):on('error', function() end)
  end)
end)

describe('data listeners', function()
  t.it('are called alike whether one, several, or once()', function()
    local got = {}
    local server
    server = h.listen(function(socket)
      server:close()
      socket:on('data', function(d) got[#got + 1] = 'first ' .. d end)
    end)
    local client = net.connect(server:address().port, '127.0.0.1')
    local replies = {}
    client:on('connect', function() client:write('a') end)
    client:once('data', function(d) replies[#replies + 1] = 'once ' .. d end)
    client:on('data', function(d)
      replies[#replies + 1] = 'each ' .. d
      if d == 'B' then client:end_() end
    end)
    client:on('end', t.mustCall(function()
      assert.are.same({ 'first a', 'first b' }, got)
      assert.are.same({ 'once A', 'each A', 'each B' }, replies)
    end))
    -- the server answers every chunk it gets, in upper case
    server:on('connection', function(socket)
      socket:on('data', function(d)
        socket:write(d:upper())
        if d == 'a' then
          timers.setTimeout(function() client:write('b') end, 10)
        end
      end)
    end)
  end)
end)

describe('pause and resume', function()
  -- Node 22 (the same server paused in its connection listener, 1 MiB
  -- sent): 100 ms later bytesRead 65536, buffered 65536, hwm 65536.
  t.it('goes on reading up to readableHighWaterMark while paused', function()
    local received = {}
    sendTo(function(socket)
      socket:on('data', function(data) received[#received + 1] = data end)
      socket:pause()
      assert.is_true(socket:isPaused())
      timers.setTimeout(function()
        local hwm = socket.readableHighWaterMark
        assert.is_true(socket.bytesRead >= hwm)
        assert.is_true(socket.bytesRead < hwm + 65536) -- one read more
        assert.are.same({}, received)
        socket:resume()
        assert.is_false(socket:isPaused())
      end, 100)
      socket:on('end', t.mustCall(function()
        assert.is_true(table.concat(received) == PAYLOAD,
          'data lost or reordered')
      end))
    end, PAYLOAD)
  end)

  t.it('stops data events at once when paused from a data listener', function()
    local chunks, pausedAt = 0, nil
    sendTo(function(socket)
      socket:on('data', function()
        chunks = chunks + 1
        if chunks == 1 then
          socket:pause()
          pausedAt = socket.bytesRead
          timers.setTimeout(function()
            assert.are.equal(1, chunks)
            assert.is_true(socket.bytesRead <
              pausedAt + socket.readableHighWaterMark + 65536)
            socket:resume()
          end, 50)
        end
      end)
      socket:on('end', t.mustCall(function() assert.is_true(chunks > 1) end))
    end, PAYLOAD)
  end)

  t.it('a data listener added while paused does not resume', function()
    sendTo(function(socket)
      socket:pause()
      socket:on('data', t.mustNotCall())
      timers.setTimeout(function() socket:destroy() end, 50)
    end, 'x'):on('error', function() end)
  end)

  t.it('keeps pauseOnConnect sockets paused until resume()', function()
    sendTo(function(socket)
      assert.is_true(socket:isPaused())
      socket:on('data', t.mustCall(function(data)
        assert.are.equal('early', data)
      end))
      timers.setTimeout(function()
        assert.are.equal(0, socket.bytesRead)
        socket:resume()
      end, 50)
    end, 'early', { pauseOnConnect = true })
  end)

  -- Node 22, the same scripts: exit 0 after 'paused true'; with the
  -- server's socket paused in its listener instead, the process stays.
  t.it('lets a socket paused before it reads not keep the process alive',
    function()
      local out, _, code = h.exec({ '-e', [[
        local net = require('net')
        local server
        server = net.createServer({ pauseOnConnect = true }, function(socket)
          server:close()
          console.log('paused', socket:isPaused())
        end):listen(0, '127.0.0.1')
        local c = net.connect(server:address().port, '127.0.0.1')
        c:on('connect', function() c:pause() end)
      ]] })
      assert.are.equal(0, code)
      assert.are.equal('paused true\n', out)
    end)

  t.it('keeps the process alive while a paused socket still reads', function()
    local out, _, code = h.exec({ '-e', [[
      local net = require('net')
      local server
      server = net.createServer(function(socket)
        server:close()
        socket:pause()
        -- An unref'd timer fires only while something else keeps the loop.
        setTimeout(function()
          console.log('still reading')
          process.exit(0)
        end, 100):unref()
      end):listen(0, '127.0.0.1')
      local c = net.connect(server:address().port, '127.0.0.1')
      c:on('connect', function() c:pause() end)
    ]] })
    assert.are.equal(0, code)
    assert.are.equal('still reading\n', out)
  end)

  t.it("sees the peer's FIN while paused with nothing buffered", function()
    -- Node 22: 'end' and 'close' come while paused (data 'hello' first).
    local order = {}
    sendTo(function(socket)
      socket:on('data', function(d)
        order[#order + 1] = d
        socket:pause()
      end)
      socket:on('end', function() order[#order + 1] = 'end' end)
      socket:on('close', t.mustCall(function()
        order[#order + 1] = 'close'
        assert.are.same({ 'hello', 'end', 'close' }, order)
      end))
    end, 'hello')
  end)
end)

describe('end', function()
  t.it('comes after every byte, then readable is false', function()
    local got = {}
    sendTo(function(socket)
      socket:on('data', function(d) got[#got + 1] = d end)
      socket:on('end', t.mustCall(function()
        assert.are.equal(PAYLOAD, table.concat(got))
        assert.is_false(socket.readable)
        assert.are.equal('writeOnly', socket.readyState)
        socket:end_()
      end))
    end, PAYLOAD, { allowHalfOpen = true })
  end)

  t.it('is emitted without a data listener when nothing was sent, as Node ' ..
    'reads 0 bytes at the FIN', function()
      local server
      server = h.listen(function(socket)
        server:close()
        socket:on('end', t.mustCall(function()
          assert.are.equal(0, socket.bytesRead)
        end))
        socket:on('close', t.mustCall()) -- ended its side too: not half-open
      end)
      local client = net.connect(server:address().port, '127.0.0.1')
      client:on('connect', function() client:end_() end)
      client:resume()
    end)

  t.it('waits for the characters a decoder holds to be read', function()
    sendTo(function(socket)
      socket:setEncoding('utf8')
      socket:on('end', t.mustNotCall())
      timers.setTimeout(function() socket:destroy() end, 50)
    end, '\xe4\xbd')
  end)

  t.it('is not emitted while nobody reads, as in Node', function()
    sendTo(function(socket)
      socket:on('end', t.mustNotCall())
      timers.setTimeout(function() socket:destroy() end, 50)
    end, 'unread')
  end)
end)

describe('setEncoding', function()
  -- The server sends each chunk as a read of its own (it waits until the
  -- client has read the one before), then ends; the client decodes with
  -- encoding. Calls back with what each 'data' carried, as hex, once the
  -- client closed, expected values being what Node's StringDecoder gives
  -- for the same reads.
  local function hex(s)
    return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end))
  end

  local function decode(encoding, chunks, callback)
    local got = {}
    local server
    server = h.listen(function(socket)
      server:close()
      local i = 0
      local function nextChunk()
        i = i + 1
        if i > #chunks then return socket:end_() end
        socket:write(chunks[i])
      end
      socket:on('data', nextChunk) -- the client's ack of each chunk
      nextChunk()
    end)
    local client = net.connect(server:address().port, '127.0.0.1')
    assert.are.equal(client, client:setEncoding(encoding))
    client:on('data', function(text) got[#got + 1] = hex(text) end)
    -- ack each chunk once its bytes are read, whether or not they made text
    local read, acked = 0, 0
    local function ackNext()
      read = read + #chunks[acked + 1]
      h.waitFor(function() return client.bytesRead >= read end, function()
        acked = acked + 1
        client:write('k')
        if acked < #chunks then ackNext() end
      end)
    end
    ackNext()
    client:on('end', t.mustCall(function() client:end_() end))
    client:on('close', t.mustCall(function() callback(got) end))
  end

  local cases = {
    { 'utf8', { '\xe4\xbd', '\xa0\xe5\xa5\xbd\xe2' },
      { 'e4bda0e5a5bd', 'efbfbd' },
      'keeps a split character for the next read, ends with U+FFFD' },
    { 'UTF-8', { 'a\xffb\xc3(' }, { '61efbfbd62efbfbd28' },
      'turns invalid bytes into U+FFFD' },
    { 'hex', { 'hi', '\xff' }, { '36383639', '6666' }, 'gives hex digits' },
    { 'base64', { 'ab', 'cde' }, { '59574a6a', '5a47553d' },
      'gives base64 digits in groups of three bytes, padded at the end' },
    { 'base64url', { '\xfb\xff' }, { '2d5f38' }, 'gives base64url digits' },
    { 'Latin1', { '\xe9', 'A' }, { 'c3a9', '41' },
      'turns each byte into a character' },
    { 'binary', { '\xe9' }, { 'c3a9' }, 'takes binary for latin1' },
    { 'ascii', { '\xe9', 'A' }, { '69', '41' }, 'clears the high bit' },
    { 'utf16le', { 'a\0', '\x3d\xd8', '\x00\xde' }, { '61', 'f09f9880' },
      'joins a surrogate pair split across reads' },
  }
  for _, case in ipairs(cases) do
    t.it(case[1] .. ' ' .. case[4], function()
      decode(case[1], case[2], t.mustCall(function(got)
        assert.are.same(case[3], got)
      end))
    end)
  end

  t.it('defaults to utf8 and reports readableEncoding', function()
    local s = net.Socket()
    assert.is_nil(s.readableEncoding)
    s:setEncoding()
    assert.are.equal('utf8', s.readableEncoding)
    s:setEncoding('ucs2')
    assert.are.equal('utf16le', s.readableEncoding)
  end)

  t.it('raises ERR_UNKNOWN_ENCODING for a name Node does not know', function()
    local s = net.Socket()
    for _, bad in ipairs({ 'bogus', 'buffer', 5, {} }) do
      local ok, err = pcall(s.setEncoding, s, bad)
      assert.is_false(ok)
      assert.are.equal('ERR_UNKNOWN_ENCODING', err.code)
      assert.are.equal('TypeError', err.name)
    end
    local _, err = pcall(s.setEncoding, s, 'bogus')
    assert.are.equal('Unknown encoding: bogus', err.message)
  end)
end)

describe('write with an encoding', function()
  t.it('encodes the text first, as Buffer.from(data, encoding)', function()
    local got = {}
    local server
    server = h.listen(function(socket)
      server:close()
      socket:on('data', function(d) got[#got + 1] = d end)
      socket:on('end', t.mustCall(function()
        assert.are.equal('hihihi\xe9\xe9\xe9Ah\0i\0plain.', table.concat(got))
      end))
    end)
    local client
    client = net.connect(server:address().port, '127.0.0.1', function()
      client:write('6869', 'hex')
      client:write('aGk=', 'base64')
      client:write('aGk', 'base64url')
      client:write('é', 'latin1')
      client:write('é', 'binary')
      client:write('éA', 'ascii') -- the low byte of each unit, as Node
      client:write('hi', 'utf16le', t.mustCall())
      client:write('plain', nil, t.mustCall())
      client:end_('2e', 'hex', t.mustCall())
    end)
    client:resume()
  end)

  t.it('raises ERR_UNKNOWN_ENCODING and writes nothing', function()
    local server
    server = h.listen(function(socket)
      server:close()
      socket:on('data', function(d) error('got ' .. d) end)
      socket:on('end', t.mustCall())
    end)
    local client
    client = net.connect(server:address().port, '127.0.0.1', function()
      local ok, err = pcall(client.write, client, 'x', 'bogus')
      assert.is_false(ok)
      assert.are.equal('ERR_UNKNOWN_ENCODING', err.code)
      ok, err = pcall(client.end_, client, 'x', 7)
      assert.is_false(ok)
      assert.are.equal('Unknown encoding: 7', err.message)
      client:end_()
    end)
    client:resume()
  end)
end)

describe('socket.readableFlowing', function()
  -- Node 22, readableFlowing and isPaused(): new Socket null false; after
  -- pause() false true; resume() true false; a 'data' listener true false;
  -- a 'readable' listener false true, and so with 'data' added too, and
  -- after the 'readable' listeners are removed; a connecting socket null
  -- false; an accepted one with pauseOnConnect false true, and true false
  -- once it is piped.
  t.it("is Node's three states: nil, then true or false", function()
    local function state(s) return { s.readableFlowing, s:isPaused() } end
    local s = net.Socket()
    assert.are.same({ nil, false }, state(s))
    s:pause()
    assert.are.same({ false, true }, state(s))
    s:resume()
    assert.are.same({ true, false }, state(s))
    s = net.Socket():on('data', function() end)
    assert.are.same({ true, false }, state(s))
    s = net.Socket():on('readable', function() end)
    assert.are.same({ false, true }, state(s))
    s:on('data', function() end)
    assert.are.same({ false, true }, state(s))
    s:removeAllListeners('readable')
    assert.are.same({ false, true }, state(s))
    local server
    server = net.createServer({ pauseOnConnect = true }, t.mustCall(
      function(c)
        assert.are.same({ false, true }, state(c))
        local d = net.Socket()
        c:pipe(d)
        assert.are.same({ true, false }, state(c))
        c:destroy()
        d:destroy()
        server:close()
      end))
    server:listen(0, '127.0.0.1', function()
      local c = net.connect(server:address().port, '127.0.0.1')
      assert.are.same({ nil, false }, state(c))
      c:on('error', function() end)
    end)
  end)
end)
