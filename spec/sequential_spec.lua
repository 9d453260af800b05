-- Sequential code (issue 11): tasks (net.spawn, the main chunk, REPL
-- lines), socket:read / readUntil / lines on the socket's one buffer,
-- timeouts and limits that consume nothing, wake-ups on destroy, end and
-- reset, one reader at a time, emitter:wait, server:accept, timers.sleep,
-- <close> with task:cancel(). Over real sockets on 127.0.0.1.
local h = require('spec.helpers')
local net, expect, timers = h.net, h.expect, h.timers
local EventEmitter = h.luanet.events

local KiB, MiB = 1024, 1024 * 1024

-- A connected pair: fn(a, b) runs as a task once the server's side a of
-- the client b is there.
local function pair(fn)
  local server, b
  server = h.listen(function(a)
    server:close()
    net.spawn(fn, a, b)
  end)
  b = net.connect(server:address().port, '127.0.0.1')
  b:setNoDelay(true)
  return b
end

-- Writes each piece to socket after gap ms (in a task), so that each
-- arrives in a read of its own; then ends it if told.
local function drip(socket, pieces, gap, finish)
  net.spawn(function()
    for _, piece in ipairs(pieces) do
      timers.sleep(gap or 5)
      socket:write(piece)
    end
    if finish then socket:end_() end
  end)
end

local function bytes(s)
  local list = {}
  for i = 1, #s do list[i] = s:sub(i, i) end
  return list
end

-- ---- 1. tasks ---------------------------------------------------------------

