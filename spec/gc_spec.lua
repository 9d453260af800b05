-- The garbage collector against objects dropped mid-I/O: every reference a
-- script holds to a socket, server or timer is dropped while libuv can
-- still call it (connecting, reading, writing with data queued, ending,
-- a timeout armed, a lookup or an error pending), the collector runs, then
-- the loop. Nothing may crash or leak (helpers' run() checks that no handle
-- is left), and every event Node would still deliver arrives: in Node a
-- handle in use keeps its object alive. Run under the sanitizers and with
-- LUANET_GC_STRESS (spec/helpers.lua), where the collector also runs at
-- every allocation. The Node results are from Node 22, as each says.
local h = require('spec.helpers')
local luanet, net, timers, expect = h.luanet, h.net, h.timers, h.expect

local function collect()
  collectgarbage()
  collectgarbage()
end

---A weak reference: ref[1] is obj until obj is collected, then nil.
local function weak(obj)
  return setmetatable({ obj }, { __mode = 'v' })
end

---Keeps the loop up for ms (a dropped unref'd handle needs company).
local function keepAlive(ms)
  timers.setTimeout(function() end, ms)
end

---A server on 127.0.0.1 that calls onconn(socket), closing itself after
---`count` connections (1); returns its port. Only the loop holds it.
local function server(onconn, count)
  local left, srv = count or 1, nil
  srv = h.listen(function(socket)
    left = left - 1
    if left == 0 then srv:close() end
    onconn(socket)
  end)
  return srv:address().port
end

describe('a socket dropped', function()
  -- Defect 1 of issue 8 (ASan: heap-use-after-free in on_timeout). Node 22:
  -- { const s = new net.Socket(); s.setTimeout(50); s.on('timeout', ...) }
  -- with a 200 ms timer alive prints the timeout.
  it('with a timeout armed, never connected, still times out', function()
    do
      local s = net.Socket()
      s:setTimeout(50)
      s:on('timeout', expect(function() s:destroy() end))
    end
    collect()
    keepAlive(100)
    h.run()
  end)

  -- Defect 1: a release build segfaulted.
  it('by the thousand, each with a timeout armed, still time out',
    function()
      local fired = 0
      for _ = 1, 1000 do
        local s = net.Socket()
        s:setTimeout(20)
        s:on('timeout', function()
          fired = fired + 1
          s:destroy()
        end)
      end
      collect()
      keepAlive(60)
      h.run()
      assert.are.equal(1000, fired)
    end)

  it('with a timeout armed then turned off, is collected', function()
    local ref
    do
      local s = net.Socket()
      s:setTimeout(50)
      s:setTimeout(0)
      ref = weak(s)
    end
    collect()
    assert.is_nil(ref[1])
    keepAlive(80)
    h.run()
  end)

  -- Defect 9 (valgrind: ln__write_new definitely lost). Node 22: end(cb)
  -- on a socket never connected calls cb, then emits 'finish'.
  it('never connected, given end_(cb), calls back, finishes and leaks ' ..
    'nothing', function()
      local called, finished = 0, 0
      for _ = 1, 100 do -- a hundred, for LeakSanitizer to see at least one
        local s = net.Socket()
        s:end_(function() called = called + 1 end)
        s:on('finish', function() finished = finished + 1 end)
      end
      collect()
      h.run()
      assert.are.equal(100, called)
      assert.are.equal(100, finished)
    end)

  it('never used, is collected and leaves no handle', function()
    local ref = weak(net.Socket())
    collect()
    assert.is_nil(ref[1])
    h.run()
  end)

  it('while connecting, connects, and its peer gets what it sends',
    function()
      local got = ''
      local port = server(function(socket)
        socket:on('data', function(d) got = got .. d end)
        socket:on('end', expect())
      end)
      do
        local c
        c = net.connect(port, '127.0.0.1', expect(function()
          c:end_('hello')
        end))
        c:on('close', expect())
      end
      collect()
      h.run()
      assert.are.equal('hello', got)
    end)

  it('while its host name is looked up, connects', function()
    local port = server(function(socket) socket:end_() end)
    do
      local c = net.connect({ port = port, host = 'localhost', family = 4 })
      c:on('lookup', expect())
      c:on('connect', expect())
      c:on('end', expect())
      c:on('close', expect())
    end
    collect()
    h.run()
  end)

  it('while reading, gets the data, the end and the close', function()
    local got = ''
    local port = server(function(socket)
      timers.setTimeout(function()
        collect()
        socket:end_('late data')
      end, 20)
    end)
    do
      local c = net.connect(port, '127.0.0.1')
      c:on('data', function(d) got = got .. d end)
      c:on('end', expect())
      c:on('close', expect())
    end
    collect()
    h.run()
    assert.are.equal('late data', got)
  end)

  it('while writing, with data queued, delivers all of it and calls back',
    function()
      local size, got = 4 * 1024 * 1024, 0
      local port = server(function(socket)
        socket:pause() -- the client's queue fills
        timers.setTimeout(function()
          collect()
          socket:on('data', function(d) got = got + #d end)
          socket:on('end', expect())
          socket:resume()
        end, 50)
      end)
      local ref
      do
        local c = net.connect(port, '127.0.0.1')
        c:on('connect', function()
          assert.is_false(c:write(string.rep('x', size), expect()))
          assert.is_true(c.writableLength > 0)
          c:end_()
        end)
        c:on('finish', expect())
        c:on('close', expect())
        ref = weak(c)
      end
      collect()
      h.run()
      assert.are.equal(size, got)
      assert.is_nil(ref[1])
    end)

  -- Node 22: end('bye') on a socket still connecting: the peer reads 'bye'
  -- and its end; the socket finishes and closes.
  it('ended while connecting, sends its data and end', function()
    local got = ''
    local port = server(function(socket)
      socket:on('data', function(d) got = got .. d end)
      socket:on('end', expect())
    end)
    do
      local c = net.connect(port, '127.0.0.1')
      c:end_('bye', expect())
      c:on('finish', expect())
      c:on('close', expect())
    end
    collect()
    h.run()
    assert.are.equal('bye', got)
  end)

  it('destroyed in its own data listener, then collected there', function()
    local port = server(function(socket) socket:write('x') end)
    do
      local c = net.connect(port, '127.0.0.1')
      c:on('data', expect(function()
        c:destroy()
        collect()
      end))
      c:on('close', expect())
    end
    collect()
    h.run()
  end)

  it('piped into another, both dropped, carries every byte and the end',
    function()
      local size, got = 1024 * 1024, 0
      local sink = server(function(socket)
        socket:on('data', function(d) got = got + #d end)
        socket:on('end', expect())
      end)
      local relay = server(function(socket)
        socket:pipe(net.connect(sink, '127.0.0.1'))
      end)
      do
        local c = net.connect(relay, '127.0.0.1')
        c:end_(string.rep('p', size))
        c:on('close', expect())
      end
      collect()
      h.run()
      assert.are.equal(size, got)
    end)

  -- Node 22: the half character left in the decoder at the end arrives
  -- as U+FFFD.
  it('with half a character in its decoder, gets it as U+FFFD at the end',
    function()
      local got = ''
      local port = server(function(socket) socket:end_('\xE2\x82') end)
      do
        local c = net.connect(port, '127.0.0.1')
        c:setEncoding('utf8')
        c:on('data', function(d) got = got .. d end)
        c:on('end', expect())
      end
      collect()
      h.run()
      assert.are.equal('\u{FFFD}', got)
    end)

  it('whose listener raises, reaches uncaughtException and still closes',
    function()
      local port = server(function(socket) socket:write('x') end)
      local ref
      do
        local c = net.connect(port, '127.0.0.1')
        c:on('data', function() error('from a dropped socket', 0) end)
        c:on('close', expect())
        ref = weak(c)
      end
      local function listener(err)
        assert.are.equal('from a dropped socket', err)
        collect()
        ref[1]:destroy()
      end
      h.process:on('uncaughtException', expect(listener))
      finally(function()
        h.process:off('uncaughtException', listener)
      end)
      collect()
      h.run()
    end)
end)

describe('a server dropped', function()
  it('while listening, accepts, and still has its connection listener',
    function()
      local ref
      do
        local srv = net.createServer(expect(function(socket)
          socket:end_('hi')
          ref[1]:close(expect())
        end))
        srv:listen(0, '127.0.0.1')
        ref = weak(srv)
      end
      collect()
      assert.is_not_nil(ref[1])
      local got = ''
      local c = net.connect(ref[1]:address().port, '127.0.0.1')
      c:on('data', function(d) got = got .. d end)
      c:on('close', expect())
      c = nil -- luacheck: ignore 311 (the socket is kept by luanet only)
      collect()
      h.run()
      assert.are.equal('hi', got)
    end)

  it('with its connections, echoes on both of them', function()
    local port
    do
      local srv, ended = nil, 0
      srv = net.createServer(function(socket)
        socket:on('data', function(d) socket:write(d) end)
        socket:on('end', function()
          socket:end_()
          ended = ended + 1
          if ended == 2 then srv:close() end
        end)
      end)
      srv:listen(0, '127.0.0.1')
      port = srv:address().port
    end
    collect()
    local got = {}
    for i = 1, 2 do
      got[i] = ''
      local c = net.connect(port, '127.0.0.1', function() collect() end)
      c:on('data', function(d)
        got[i] = got[i] .. d
        if got[i] == 'ping' .. i then c:end_() end
      end)
      c:on('close', expect())
      c:write('ping' .. i)
    end
    h.run()
    assert.are.same({ 'ping1', 'ping2' }, got)
  end)

  -- Node 22: close() with a connection open calls back once it has ended.
  it('closed with a connection open, closes once it ends', function()
    local port
    do
      local srv
      srv = net.createServer(function(socket)
        srv:close(expect())
        timers.setTimeout(function()
          collect()
          socket:end_()
        end, 30)
      end)
      srv:listen(0, '127.0.0.1')
      port = srv:address().port
    end
    collect()
    local c = net.connect(port, '127.0.0.1')
    c:on('end', expect())
    c = nil -- luacheck: ignore 311 (the socket is kept by luanet only)
    h.run()
  end)

  it('while its host name is looked up, listens', function()
    do
      local srv
      srv = net.createServer()
      srv:listen(0, 'localhost', expect(function() srv:close() end))
      srv:on('close', expect())
    end
    collect()
    h.run()
  end)

  it('never listened, is collected', function()
    local ref = weak(net.createServer(function() end))
    collect()
    assert.is_nil(ref[1])
    h.run()
  end)
end)

describe('an error pending on a dropped object', function()
  it('ECONNREFUSED, reaches its error and close listeners', function()
    -- a port just freed: nothing listens there
    local probe = net.createServer()
    probe:listen(0, '127.0.0.1')
    local port = probe:address().port
    probe:close()
    h.run()
    do
      local c = net.connect(port, '127.0.0.1')
      c:on('error', expect(function(err)
        assert.are.equal('ECONNREFUSED', err.code)
      end))
      c:on('close', expect(function(hadError) assert.is_true(hadError) end))
    end
    collect()
    h.run()
  end)

  it('ENOTFOUND, reaches its lookup, error and close listeners', function()
    do
      local c = net.connect(80, 'nosuch.invalid')
      c:on('lookup', expect())
      c:on('error', expect(function(err)
        assert.are.equal('ENOTFOUND', err.code)
      end))
      c:on('close', expect())
    end
    collect()
    h.run()
  end)

  -- Node 22: destroy(new Error('boom')) on a new socket emits 'error' then
  -- 'close' on the next tick.
  it('from destroy(err), reaches its error and close listeners', function()
    do
      local s = net.Socket()
      s:on('error', expect(function(err) assert.are.equal('boom', err) end))
      s:on('close', expect())
      s:destroy('boom')
    end
    collect()
    h.run()
  end)

  it('EADDRINUSE on listen, reaches the error listener', function()
    local busy = net.createServer()
    busy:listen(0, '127.0.0.1')
    do
      local srv = net.createServer()
      srv:on('error', expect(function(err)
        assert.are.equal('EADDRINUSE', err.code)
        busy:close()
      end))
      srv:listen(busy:address().port, '127.0.0.1')
    end
    collect()
    h.run()
  end)
end)

describe('a timer dropped', function()
  it('armed, fires', function()
    timers.setTimeout(expect(), 10)
    collect()
    h.run()
  end)

  -- Node 22: an unref'd timer fires while something else keeps the loop up.
  it('armed and unref\'d, fires while the loop runs for another', function()
    timers.setTimeout(expect(), 10):unref()
    collect()
    keepAlive(60)
    h.run()
  end)

  -- Node 22: the loop ends; the timer stays armed (in its list) until
  -- cleared.
  it('unref\'d with nothing else, lets the loop end and stays armed',
    function()
      local ref = weak(timers.setTimeout(error, 10000):unref())
      collect()
      luanet.run()
      collect()
      assert.is_not_nil(ref[1])
      timers.clearTimeout(ref[1])
      collect()
      assert.is_nil(ref[1])
      h.run()
    end)

  it('as an interval, repeats until cleared from its callback', function()
    local n, ref = 0, nil
    ref = weak(timers.setInterval(function()
      n = n + 1
      collect()
      if n == 3 then timers.clearInterval(ref[1]) end
    end, 5))
    collect()
    h.run()
    assert.are.equal(3, n)
  end)

  it('cleared, never fires, and is collected', function()
    local ref
    do
      local t = timers.setTimeout(function() error('fired') end, 10)
      timers.clearTimeout(t)
      ref = weak(t)
    end
    collect()
    assert.is_nil(ref[1])
    h.run()
  end)

  it('refreshed from another timer, fires once', function()
    local t = timers.setTimeout(expect(), 20)
    timers.setTimeout(function()
      collect()
      t:refresh()
      t = nil
      collect()
    end, 10)
    h.run()
  end)

  it('as an immediate, runs', function()
    timers.setImmediate(expect())
    collect()
    h.run()
  end)

  it('as a nextTick, runs before the immediate', function()
    local order = {}
    timers.setImmediate(function() order[#order + 1] = 'immediate' end)
    h.process.nextTick(function() order[#order + 1] = 'tick' end)
    collect()
    h.run()
    assert.are.same({ 'tick', 'immediate' }, order)
  end)
end)

describe('a REPL over a socket, dropped', function()
  it('answers lines sent after a collection', function()
    local path = os.tmpname()
    os.remove(path)
    do
      local srv
      srv = net.createServer(function(socket)
        srv:close()
        require('repl').start({ input = socket, output = socket,
          prompt = '> ' }):on('exit', function() socket:end_() end)
      end)
      srv:listen(path)
    end
    collect()
    local got = ''
    local c = net.connect(path)
    local lines = { 'x = 40 +', '2', 'x', '.exit' }
    c:on('data', function(d)
      got = got .. d
      collect()
      if (got:sub(-2) == '> ' or got:sub(-4) == '... ') and #lines > 0 then
        c:write(table.remove(lines, 1) .. '\n')
      end
    end)
    c:on('end', expect())
    h.run()
    _G.x = nil
    assert.are.equal('> ... > 42\n> ', got)
  end)

  it('left by its client mid-line, ends', function()
    local path = os.tmpname()
    os.remove(path)
    do
      local srv
      srv = net.createServer(function(socket)
        srv:close()
        require('repl').start({ input = socket, output = socket })
        socket:on('close', expect())
      end)
      srv:listen(path)
    end
    do
      local c = net.connect(path)
      c:once('data', function() c:end_('1 +\n') end)
    end
    collect()
    h.run()
  end)
end)

describe('the Lua state closed with handles open', function()
  it('closes them and exits cleanly', function()
    -- A stock lua5.4 closes its state at os.exit(0, true): luanet.so's
    -- finalizers then meet a listening server, a connecting socket, an
    -- armed timeout and a timer.
    local code = ("package.cpath = %q .. '/?.so;' .. package.cpath " ..
      "local l = require('luanet') " ..
      "local s = l.net.createServer() s:listen(0, '127.0.0.1') " ..
      "local c = l.net.connect(s:address().port, '127.0.0.1') " ..
      "c:setTimeout(1000) l.timers.setInterval(function() end, 1000) " ..
      "l.timers.setImmediate(function() end) " ..
      "io.write('ok') os.exit(0, true)"):format(h.build)
    local p = assert(io.popen('lua5.4 -e ' .. h.shellQuote(code) .. ' 2>&1'))
    local out = p:read('a')
    local ok, _, status = p:close()
    assert.are.equal('ok', out)
    assert.is_true(ok, 'exit ' .. tostring(status))
  end)
end)
