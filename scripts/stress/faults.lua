-- Peer faults against a luanet server, server and peers in this one
-- process over real sockets on 127.0.0.1. Each case prints its figures,
-- "FAIL: ..." for each check that fails, and exits 1 if one did (a crash
-- shows as a signal or a sanitizer report).
--   luanet faults.lua CASE [short]
-- CASE: rst (peers reset mid-write), halfclose (peers end their side and
-- still read), loris (slow and silent peers against an idle timeout),
-- closemid (server:close() mid-transfer).
local net = require('net')
local case, short = process.argv[3], process.argv[4] == 'short'
local KiB, MiB = 1024, 1024 * 1024
local failures = 0

local function fail(message)
  print('  FAIL: ' .. message)
  failures = failures + 1
end

local function check(ok, message)
  if not ok then fail(message) end
end

local function fds()
  local p = io.popen('ls /proc/' .. process.pid .. '/fd | wc -l')
  local n = tonumber(p:read('a')) - 1 -- less the pipe ls writes to
  p:close()
  return n
end

-- Milliseconds of a monotonic clock.
local function now()
  return process.hrtime.bigint() / 1e6
end

local function rss()
  return process.memoryUsage.rss() // KiB
end

local function counts(t)
  local parts = {}
  for k, v in pairs(t) do parts[#parts + 1] = k .. ' ' .. v end
  table.sort(parts)
  return #parts > 0 and table.concat(parts, ', ') or 'none'
end

-- The descriptors open once the first server listens (libuv then opens a
-- reserve descriptor for running out of them, kept to the end).
local fds0
local function baseline()
  fds0 = fds0 or fds()
end

local cases = {}

-- ---- rst: peers reset while the server writes -----------------------------

-- The server writes 64 KiB chunks as fast as the peer takes them; each
-- peer reads 1 MiB, then resets the connection (RST). Every server socket
-- must end in 'error' then 'close', every write callback must be called
-- once, and nothing may be left open.
function cases.rst()
  local n = short and 30 or 300
  local chunk = string.rep('r', 64 * KiB)
  local writes, callbacks, closed, hadError = 0, 0, 0, 0
  local codes, cbcodes = {}, {}
  local server
  server = net.createServer(function(s)
    local function pump()
      while not s.destroyed and s.writable do
        writes = writes + 1
        local ok = s:write(chunk, function(err)
          callbacks = callbacks + 1
          if err then cbcodes[err.code] = (cbcodes[err.code] or 0) + 1 end
        end)
        if not ok then return s:once('drain', pump) end
      end
    end
    s:on('error', function(err)
      codes[err.code] = (codes[err.code] or 0) + 1
    end)
    s:on('close', function(e)
      closed = closed + 1
      if e then hadError = hadError + 1 end
      if closed == n then server:close() end
    end)
    pump()
  end)
  local started = 0
  local function peer()
    started = started + 1
    local c, got = net.connect(server:address().port, '127.0.0.1'), 0
    c:on('data', function(d)
      got = got + #d
      if got >= MiB and not c.destroyed then
        c:resetAndDestroy()
        if started < n then peer() end
      end
    end)
    c:on('error', function(err) fail('peer error ' .. tostring(err.code)) end)
  end
  server:listen(0, '127.0.0.1', function()
    baseline()
    for _ = 1, math.min(10, n) do peer() end
  end)
  process:on('exit', function()
    print(('rst: %d peers reset after reading 1 MiB'):format(n))
    print(('  server sockets closed %d (with an error %d); errors: %s')
      :format(closed, hadError, counts(codes)))
    print(('  writes %d, callbacks %d (errors: %s)'):format(writes,
      callbacks, counts(cbcodes)))
    check(closed == n, 'not every server socket closed')
    check(hadError == n, "a reset socket closed without an 'error'")
    check(callbacks == writes, 'write callbacks lost or repeated')
  end)
end

-- ---- halfclose: peers end their side and still read -----------------------

-- allowHalfOpen: the peer sends a request and ends; the server reads it
-- to the end, then answers 1 MiB and ends. Without allowHalfOpen: the
-- server starts writing 1 MiB at once and, as Node does, ends its side
-- after the peer's end, once what it wrote is sent. No byte may be lost.
function cases.halfclose()
  local n = short and 20 or 200
  local request, response = 100 * KiB, MiB
  local chunk = string.rep('h', 16 * KiB)
  local results = { [true] = { ok = 0 }, [false] = { ok = 0 } }

  local function round(halfOpen, done)
    local closed, serverClosed = 0, 0
    local server
    server = net.createServer({ allowHalfOpen = halfOpen }, function(s)
      local got, sent = 0, 0
      local function answer()
        while sent < response do
          sent = sent + #chunk
          if not s:write(chunk) then return s:once('drain', answer) end
        end
        if halfOpen then s:end_() end
      end
      s:on('data', function(d) got = got + #d end)
      s:on('end', function()
        check(got == request, ('server read %d of %d'):format(got, request))
        if halfOpen then answer() end
      end)
      s:on('error', function(err)
        fail('server error ' .. tostring(err.code))
      end)
      s:on('close', function()
        serverClosed = serverClosed + 1
        if serverClosed == n then server:close(done) end
      end)
      if not halfOpen then answer() end
    end)
    server:listen(0, '127.0.0.1', function()
      baseline()
      for _ = 1, n do
        local c, got, ended = net.connect(server:address().port,
          '127.0.0.1'), 0, false
        c:on('connect', function()
          c:write(string.rep('q', request))
          c:end_()
        end)
        c:on('data', function(d) got = got + #d end)
        c:on('end', function() ended = true end)
        c:on('error', function(err)
          fail('peer error ' .. tostring(err.code))
        end)
        c:on('close', function()
          closed = closed + 1
          if got == response and ended then
            results[halfOpen].ok = results[halfOpen].ok + 1
          else
            fail(('allowHalfOpen %s: peer got %d of %d bytes%s'):format(
              halfOpen, got, response, ended and '' or ', no end'))
          end
        end)
      end
    end)
  end

  round(true, function() round(false, function() end) end)
  process:on('exit', function()
    print(('halfclose: %d peers each way send 100 KiB and end, then read 1 MiB')
      :format(n))
    print(('  allowHalfOpen true: %d whole; false: %d whole')
      :format(results[true].ok, results[false].ok))
    check(results[true].ok == n and results[false].ok == n,
      'bytes lost after a half-close')
  end)
end

-- ---- loris: slow and silent peers ------------------------------------------

-- A line-echo server drops connections idle for 500 ms (setTimeout).
-- Slow-loris peers send one byte every 100 ms and never a whole line;
-- silent peers send nothing; meanwhile an ordinary client sends lines and
-- times the answers. The silent ones must be dropped in time, the
-- ordinary client served promptly, memory bounded.
function cases.loris()
  local slow, silent = short and 50 or 500, short and 20 or 200
  local duration = short and 2000 or 10000
  local timeout = 500
  local rss0 = rss()
  local dropped, droppedLate, slowDropped = 0, 0, 0
  local latencies, rssMax = {}, rss0
  local server = net.createServer(function(s)
    local buffered = ''
    s:setTimeout(timeout, function() s:destroy() end)
    s:on('error', function() end)
    s:on('data', function(d)
      buffered = buffered .. d
      for line in buffered:gmatch('[^\n]*\n') do s:write(line) end
      buffered = buffered:match('[^\n]*$')
    end)
  end)
  local peers = {}
  server:listen(0, '127.0.0.1', function()
    baseline()
    local port = server:address().port
    local t0 = now()
    for _ = 1, slow do
      local c = net.connect(port, '127.0.0.1')
      c:on('error', function() end)
      c:on('close', function() slowDropped = slowDropped + 1 end)
      peers[#peers + 1] = c
    end
    local trickle = setInterval(function()
      for _, c in ipairs(peers) do
        if not c.destroyed then c:write('a') end
      end
      local r = rss()
      if r > rssMax then rssMax = r end
    end, 100)
    for _ = 1, silent do
      local c, opened = net.connect(port, '127.0.0.1'), nil
      c:on('connect', function() opened = now() end)
      c:on('error', function() end)
      c:on('end', function()
        dropped = dropped + 1
        if now() - opened > timeout + 1000 then
          droppedLate = droppedLate + 1
        end
      end)
    end
    local client = net.connect(port, '127.0.0.1')
    local sent
    local function ask()
      if now() - t0 > duration then
        client:destroy()
        clearInterval(trickle)
        for _, c in ipairs(peers) do c:destroy() end
        server:close()
        return
      end
      sent = now()
      client:write('ping\n')
    end
    client:on('connect', ask)
    client:on('data', function()
      latencies[#latencies + 1] = now() - sent
      setTimeout(ask, 10)
    end)
    client:on('error', function(err)
      fail('client error ' .. tostring(err.code))
    end)
  end)
  process:on('exit', function()
    table.sort(latencies)
    local median = latencies[#latencies // 2 + 1] or -1
    local worst = latencies[#latencies] or -1
    print(('loris: %d slow peers (a byte each 100 ms), %d silent, %d ms,' ..
      ' idle timeout %d ms'):format(slow, silent, duration, timeout))
    print(('  silent dropped %d (late %d); slow dropped before the end: %d')
      :format(dropped, droppedLate, slowDropped - slow))
    print(('  ordinary client: %d answers, median %.1f ms, worst %.1f ms')
      :format(#latencies, median, worst))
    print(('  rss %d KiB before, highest %d KiB'):format(rss0, rssMax))
    check(dropped == silent and droppedLate == 0,
      'silent peers not dropped by the idle timeout in time')
    check(#latencies > 10, 'the ordinary client was not served')
    check(median < 50, 'the ordinary client was slow')
    check(rssMax - rss0 < 16 * KiB, 'memory grew by more than 16 MiB')
  end)
end

-- ---- closemid: server:close() mid-transfer ---------------------------------

-- Each connection gets 4 MiB; once every peer is connected and the first
-- has half of its data, server:close(). New connections must be refused,
-- the transfers must finish whole, and 'close' must come once, after the
-- last connection.
function cases.closemid()
  local n, size = short and 10 or 50, 4 * MiB
  local chunk = string.rep('c', 64 * KiB)
  local whole, sockets, closeCalls, closeErr, live = 0, {}, 0, nil, nil
  local refused, connected, closing = nil, 0, false
  local server
  server = net.createServer(function(s)
    sockets[#sockets + 1] = s
    local sent = 0
    local function pump()
      while sent < size do
        sent = sent + #chunk
        if not s:write(chunk) then return s:once('drain', pump) end
      end
      s:end_()
    end
    s:on('error', function(err)
      fail('server socket error ' .. tostring(err.code))
    end)
    pump()
  end)
  server:listen(0, '127.0.0.1', function()
    baseline()
    local port = server:address().port
    for _ = 1, n do
      local c, got = net.connect(port, '127.0.0.1'), 0
      c:on('connect', function() connected = connected + 1 end)
      c:on('data', function(d)
        got = got + #d
        if not closing and connected == n and got >= size / 2 then
          closing = true
          server:close(function(err)
            -- As in Node: after the last connection is destroyed, before
            -- that socket's own 'close'.
            closeCalls, closeErr, live = closeCalls + 1, err, 0
            for _, x in ipairs(sockets) do
              if not x.destroyed then live = live + 1 end
            end
          end)
          local late = net.connect(port, '127.0.0.1')
          late:on('connect', function() refused = false late:destroy() end)
          late:on('error', function(err) refused = err.code end)
        end
      end)
      c:on('end', function()
        if got == size then whole = whole + 1 end
      end)
      c:on('error', function(err) fail('peer error ' .. tostring(err.code)) end)
    end
  end)
  process:on('exit', function()
    print(('closemid: %d peers of 4 MiB each, server:close() halfway')
      :format(n))
    print(('  whole transfers %d; a new connection after close: %s;' ..
      " 'close' %d time(s), with %s connections not destroyed")
      :format(whole, tostring(refused), closeCalls, tostring(live)))
    check(whole == n, 'transfers cut short by close()')
    check(refused == 'ECONNREFUSED',
      'a connection after close() was not refused')
    check(closeCalls == 1 and closeErr == nil and live == 0,
      "'close' not once, or before the last connection ended")
  end)
end

if not cases[case] then
  io.stderr:write('usage: luanet faults.lua ',
    'rst|halfclose|loris|closemid [short]\n')
  os.exit(2)
end
cases[case]()

-- Once everything has closed: descriptors back where they were while the
-- first server listened (it is closed by then).
process:on('exit', function()
  local n = fds()
  print(('  descriptors: %d with the server listening, %d at the end')
    :format(fds0 or -1, n))
  check(fds0 and n <= fds0, 'descriptors leaked')
  if failures > 0 then process.exitCode = 1 end
end)