describe('net.spawn', function()
  it('runs the function at once with its arguments, until it first waits',
    function()
      local order = {}
      local t = net.spawn(function(a, b)
        order[#order + 1] = 'started ' .. a .. b
        timers.sleep(10)
        order[#order + 1] = 'woke'
      end, 'x', 'y')
      order[#order + 1] = 'returned'
      assert.is_false(t.done or false)
      h.run()
      assert.are.same({ 'started xy', 'returned', 'woke' }, order)
      assert.is_true(t.done)
    end)

  it('raises ERR_INVALID_ARG_TYPE without a function', function()
    local ok, err = pcall(net.spawn, 'nope')
    assert.is_false(ok)
    assert.are.equal('ERR_INVALID_ARG_TYPE', err.code)
  end)

  it("makes a task's error uncaught: 'uncaughtException' gets it",
    function()
      local process = h.process
      local got
      local function onUncaught(err) got = err end
      process:on('uncaughtException', onUncaught)
      net.spawn(function()
        timers.sleep(5)
        error('boom in a task')
      end)
      net.spawn(function() error({ code = 'MINE' }) end) -- before a wait
      local after = true -- the spawner went on
      h.run()
      process:off('uncaughtException', onUncaught)
      assert.is_true(after)
      assert.matches('boom in a task$', got)
    end)

  it("makes a task's error uncaught: luanet.run() raises it without a " ..
    'listener', function()
      net.spawn(function()
        timers.sleep(5)
        error('unheard')
      end)
      local ok, err = pcall(h.luanet.run)
      assert.is_false(ok)
      assert.matches('unheard$', err)
      h.run()
    end)

  it('prints an uncaught error of a task with its traceback, and exits 1',
    function()
      local script = h.script([[
local timers = require('timers')
local function deep() error('deep in a task') end
require('net').spawn(function()
  timers.sleep(5)
  deep()
end)
]])
      local out, err, code = h.exec({ script })
      os.remove(script)
      assert.are.equal(1, code)
      assert.are.equal('', out)
      assert.matches("^Uncaught Error: [^\n]*:2: deep in a task\n" ..
        "stack traceback:\n\t%[C%]: in function 'error'\n" ..
        "\t[^\n]*:2: in upvalue 'deep'\n\t[^\n]*:5: in function <[^\n]*:3>\n$",
        err)
    end)

  it('raises ERR_NOT_IN_COROUTINE in a listener, naming net.spawn',
    function()
      local got
      local e = EventEmitter()
      e:on('x', function()
        local ok, err = pcall(timers.sleep, 10)
        got = not ok and err
      end)
      e:emit('x')
      assert.are.equal('ERR_NOT_IN_COROUTINE', got.code)
      assert.matches('net.spawn', got.message, 1, true)
      -- and in a coroutine of the user's own inside a task
      net.spawn(function()
        local ok, err = coroutine.wrap(function()
          return pcall(e.wait, e, 'y')
        end)()
        assert.is_false(ok)
        assert.are.equal('ERR_NOT_IN_COROUTINE', err.code)
      end)
      -- and in a stock lua5.4 main chunk
      local p = assert(io.popen('lua5.4 -e ' .. h.shellQuote(
        "package.cpath = '" .. h.build .. "/?.so;' .. package.cpath " ..
        "local luanet = require('luanet') " ..
        "local ok, err = pcall(luanet.timers.sleep, 10) " ..
        "io.write(err.code)")))
      assert.are.equal('ERR_NOT_IN_COROUTINE', p:read('a'))
      p:close()
      h.run()
    end)

  it('runs the main chunk of a script as a task: it may wait at top level',
    function()
      local script = h.script([[
local net, timers = require('net'), require('timers')
local server <close> = net.createServer(function(s) s:end_('hello\nbye\n') end)
server:listen(0, '127.0.0.1')
local c = net.connect(server:address().port, '127.0.0.1')
assert(c:wait('connect', { timeout = 2000 }))
timers.sleep(10)
for line in c:lines() do print(line) end
print('done')
]])
      local out, err, code = h.exec({ script })
      os.remove(script)
      assert.are.equal('', err)
      assert.are.equal(0, code)
      assert.are.equal('hello\nbye\ndone\n', out)
    end)

  it('raises the main chunk error before its first wait as ever, and one ' ..
    'after it as uncaught', function()
      local script = h.script(
        "process.nextTick(function() print('tick') end)\n" ..
        "error('at once')\n")
      local out, err, code = h.exec({ script })
      assert.are.equal(1, code)
      assert.are.equal('', out) -- nothing more runs, as before
      assert.matches('^Uncaught Error: [^\n]*:2: at once\nstack traceback:\n' ..
        "\t%[C%]: in function 'error'\n\t[^\n]*:2: in main chunk\n$", err)
      script = h.script("require('timers').sleep(5)\nerror('later')\n")
      out, err, code = h.exec({ script })
      os.remove(script)
      assert.are.equal(1, code)
      assert.are.equal('', out)
      assert.matches("^Uncaught Error: [^\n]*:2: later\nstack traceback:\n" ..
        "\t%[C%]: in function 'error'\n\t[^\n]*:2: in main chunk\n$", err)
    end)
end)

describe('a REPL line', function()
  it('may wait; the next line runs once it has printed', function()
    -- a server made in one line answers the task of the next line, which
    -- waits for its connection and its line (the lines come through a
    -- pipe: see the report of issue 11 for a file as standard input)
    local input = os.tmpname()
    local f = assert(io.open(input, 'w'))
    f:write(table.concat({
      "s = net.createServer(function(c) c:end_('hi\\n') end)",
      "s:listen(0, '127.0.0.1')",
      "c = net.connect(s:address().port, '127.0.0.1') " ..
        "assert(c:wait('connect')) timers.sleep(20) print('got', c:read())",
      "print('next') s:close()",
    }, '\n') .. '\n')
    f:close()
    local p = assert(io.popen('cat ' .. input .. ' | timeout 20 ' ..
      h.shellQuote(h.exe) .. ' -i 2>&1'))
    local out = p:read('a')
    local _, _, code = p:close()
    os.remove(input)
    assert.are.equal(0, code)
    assert.matches('> got\thi\n> next\n> \n$', out)
  end)
end)

-- ---- 6. <close> and task:cancel() -------------------------------------------

describe('task:cancel()', function()
  it('closes the coroutine: its <close> socket is destroyed and the read ' ..
    'lets go', function()
      local server, closedInTask = nil, false
      server = h.listen(function(s)
        server:close()
        s:on('error', function() end)
      end)
      local scoped
      local t = net.spawn(function()
        local c <close> = net.connect(server:address().port, '127.0.0.1')
        scoped = c
        local _ <close> = setmetatable({}, { __close = function()
          closedInTask = true
        end })
        c:read() -- waits: the server sends nothing
        error('never here')
      end)
      local closes = 0
      scoped:on('close', expect(function() closes = closes + 1 end))
      scoped:on('error', expect(function(err)
        assert.are.equal('AbortError', err.name) -- Node's asyncDispose
      end))
      timers.setTimeout(function()
        assert.is_true(t:cancel())
        assert.is_true(closedInTask)
        assert.is_true(scoped.destroyed)
        assert.is_false(t:cancel()) -- done already
      end, 20)
      h.run()
      assert.are.equal(1, closes)
    end)

  it('lets go of a read on a socket that stays open: its timeout stops, ' ..
    'and the next task reads it', function()
      local server
      server = h.listen(function(s)
        server:close()
        timers.setTimeout(function() s:end_('late\n') end, 60)
      end)
      local c = net.connect(server:address().port, '127.0.0.1')
      local t = net.spawn(function()
        c:read({ timeout = 30 })
        error('never here')
      end)
      net.spawn(expect(function()
        timers.sleep(10)
        assert.is_true(t:cancel())
        timers.sleep(40) -- past the cancelled read's timeout
        assert.are.equal('late', c:read()) -- not ERR_SOCKET_BUSY_READING
        c:destroy()
      end))
      h.run()
    end)

  it('stops a sleep and a server, leaving nothing open', function()
    local t = net.spawn(function()
      local server <close> = net.createServer()
      server:listen(0, '127.0.0.1')
      server:accept()
    end)
    local t2 = net.spawn(function() timers.sleep(60000) end)
    timers.setTimeout(function()
      t:cancel()
      t2:cancel()
    end, 10)
    local started = os.time()
    h.run(5)
    assert.is_true(os.time() - started < 3)
  end)

  it('raises for the running task', function()
    local t
    t = net.spawn(function()
      timers.sleep(1)
      local ok, err = pcall(t.cancel, t)
      assert.is_false(ok)
      assert.are.equal('ERR_TASK_RUNNING', err.code)
    end)
    h.run()
  end)
end)

-- ---- 2. formats at chunk boundaries -----------------------------------------

describe('socket:read', function()
  it("reads a line that comes one byte at a time ('l')", function()
    local line = 'a line that comes one byte at a time'
    local b = pair(expect(function(a)
      assert.are.equal(line, a:read())
      assert.are.equal(line, a:read('l'))
      assert.is_nil(a:read())
      a:end_()
    end))
    drip(b, bytes(line .. '\n' .. line .. '\n'), 2, true)
    h.run()
  end)

  it("takes off only the final \\r of a \\r\\n split between reads, and " ..
    "'L' keeps it", function()
      local b = pair(expect(function(a)
        assert.are.equal('first', a:read())
        assert.are.equal('second\r\n', a:read('L'))
        assert.are.equal('third\r', a:read()) -- "third\r\r\n"
        assert.are.equal('no end', a:read()) -- the last, unended, once
        assert.is_nil(a:read())
        a:end_()
      end))
      drip(b, { 'first\r', '\nsecond\r', '\n', 'third\r\r', '\nno end' }, 5,
        true)
      h.run()
    end)

  it("reads exactly n bytes, fewer only at the end, and 'a' to the end",
    function()
      local b = pair(expect(function(a)
        assert.are.equal('', a:read(0))
        assert.are.equal('abc', a:read(3))
        assert.are.equal('defgh', a:read(5)) -- across three reads
        assert.are.equal('ij\nkl', a:read('a'))
        assert.is_nil(a:read(3))
        assert.is_nil(a:read(0))
        assert.is_nil(a:read('a'))
        a:end_()
      end))
      drip(b, { 'abcd', 'ef', 'g', 'hij\n', 'kl' }, 5, true)
      h.run()
    end)

  it('gives n bytes at the end as they are, then nil', function()
    local b = pair(expect(function(a)
      assert.are.equal('xy', a:read(10))
      assert.is_nil(a:read(10))
      a:end_()
    end))
    drip(b, { 'x', 'y' }, 5, true)
    h.run()
  end)

  it('refuses a 1 MiB line over the default max, consuming nothing; a ' ..
    'larger max reads it', function()
      local line = string.rep('x', MiB)
      local b = pair(expect(function(a)
        local v, err = a:read()
        assert.is_nil(v)
        assert.are.equal('ERR_READ_TOO_LONG', err.code)
        assert.are.equal(64 * KiB, a.readableLength) -- nothing consumed
        v, err = a:read('l', { max = 2 * MiB })
        assert.is_nil(err)
        assert.is_true(v == line, 'the line came whole')
        assert.are.equal('after', a:read())
        a:end_()
      end))
      b:end_(line .. '\nafter\n')
      h.run()
    end)

  it('bounds a line with its end of line by opts.max', function()
    local b = pair(expect(function(a)
      assert.are.equal('ERR_READ_TOO_LONG',
        select(2, a:read('l', { max = 4 })).code) -- 'abcd\n' is 5
      assert.are.equal('abcd', a:read('l', { max = 5 }))
      a:end_()
    end))
    b:end_('abcd\n')
    h.run()
  end)

  it('raises for a bad format or options', function()
    local b = pair(expect(function(a)
      for _, case in ipairs({ { 'x' }, { 'n' }, { -1 }, { 1.5 }, { {}, 5 },
        { 'l', { timeout = 'soon' } }, { 'l', { max = -1 } }, { true } }) do
        local ok, err = pcall(a.read, a, case[1], case[2])
        assert.is_false(ok)
        assert.matches('^ERR_INVALID_ARG_', err.code)
      end
      a:end_()
    end))
    b:end_()
    h.run()
  end)

  it('returns what the buffer holds outside a task, or nil, never waiting',
    function()
      local server, c
      server = h.listen(function(a)
        server:close()
        a:write('one\ntw')
        -- the rest and the end once the client has looked (it says 'go')
        a:on('data', function() a:end_('o') end)
      end)
      c = net.connect(server:address().port, '127.0.0.1')
      local last
      h.waitFor(function() return c.readableLength >= 6 end, function()
        assert.are.equal('one', c:read())
        assert.is_nil(c:read()) -- 'tw' is not a line yet
        assert.is_nil(c:read(3))
        assert.are.equal(2, c.readableLength)
        c:write('go')
        -- nil until the end comes, then the last line
        h.waitFor(function()
          last = c:read()
          return last ~= nil
        end, expect(function()
          assert.are.equal('two', last) -- the last line, at the end
          assert.is_nil(c:read())
        end))
      end)
      c:on('end', expect(function()
        assert.is_true(c.readableEnded)
      end))
      h.run()
    end)
end)

describe('socket:readUntil and socket:lines', function()
  it('reads up to a delimiter split between reads, with it when inclusive',
    function()
      local b = pair(expect(function(a)
        assert.are.equal('head', a:readUntil('\r\n\r\n'))
        assert.are.equal('one--', a:readUntil('--', { inclusive = true }))
        assert.are.equal('rest', a:readUntil('--'))
        assert.is_nil(a:readUntil('--'))
        a:end_()
      end))
      drip(b, { 'head\r', '\n\r', '\none-', '-rest' }, 5, true)
      h.run()
    end)

  it('iterates lines to the end of the stream', function()
    local b = pair(expect(function(a)
      local got = {}
      for line in a:lines() do got[#got + 1] = line end
      assert.are.same({ 'a', 'b', '', 'c' }, got)
      a:end_()
    end))
    drip(b, { 'a\nb', '\n\n', 'c' }, 5, true)
    h.run()
  end)

  it('iterates n bytes at a time', function()
    local b = pair(expect(function(a)
      local got = {}
      for chunk in a:lines(2) do got[#got + 1] = chunk end
      assert.are.same({ 'ab', 'cd', 'e' }, got)
      a:end_()
    end))
    b:end_('abcde')
    h.run()
  end)

  it("raises a failure from the iterator", function()
    local b = pair(expect(function(a)
      local ok, err = pcall(function()
        for _ in a:lines('l', { timeout = 20 }) do end
      end)
      assert.is_false(ok)
      assert.are.equal('ETIMEDOUT', err.code)
      a:destroy()
    end))
    b:on('error', function() end)
    h.run()
  end)
end)

-- ---- 3. timeouts and failures -----------------------------------------------

describe('a read with opts.timeout', function()
  it('returns nil, ETIMEDOUT and consumes nothing; the next read gets it all',
    function()
      local b = pair(expect(function(a)
        local v, err = a:read('l', { timeout = 30 })
        assert.is_nil(v)
        assert.are.equal('ETIMEDOUT', err.code)
        assert.are.equal('read', err.syscall)
        assert.are.equal(5, a.readableLength) -- 'half ' is still there
        v, err = a:read(12, { timeout = 20 })
        assert.is_nil(v)
        assert.are.equal('ETIMEDOUT', err.code)
        assert.are.equal('half a line', a:read('l', { timeout = 2000 }))
        assert.are.equal('!', a:read())
        a:end_()
      end))
      b:write('half ')
      timers.setTimeout(function() b:end_('a line\n!') end, 100)
      h.run()
    end)

  it('bounds the whole call, not each chunk', function()
    local b = pair(expect(function(a)
      local started = h.process.hrtime()
      local v, err = a:read('l', { timeout = 60 })
      local took = h.process.hrtime(started)
      assert.is_nil(v)
      assert.are.equal('ETIMEDOUT', err.code)
      assert.is_true(took[1] == 0 and took[2] < 200e6, 'took too long')
      a:destroy()
    end))
    b:on('error', function() end)
    drip(b, bytes('drip drip drip drip drip drip'), 10)
    h.run()
  end)

  it("wakes with ETIMEDOUT when the socket's idle timeout fires, after " ..
    "the 'timeout' listeners", function()
      local order = {}
      local b = pair(expect(function(a)
        a:setTimeout(30, function() order[#order + 1] = 'listener' end)
        local v, err = a:read()
        order[#order + 1] = 'read'
        assert.is_nil(v)
        assert.are.equal('ETIMEDOUT', err.code)
        assert.is_false(a.destroyed) -- still usable
        assert.are.equal('late', a:read())
        a:end_()
      end))
      timers.setTimeout(function() b:end_('late\n') end, 80)
      h.run()
      assert.are.same({ 'listener', 'read' }, order)
    end)
end)

describe('a read that waits', function()
  it('wakes with what is buffered, then nil, ERR_SOCKET_CLOSED, when ' ..
    'another task destroys the socket', function()
      local reader
      local b = pair(function(a)
        reader = a
        assert.are.equal('partial', a:read())
        local v, err = a:read()
        assert.is_nil(v)
        assert.are.equal('ERR_SOCKET_CLOSED', err.code)
        v, err = a:read()
        assert.is_nil(v)
        assert.are.equal('ERR_SOCKET_CLOSED', err.code)
      end)
      b:write('partial')
      net.spawn(function()
        timers.sleep(30)
        reader:destroy()
      end)
      b:on('error', function() end)
      h.run()
    end)

  it('wakes with the error a listener destroys the socket with', function()
    local b = pair(expect(function(a)
      timers.setTimeout(function()
        a:destroy({ code = 'MINE' })
      end, 20)
      local v, err = a:read()
      assert.is_nil(v)
      assert.are.equal('MINE', err.code)
    end))
    b:on('error', function() end)
    h.run()
  end)

  it('wakes with nil when the peer ends, after what it sent', function()
    local b = pair(expect(function(a)
      assert.are.equal('bye', a:read())
      assert.is_nil(a:read())
      assert.is_nil(a:read())
    end))
    b:write('bye')
    timers.setTimeout(function() b:end_() end, 20)
    h.run()
  end)

  it('wakes with nil when another task ends the socket and the peer ' ..
    'ends in turn', function()
      local reader
      local b = pair(function(a)
        reader = a
        assert.is_nil(a:read())
      end)
      b:on('end', expect(function() end)) -- b ends too (no allowHalfOpen)
      net.spawn(function()
        timers.sleep(20)
        reader:end_()
      end)
      h.run()
    end)

  it('wakes with ECONNRESET when the peer resets, and with ' ..
    'ERR_SOCKET_CLOSED for resetAndDestroy from another task', function()
      local b = pair(expect(function(a)
        local v, err = a:read()
        assert.is_nil(v)
        assert.are.equal('ECONNRESET', err.code)
        assert.is_true(a.destroyed)
      end))
      timers.setTimeout(function() b:resetAndDestroy() end, 20)
      h.run()
      local reader
      b = pair(function(a)
        reader = a
        local v, err = a:read()
        assert.is_nil(v)
        assert.are.equal('ERR_SOCKET_CLOSED', err.code)
      end)
      b:on('error', function() end)
      net.spawn(function()
        timers.sleep(20)
        reader:resetAndDestroy()
      end)
      h.run()
    end)

  it('returns the error an idle socket got between reads, never raising it',
    function()
      local b = pair(expect(function(a)
        assert.are.equal('one', a:read())
        timers.sleep(50) -- the reset comes meanwhile
        local v, err = a:read()
        assert.is_nil(v)
        assert.are.equal('ECONNRESET', err.code)
      end))
      b:write('one\n')
      timers.setTimeout(function() b:resetAndDestroy() end, 20)
      h.run()
    end)
end)

-- ---- 4. one consumer at a time ----------------------------------------------

describe('one reader at a time', function()
  it('gives a second task ERR_SOCKET_BUSY_READING', function()
    local b = pair(function(a)
      net.spawn(expect(function()
        assert.are.equal('for the first', a:read())
      end))
      local v, err = a:read()
      assert.is_nil(v)
      assert.are.equal('ERR_SOCKET_BUSY_READING', err.code)
      timers.sleep(30)
      assert.are.equal('then the second', a:read())
      a:end_()
    end)
    timers.setTimeout(function()
      b:end_('for the first\nthen the second\n')
    end, 10)
    h.run()
  end)

  it("gives ERR_SOCKET_FLOWING while 'data' or pipe() consume the socket",
    function()
      local b = pair(expect(function(a)
        a:on('data', function() end)
        local v, err = a:read()
        assert.is_nil(v)
        assert.are.equal('ERR_SOCKET_FLOWING', err.code)
        a:pause() -- paused, it may be read
        assert.are.equal('ETIMEDOUT',
          select(2, a:read(0, { timeout = 10 })).code)
        a:removeAllListeners('data')
        local sink = net.Socket()
        a:pipe(sink)
        assert.are.equal('ERR_SOCKET_FLOWING', select(2, a:read()).code)
        a:unpipe(sink)
        a:destroy()
        sink:destroy()
      end))
      b:on('error', function() end)
      h.run()
    end)
end)

describe('a read on a socket destroyed, then connected again', function()
  it('reads the new connection (Node undestroys it on connect)', function()
    local server = h.listen(function(s) s:end_('hello\n') end)
    local c = net.Socket()
    net.spawn(expect(function()
      c:destroy()
      assert.are.equal('ERR_SOCKET_CLOSED', select(2, c:read()).code)
      c:connect(server:address().port, '127.0.0.1')
      assert.is_true(c:wait('connect', { timeout = 2000 }))
      assert.are.equal('hello', c:read({ timeout = 2000 }))
      assert.is_nil(c:read({ timeout = 2000 }))
      server:close()
    end))
    h.run()
  end)
end)

describe("a task's read and socket:removeAllListeners()", function()
  it('keeps its wake-ups, while it waits and at its next read', function()
    local reader, got = nil, {}
    local b = pair(expect(function(a)
      reader = a
      got[1] = a:read() -- waits while every listener is removed
      a:on('removeListener', function() end)
      a:removeAllListeners() -- (one event at a time, as Node does then)
      assert.are.equal(0, a:listenerCount('removeListener'))
      got[2] = a:read()
      got[3] = a:read()
      a:end_()
    end))
    b:on('connect', function()
      timers.setTimeout(function()
        reader:removeAllListeners()
        b:write('one\n')
        timers.setTimeout(function() b:end_('two\n') end, 20)
      end, 20)
    end)
    h.run()
    assert.are.same({ 'one', 'two' }, got)
  end)
end)

describe('socket:drain', function()
  it('returns at once below the mark, and waits for drain above it',
    function()
      local b = pair(expect(function(a)
        assert.is_true(a:drain())
        -- until the queue reaches the mark: the kernel takes megabytes
        -- first (the loop does not run meanwhile, so b reads nothing), and
        -- a write it takes whole leaves nothing queued, as Node's
        local chunk = string.rep('x', MiB)
        for _ = 1, 256 do
          if a.writableLength >= a.writableHighWaterMark then break end
          a:write(chunk)
        end
        assert.is_true(a.writableLength >= a.writableHighWaterMark)
        assert.is_true(a:drain({ timeout = 5000 }))
        assert.is_true(a.writableLength < a.writableHighWaterMark)
        a:end_()
      end))
      b:resume()
      h.run()
    end)
end)

-- ---- 5. waiting for events, connections and time ----------------------------

describe('emitter:wait', function()
  it("returns the event's arguments, true for none", function()
    local e = EventEmitter()
    net.spawn(expect(function()
      local got = table.pack(e:wait('x'))
      assert.are.equal(3, got.n)
      assert.are.same({ 1, nil, 3 }, { got[1], got[2], got[3] })
      assert.is_true(e:wait('y'))
    end))
    timers.setTimeout(function() e:emit('x', 1, nil, 3) end, 5)
    timers.setTimeout(function() e:emit('y') end, 10)
    h.run()
    assert.are.equal(0, e:listenerCount('x'))
    assert.are.equal(0, e:listenerCount('error'))
  end)

  it("returns nil, err for an 'error' meanwhile, and ETIMEDOUT after " ..
    'opts.timeout', function()
      local e = EventEmitter()
      net.spawn(expect(function()
        local v, err = e:wait('x')
        assert.is_nil(v)
        assert.are.equal('boom', err.message)
        v, err = e:wait('x', { timeout = 20 })
        assert.is_nil(v)
        assert.are.equal('ETIMEDOUT', err.code)
        assert.are.equal(0, e:listenerCount('error'))
      end))
      timers.setTimeout(function()
        e:emit('error', { message = 'boom' })
      end, 5)
      h.run()
    end)

  it("waits for a socket's connect, and gets its error", function()
    local server = h.listen()
    local port = server:address().port
    server:close()
    net.spawn(expect(function()
      local c = net.connect(port, '127.0.0.1')
      local ok, err = c:wait('connect', { timeout = 2000 })
      assert.is_nil(ok)
      assert.are.equal('ECONNREFUSED', err.code)
    end))
    h.run()
  end)
end)

describe('server:accept', function()
  it('holds the connections that came while no task waited, in order',
    function()
      local seen = 0
      net.spawn(expect(function()
        local server <close> = net.createServer()
        server:listen(0, '127.0.0.1')
        local port = server:address().port
        local c1 = net.connect(port, '127.0.0.1')
        c1:on('connect', function() c1:write('first\n') end)
        timers.sleep(30)
        local c2 = net.connect(port, '127.0.0.1')
        c2:on('connect', function() c2:write('second\n') end)
        timers.sleep(30)
        server:on('connection', function() seen = seen + 1 end)
        local a = server:accept()
        assert.are.equal(c1.localPort, a.remotePort)
        assert.are.equal('first', a:read())
        local b = server:accept()
        assert.are.equal('second', b:read())
        local c3 = net.connect(port, '127.0.0.1')
        local c = server:accept() -- a listener sees it, and accept too
        assert.are.equal(c3.localPort, c.remotePort)
        assert.are.equal(1, seen)
        local v, err = server:accept({ timeout = 20 })
        assert.is_nil(v)
        assert.are.equal('ETIMEDOUT', err.code)
        for _, s in ipairs({ a, b, c, c1, c2, c3 }) do s:destroy() end
      end))
      h.run()
    end)

  it('wakes with ERR_SERVER_NOT_RUNNING when the server closes', function()
    local server = net.createServer()
    server:listen(0, '127.0.0.1')
    net.spawn(expect(function()
      local v, err = server:accept()
      assert.is_nil(v)
      assert.are.equal('ERR_SERVER_NOT_RUNNING', err.code)
      v, err = server:accept()
      assert.is_nil(v)
      assert.are.equal('ERR_SERVER_NOT_RUNNING', err.code)
    end))
    timers.setTimeout(function() server:close() end, 10)
    h.run()
  end)
end)

describe('timers.sleep', function()
  it('waits, and is not a global', function()
    net.spawn(expect(function()
      local t = h.process.hrtime()
      timers.sleep(30)
      local took = h.process.hrtime(t)
      assert.is_true(took[2] >= 25e6 or took[1] > 0)
    end))
    h.run()
    assert.is_nil(rawget(timers, 'sleep')) -- the host makes no global of it
    assert.are.equal('function', type(timers.sleep))
  end)
end)

-- ---- 'readable', as Node's --------------------------------------------------

describe('process.stdin:lines()', function()
  -- The script: counts the lines of its standard input and their bytes,
  -- prints the first and the last, read `for line in process.stdin:lines()`.
  local SCRIPT = [[
local n, bytes, first, last = 0, 0, nil, nil
for line in process.stdin:lines() do
  n, bytes = n + 1, bytes + #line
  first, last = first or line, line
end
print(n, bytes, first, last)
]]
  -- 20000 lines of 1 to 99 bytes (about 1 MiB: many reads, lines cut
  -- between them), \r\n ends some, the last is unended.
  local lines, size = {}, 0
  for i = 1, 20000 do
    lines[i] = ('%d'):format(i) .. ('x'):rep(i % 95)
    size = size + #lines[i]
    if i % 7 == 0 then lines[i] = lines[i] .. '\r' end
  end
  local input = table.concat(lines, '\n')
  local expected = ('20000\t%d\t1x\t20000%s\n'):format(size,
    ('x'):rep(20000 % 95))

  it('reads a pipe to its end, line by line, at top level', function()
    local script, file = h.script(SCRIPT), os.tmpname()
    local f = assert(io.open(file, 'wb'))
    f:write(input)
    f:close()
    local p = assert(io.popen('cat ' .. file .. ' | timeout 20 ' ..
      h.shellQuote(h.exe) .. ' ' .. script .. ' 2>&1'))
    local out = p:read('a')
    p:close()
    os.remove(script)
    os.remove(file)
    assert.are.equal(expected, out)
  end)

  it('reads a file given as standard input, and an empty one', function()
    local script = h.script(SCRIPT)
    local out, err, code = h.exec({ script }, input)
    assert.are.equal('', err)
    assert.are.equal(0, code)
    assert.are.equal(expected, out)
    out, err, code = h.exec({ script }, '')
    os.remove(script)
    assert.are.equal('', err)
    assert.are.equal(0, code)
    assert.are.equal('0\t0\tnil\tnil\n', out)
  end)
end)

describe("a 'readable' listener", function()
  it('sees the data and the end as Node 22 shows them', function()
    -- Node 22 prints "isPaused true", "readable hi", "readable null",
    -- "end" for:
    --   const server = net.createServer((s) => {
    --     server.close(); s.end('hi'); });
    --   server.listen(0, '127.0.0.1', () => {
    --     const c = net.connect(server.address().port, '127.0.0.1');
    --     c.on('readable', () => console.log('readable', c.read()...));
    --     console.log('isPaused', c.isPaused());
    --     c.on('end', () => console.log('end'));
    --   });
    -- read() (everything buffered) is read('a') outside a task.
    local got = {}
    local server
    server = h.listen(function(s) server:close() s:end_('hi') end)
    local c = net.connect(server:address().port, '127.0.0.1')
    c:on('readable', function()
      got[#got + 1] = 'readable ' .. tostring(c:read('a'))
    end)
    got[#got + 1] = 'isPaused ' .. tostring(c:isPaused())
    c:on('end', function() got[#got + 1] = 'end' end)
    h.run()
    assert.are.same({ 'isPaused true', 'readable hi', 'readable nil', 'end' },
      got)
  end)

  it("holds a 'data' listener added after it, which flows once the " ..
    "'readable' listener is gone, as in Node", function()
      -- Node 22: with on('readable', f) then on('data', g), readableFlowing
      -- is false; off('readable', f) makes it flow, and g gets the data.
      local got = {}
      local server
      server = h.listen(function(s) server:close() s:end_('hi\nthere\n') end)
      local c = net.connect(server:address().port, '127.0.0.1')
      local f = function() end
      c:on('readable', f)
      c:on('data', function(d) got[#got + 1] = d end)
      timers.setTimeout(function()
        assert.are.same({}, got)
        c:off('readable', f)
      end, 50)
      h.run()
      assert.are.equal('hi\nthere\n', table.concat(got))
    end)
end)

-- ---- memory -----------------------------------------------------------------

describe('a task waiting on a read', function()
  -- A task is a Lua coroutine, and Lua 5.4 makes none smaller than about
  -- 1 KiB (its least stack): what a waiting read adds to that is what
  -- luanet holds, measured once the socket has its reader state.
  it('holds at most 1 KiB beyond a bare coroutine', function()
    local N = 200
    local server = h.listen(function(s) s:on('error', function() end) end)
    local port = server:address().port
    local clients = {}
    for i = 1, N do clients[i] = net.connect(port, '127.0.0.1') end
    local up = 0
    for i = 1, N do clients[i]:on('connect', function() up = up + 1 end) end
    local function count()
      collectgarbage()
      collectgarbage()
      return collectgarbage('count') * 1024
    end
    local function readLine(c) return c:read() end
    local per, bare
    h.waitFor(function() return up == N end, function()
      server:close()
      local tasks = {}
      for i = 1, N do tasks[i] = net.spawn(readLine, clients[i]) end
      for i = 1, N do tasks[i]:cancel() end -- the sockets keep their state
      local before = count()
      for i = 1, N do tasks[i] = net.spawn(readLine, clients[i]) end
      per = (count() - before) / N
      local cos = {}
      before = count()
      for i = 1, N do
        cos[i] = coroutine.create(coroutine.yield)
        coroutine.resume(cos[i])
      end
      bare = (count() - before) / N
      for i = 1, N do
        tasks[i]:cancel()
        clients[i]:destroy()
      end
    end)
    h.run()
    assert.is_true(per <= bare + 1024, ('%.0f bytes per waiting task, ' ..
      'a bare coroutine %.0f'):format(per, bare))
  end)
end)
