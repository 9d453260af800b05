-- The garbage collector against objects dropped mid-I/O: every reference a
-- script holds to a socket, server or timer is dropped while libuv can
-- still call it (connecting, reading, writing with data queued, ending,
-- a timeout armed, a lookup or an error pending), the collector runs, then
-- the loop. Nothing may crash or leak (the harness checks that no handle
-- is left), and every event Node would still deliver arrives: in Node a
-- handle in use keeps its object alive. Run under the sanitizers and with
-- LUANET_GC_STRESS (spec/helpers.lua), where the collector also runs at
-- every allocation. The Node results are from Node 22, as each says.
local h = require('spec.helpers')
local t = require('luanet.test')
local luanet, net, timers = h.luanet, h.net, h.timers

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
  t.it('with a timeout armed, never connected, still times out', function()
    do
      local s = net.Socket()
      s:setTimeout(50)
      s:on('timeout', t.mustCall(function() s:destroy() end))
    end
    collect()
    keepAlive(100)
  end)

  -- Defect 1: a release build segfaulted.
  t.it('by the thousand, each with a timeout armed, still time out',
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
      timers.setTimeout(t.mustCall(function()
        assert.are.equal(1000, fired)
      end), 60)
    end, { timeout = 30000 }) -- seconds to make under LUANET_GC_STRESS

  t.it('with a timeout armed then turned off, is collected', function()
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
  end)

  -- Defect 9 (valgrind: ln__write_new definitely lost). Node 22: end(cb)
  -- on a socket never connected calls cb, then emits 'finish'.
  t.it('never connected, given end_(cb), calls back, finishes and leaks ' ..
    'nothing', function()
      local called, finished = 0, 0
      for _ = 1, 100 do -- a hundred, for LeakSanitizer to see at least one
        local s = net.Socket()
        s:end_(function() called = called + 1 end)
        s:on('finish', function() finished = finished + 1 end)
      end
      collect()
      timers.setImmediate(t.mustCall(function() -- after the ticks
        assert.are.equal(100, called)
        assert.are.equal(100, finished)
      end))
    end)

  t.it('never used, is collected and leaves no handle', function()
    local ref = weak(net.Socket())
    collect()
    assert.is_nil(ref[1])
  end)

  t.it('while connecting, connects, and its peer gets what it sends',
    function()
      local got = ''
      local port = server(function(socket)
        socket:on('data', function(d) got = got .. d end)
        socket:on('end', t.mustCall(function()
          assert.are.equal('hello', got)
        end))
      end)
      do
        local c
        c = net.connect(port, '127.0.0.1', t.mustCall(function()
          c:end_('hello')
        end))
        c:on('close', t.mustCall())
      end
      collect()
    end)

  t.it('while its host name is looked up, connects', function()
    local port = server(function(socket) socket:end_() end)
    do
      local c = net.connect({ port = port, host = 'localhost', family = 4 })
      c:on('lookup', t.mustCall())
      c:on('connect', t.mustCall())
      c:on('end', t.mustCall())
      c:on('close', t.mustCall())
    end
    collect()
  end)

  t.it('while reading, gets the data, the end and the close', function()
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
      c:on('end', t.mustCall(function()
        assert.are.equal('late data', got)
      end))
      c:on('close', t.mustCall())
    end
    collect()
  end)

  -- Collected once closed: t.run runs the loop, busted's it the rest.
  it('while writing, with data queued, delivers all of it and calls back',
    function()
      local size, got = 4 * 1024 * 1024, 0
      local ref
      t.run(function()
        local port = server(function(socket)
          socket:pause() -- the client's queue fills
          timers.setTimeout(function()
            collect()
            socket:on('data', function(d) got = got + #d end)
            socket:on('end', t.mustCall())
            socket:resume()
          end, 50)
        end)
        do
          local c = net.connect(port, '127.0.0.1')
          c:on('connect', function()
            assert.is_false(c:write(string.rep('x', size), t.mustCall()))
            assert.is_true(c.writableLength > 0)
            c:end_()
          end)
          c:on('finish', t.mustCall())
          c:on('close', t.mustCall())
          ref = weak(c)
        end
        collect()
      end)
      assert.are.equal(size, got)
      collect()
      assert.is_nil(ref[1])
    end)

  -- Node 22: end('bye') on a socket still connecting: the peer reads 'bye'
  -- and its end; the socket finishes and closes.
  t.it('ended while connecting, sends its data and end', function()
    local got = ''
    local port = server(function(socket)
      socket:on('data', function(d) got = got .. d end)
      socket:on('end', t.mustCall(function() assert.are.equal('bye', got) end))
    end)
    do
      local c = net.connect(port, '127.0.0.1')
      c:end_('bye', t.mustCall())
      c:on('finish', t.mustCall())
      c:on('close', t.mustCall())
    end
    collect()
  end)

  t.it('destroyed in its own data listener, then collected there', function()
    local port = server(function(socket) socket:write('x') end)
    do
      local c = net.connect(port, '127.0.0.1')
      c:on('data', t.mustCall(function()
        c:destroy()
        collect()
      end))
      c:on('close', t.mustCall())
    end
    collect()
  end)

  t.it('piped into another, both dropped, carries every byte and the end',
    function()
      local size, got = 1024 * 1024, 0
      local sink = server(function(socket)
        socket:on('data', function(d) got = got + #d end)
        socket:on('end', t.mustCall(function()
          assert.are.equal(size, got)
        end))
      end)
      local relay = server(function(socket)
        socket:pipe(net.connect(sink, '127.0.0.1'))
      end)
      do
        local c = net.connect(relay, '127.0.0.1')
        c:end_(string.rep('p', size))
        c:on('close', t.mustCall())
      end
      collect()
    end)

  -- Node 22: the half character left in the decoder at the end arrives
  -- as U+FFFD.
  t.it('with half a character in its decoder, gets it as U+FFFD at the end',
    function()
      local got = ''
      local port = server(function(socket) socket:end_('\xE2\x82') end)
      do
        local c = net.connect(port, '127.0.0.1')
        c:setEncoding('utf8')
        c:on('data', function(d) got = got .. d end)
        c:on('end', t.mustCall(function()
          assert.are.equal('\u{FFFD}', got)
        end))
      end
      collect()
    end)

  t.it('whose listener raises, reaches uncaughtException and still closes',
    function()
      local port = server(function(socket) socket:write('x') end)
      local ref
      do
        local c = net.connect(port, '127.0.0.1')
        c:on('data', function() error('from a dropped socket', 0) end)
        c:on('close', t.mustCall())
        ref = weak(c)
      end
      local function listener(err)
        assert.are.equal('from a dropped socket', err)
        collect()
        ref[1]:destroy()
      end
      h.process:on('uncaughtException', t.mustCall(listener))
      finally(function()
        h.process:off('uncaughtException', listener)
      end)
      collect()
    end)
end)

describe('a server dropped', function()
  t.it('while listening, accepts, and still has its connection listener',
    function()
      local ref
      do
        local srv = net.createServer(t.mustCall(function(socket)
          socket:end_('hi')
          ref[1]:close(t.mustCall())
        end))
        srv:listen(0, '127.0.0.1')
        ref = weak(srv)
      end
      collect()
      assert.is_not_nil(ref[1])
      local got = ''
      local c = net.connect(ref[1]:address().port, '127.0.0.1')
      c:on('data', function(d) got = got .. d end)
      c:on('close', t.mustCall(function() assert.are.equal('hi', got) end))
      c = nil -- luacheck: ignore 311 (the socket is kept by luanet only)
      collect()
    end)

  t.it('with its connections, echoes on both of them', function()
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
    local got, closed = {}, 0
    for i = 1, 2 do
      got[i] = ''
      local c = net.connect(port, '127.0.0.1', function() collect() end)
      c:on('data', function(d)
        got[i] = got[i] .. d
        if got[i] == 'ping' .. i then c:end_() end
      end)
      c:on('close', t.mustCall(function()
        closed = closed + 1
        if closed == 2 then assert.are.same({ 'ping1', 'ping2' }, got) end
      end))
      c:write('ping' .. i)
    end
  end)

  -- Node 22: close() with a connection open calls back once it has ended.
  t.it('closed with a connection open, closes once it ends', function()
    local port
    do
      local srv
      srv = net.createServer(function(socket)
        srv:close(t.mustCall())
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
    c:on('end', t.mustCall())
    c = nil -- luacheck: ignore 311 (the socket is kept by luanet only)
  end)

  t.it('while its host name is looked up, listens', function()
    do
      local srv
      srv = net.createServer()
      srv:listen(0, 'localhost', t.mustCall(function() srv:close() end))
      srv:on('close', t.mustCall())
    end
    collect()
  end)

  t.it('never listened, is collected', function()
    local ref = weak(net.createServer(function() end))
    collect()
    assert.is_nil(ref[1])
  end)
end)

describe('an error pending on a dropped object', function()
  t.it('ECONNREFUSED, reaches its error and close listeners', function()
    -- a port just freed: nothing listens there
    local probe = net.createServer()
    probe:listen(0, '127.0.0.1')
    local port = probe:address().port
    probe:close(t.mustCall(function()
      do
        local c = net.connect(port, '127.0.0.1')
        c:on('error', t.mustCall(function(err)
          assert.are.equal('ECONNREFUSED', err.code)
        end))
        c:on('close', t.mustCall(function(hadError)
          assert.is_true(hadError)
        end))
      end
      collect()
    end))
  end)

  t.it('ENOTFOUND, reaches its lookup, error and close listeners', function()
    do
      local c = net.connect(80, 'nosuch.invalid')
      c:on('lookup', t.mustCall())
      c:on('error', t.mustCall(function(err)
        assert.are.equal('ENOTFOUND', err.code)
      end))
      c:on('close', t.mustCall())
    end
    collect()
  end)

  -- Node 22: destroy(new Error('boom')) on a new socket emits 'error' then
  -- 'close' on the next tick.
  t.it('from destroy(err), reaches its error and close listeners', function()
    do
      local s = net.Socket()
      s:on('error', t.mustCall(function(err) assert.are.equal('boom', err) end))
      s:on('close', t.mustCall())
      s:destroy('boom')
    end
    collect()
  end)

  t.it('EADDRINUSE on listen, reaches the error listener', function()
    local busy = net.createServer()
    busy:listen(0, '127.0.0.1')
    do
      local srv = net.createServer()
      srv:on('error', t.mustCall(function(err)
        assert.are.equal('EADDRINUSE', err.code)
        busy:close()
      end))
      srv:listen(busy:address().port, '127.0.0.1')
    end
    collect()
  end)
end)

describe('a timer dropped', function()
  t.it('armed, fires', function()
    timers.setTimeout(t.mustCall(), 10)
    collect()
  end)

  -- Node 22: an unref'd timer fires while something else keeps the loop up.
  t.it('armed and unref\'d, fires while the loop runs for another', function()
    timers.setTimeout(t.mustCall(), 10):unref()
    collect()
    keepAlive(60)
  end)

  -- Node 22: the loop ends; the timer stays armed (in its list) until
  -- cleared.
  -- About how luanet.run() ends, so without the harness's loop.
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
    end)

  t.it('as an interval, repeats until cleared from its callback', function()
    local n, ref = 0, nil
    ref = weak(timers.setInterval(t.mustCall(function()
      n = n + 1
      collect()
      if n == 3 then timers.clearInterval(ref[1]) end
    end, 3), 5))
    collect()
  end)

  t.it('cleared, never fires, and is collected', function()
    local ref
    do
      local tm = timers.setTimeout(function() error('fired') end, 10)
      timers.clearTimeout(tm)
      ref = weak(tm)
    end
    collect()
    assert.is_nil(ref[1])
  end)

  t.it('refreshed from another timer, fires once', function()
    -- The refreshing timer is made first, so that it fires first however
    -- slowly the other is made (made the other way round under
    -- LUANET_GC_STRESS, the 20 ms timer once fired before the 10 ms one).
    local tm
    timers.setTimeout(function()
      collect()
      tm:refresh()
      tm = nil
      collect()
    end, 10)
    tm = timers.setTimeout(t.mustCall(), 20)
  end)

  t.it('as an immediate, runs', function()
    timers.setImmediate(t.mustCall())
    collect()
  end)

  t.it('as a nextTick, runs before the immediate', function()
    local order = {}
    timers.setImmediate(t.mustCall(function()
      order[#order + 1] = 'immediate'
      assert.are.same({ 'tick', 'immediate' }, order)
    end))
    h.process.nextTick(function() order[#order + 1] = 'tick' end)
    collect()
  end)
end)

describe('a REPL over a socket, dropped', function()
  t.it('answers lines sent after a collection', function()
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
    c:on('end', t.mustCall(function()
      _G.x = nil
      assert.are.equal('> ... > 42\n> ', got)
    end))
  end)

  t.it('left by its client mid-line, ends', function()
    local path = os.tmpname()
    os.remove(path)
    do
      local srv
      srv = net.createServer(function(socket)
        srv:close()
        require('repl').start({ input = socket, output = socket })
        socket:on('close', t.mustCall())
      end)
      srv:listen(path)
    end
    do
      local c = net.connect(path)
      c:once('data', function() c:end_('1 +\n') end)
    end
    collect()
  end)
end)

describe('the Lua state closed with handles open', function()
  t.it('closes them and exits cleanly', function()
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

-- Work still scheduled when the process ends: a socket released while
-- active (a timeout pending keeps a never-connected one so) frees what it
-- holds on its last tick, and a state closed before its loop runs leaves
-- ticks queued. The loop's close must run them (told to no one), not drop
-- them. Each case is a process of its own, whose sanitizer report (in the
-- sanitizer build) comes to its standard error here, not to
-- scripts/sanitized's files, so that the spec itself fails on a leak.
describe('work scheduled when the process ends', function()
  local asan = (os.getenv('ASAN_OPTIONS') or '') .. ':log_path=stderr'

  ---Runs source as build/luanet's script; returns stdout, stderr, code.
  local function host(source)
    local path = h.script(source)
    local out, err, code =
      h.exec({ path }, nil, { 'env', 'ASAN_OPTIONS=' .. asan })
    os.remove(path)
    return out, err, code
  end

  ---Runs source in a stock lua5.4 with luanet.so loaded (the module kept
  ---to the end, so that a report names its functions), which closes its
  ---state at os.exit(0, true) without running the loop.
  local function stock(source)
    local path = h.script(("package.cpath = %q .. '/?.so;' .. package.cpath " ..
      "setmetatable(debug.getregistry()._CLIBS, nil) " ..
      "local l = require('luanet') local net = l.net %s " ..
      "io.write('ok') os.exit(0, true)"):format(h.build, source))
    local out, err = os.tmpname(), os.tmpname()
    local _, _, code = os.execute(('env ASAN_OPTIONS=%s timeout 20 lua5.4 ' ..
      '%s >%s 2>%s'):format(h.shellQuote(asan), path, out, err))
    local stdout, stderr = h.readAll(out), h.readAll(err)
    os.remove(out)
    os.remove(err)
    os.remove(path)
    return stdout, stderr, code
  end

  -- Node's test-net-socket-timeout. Node 22 (the same in JavaScript):
  -- prints 'end of script', exits 0.
  it('a socket never connected, its timeout pending, leaks nothing',
    function()
      local out, err, code = host("local s = require('net').Socket() " ..
        "s:setTimeout(1000, function() end) print('end of script')")
      assert.are.equal('', err)
      assert.are.equal(0, code)
      assert.are.equal('end of script\n', out)
    end)

  -- Node 22: `a.pipe(b); a.setTimeout(1000); b.setTimeout(1000)` on two
  -- new sockets prints 'end of script', exits 0 (no 'close').
  it('two sockets never connected, one piped into the other, their ' ..
    'timeouts pending, leak nothing', function()
      local out, err, code = host("local net = require('net') " ..
        "local a, b = net.Socket(), net.Socket() a:pipe(b) " ..
        "a:setTimeout(1000) b:setTimeout(1000) print('end of script')")
      assert.are.equal('', err)
      assert.are.equal(0, code)
      assert.are.equal('end of script\n', out)
    end)

  it('a state closed before its loop runs, with ticks queued, leaks nothing',
    function()
      local out, err, code = stock(
        -- a write refused (its callback on the tick), then destroyed
        "local w = net.Socket() w:write('x', function() end) w:destroy() " ..
        -- end()'s callback, waiting
        "local e = net.Socket() e:end_(function() end) " ..
        -- a timeout, then destroyed with an error
        "local d = net.Socket() d:setTimeout(100) d:destroy('boom') " ..
        -- a pipe between two destroyed
        "local p, q = net.Socket(), net.Socket() p:pipe(q) p:destroy() " ..
        "q:destroy() " ..
        -- a server closed before its 'listening', one looking its host up
        "local s = net.createServer() s:listen(0, '127.0.0.1') s:close() " ..
        "net.createServer():listen(0, 'localhost') " ..
        "l.process.nextTick(function() end)")
      assert.are.equal('', err)
      assert.are.equal(0, code)
      assert.are.equal('ok', out)
    end)
end)
