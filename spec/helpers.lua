-- What the specs share beside the public harness they run their tests
-- with (require('luanet.test'), loaded here): the module from the build,
-- ways to run build/luanet as a user would and to watch what it does
-- (exec, spawn, strace), waitFor to poll what no event tells, and the old
-- loop runner run()/expect() for the specs not yet on the harness.
local build = os.getenv('LUANET_BUILD') or 'build'
package.cpath = build .. '/?.so;' .. package.cpath

local luanet = require('luanet')
-- The public harness (lua/test.lua) the specs run their tests with: loaded
-- here, before any spec, so that it wraps net.createServer and the timers
-- before a spec keeps them in locals.
require('luanet.test')

-- Keep luanet.so loaded until the process ends: when busted closes its Lua
-- state, the finalizer of the registry's _CLIBS would unload the module
-- before LeakSanitizer and valgrind report at exit, and their stacks would
-- name no function of it.
setmetatable(debug.getregistry()._CLIBS, nil)

-- LUANET_GC_STRESS=incremental (or 1): the collector never rests (pause 0)
-- and takes a step at every allocation (2-byte steps, 10 times the usual
-- work each), so that an object dropped while libuv can still call it is
-- soon freed; =generational: the generational collector (stock lua5.4's
-- mode) with a minor collection every 1% of growth instead of 20%. ctest's
-- gcstress tests run the socket, server, timer and REPL specs so, under the
-- sanitizers. The luanet processes the specs start get the same settings
-- through LUA_INIT, which the host runs before a script.
local stress = os.getenv('LUANET_GC_STRESS') or ''
local STRESS = {
  incremental = "collectgarbage('incremental', 0, 1000, 1) " ..
    "collectgarbage('setpause', 0)", -- the first cannot set a pause of 0
  generational = "collectgarbage('generational', 1)",
}
STRESS['1'] = STRESS.incremental
if STRESS[stress] then
  assert(load(STRESS[stress]))()
elseif stress ~= '' and stress ~= '0' then
  error('LUANET_GC_STRESS is incremental, generational or unset, not ' ..
    stress)
end

local M = {
  luanet = luanet,
  net = luanet.net,
  timers = luanet.timers,
  process = luanet.process,
  build = build,
  -- what the specs run as build/luanet: LUANET_EXE may name a wrapper that
  -- runs it under a tool (scripts/valgrind)
  exe = os.getenv('LUANET_EXE') or build .. '/luanet',
}

if STRESS[stress] then M.process.env.LUA_INIT = STRESS[stress] end

local expectations = {}

---The old style, for the specs not yet on the harness (examples, repl,
---repl_reliability, repl_net, sequential, workers, proxy); the others use
---t.it and t.mustCall. Wraps fn (may be nil) so that M.run() checks it ran
---exactly count times (1 by default).
function M.expect(fn, count)
  local info = debug.getinfo(2, 'Sl')
  local e = { calls = 0, want = count or 1,
    where = info.short_src .. ':' .. info.currentline }
  expectations[#expectations + 1] = e
  return function(...)
    e.calls = e.calls + 1
    if fn then return fn(...) end
  end
end

---Runs the loop until nothing is left (failing after `seconds`, 10 by
---default), then checks every expect()ation and collects garbage.
function M.run(seconds)
  local timer = luanet.timers.setTimeout(function()
    error('the loop was still running after ' .. (seconds or 10) .. ' s')
  end, (seconds or 10) * 1000)
  timer:unref()
  local ok, err = pcall(luanet.run)
  luanet.timers.clearTimeout(timer)
  local list = expectations
  expectations = {}
  if not ok then
    -- Leave nothing behind for the next spec: close all, let it finish.
    luanet._closeAll()
    pcall(luanet.run)
    error(err, 0)
  end
  for _, e in ipairs(list) do
    assert(e.calls == e.want, string.format(
      'the callback made at %s ran %d times, expected %d', e.where, e.calls,
      e.want))
  end
  collectgarbage()
  collectgarbage()
  local left = luanet._handles()
  if left > 0 then
    luanet._closeAll()
    pcall(luanet.run)
    error(left .. ' handle(s) left open after the loop ended', 2)
  end
end

---A listening server on 127.0.0.1 (or host) and a free port; returns the
---server and its port.
function M.listen(listener, host, options)
  local server = luanet.net.createServer(options, listener)
  server:listen(0, host or '127.0.0.1')
  return server, server:address().port
end

local function readAll(path)
  local f = io.open(path, 'rb')
  if not f then return '' end
  local s = f:read('a')
  f:close()
  return s
end

M.readAll = readAll

---Writes source to a new temporary .lua file; returns its path.
function M.script(source)
  local path = os.tmpname() .. '.lua'
  local f = assert(io.open(path, 'w'))
  f:write(source)
  f:close()
  return path
end

---Runs fn with process.emitWarning recording; returns what it was given,
---as 'Kind: message' strings.
function M.warnings(fn)
  local process, got = luanet.process, {}
  local emitWarning = process.emitWarning
  process.emitWarning = function(message, kind)
    got[#got + 1] = kind .. ': ' .. message
  end
  local ok, err = pcall(fn)
  process.emitWarning = emitWarning
  if not ok then error(err, 0) end
  return got
end

-- ---- strace: what a script cannot read back, seen in its system calls ----

---Whether strace can trace here (it needs ptrace).
M.canTrace = os.execute('strace -qq -o /dev/null -e trace=none true ' ..
  '2>/dev/null') == true

---The setsockopt and listen calls of the strace log at path, in order, as
---'TCP_NODELAY 1', 'SO_KEEPALIVE 1', 'TCP_KEEPIDLE 3', 'listen 511'; only
---those named in the set names, if given.
function M.syscalls(path, names)
  local calls = {}
  local f = io.open(path)
  if not f then return calls end
  for line in f:lines() do
    local name, value =
      line:match('setsockopt%(%d+, [%w_]+, ([%w_]+), %[(%d+)%]')
    if not name then
      name, value = 'listen', line:match('listen%(%d+, (%d+)%)')
    end
    if value and (names == nil or names[name]) then
      calls[#calls + 1] = name .. ' ' .. value
    end
  end
  f:close()
  return calls
end

local function shellQuote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end
M.shellQuote = shellQuote

---Whether anything is at path: a Unix socket too, which io.open cannot
---open.
function M.exists(path)
  return os.execute('test -e ' .. shellQuote(path)) == true
end

---A new empty directory of the spec's own; returns its path.
function M.tempDir()
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute('mkdir ' .. shellQuote(dir)))
  return dir
end

---Runs build/luanet with the arguments (a list), standard input from the
---string stdin if given, under the command prefix (a list: a tracer) if
---given, killed after seconds (20). Returns stdout, stderr, exit code
---(124 when killed).
function M.exec(args, stdin, prefix, seconds)
  local out, err, input = os.tmpname(), os.tmpname(), os.tmpname()
  local f = assert(io.open(input, 'wb'))
  f:write(stdin or '')
  f:close()
  local cmd = { 'timeout', tostring(seconds or 20) }
  for _, a in ipairs(prefix or {}) do cmd[#cmd + 1] = shellQuote(a) end
  cmd[#cmd + 1] = M.exe
  for _, a in ipairs(args) do cmd[#cmd + 1] = shellQuote(a) end
  local command = table.concat(cmd, ' ') .. ' <' .. input .. ' >' .. out ..
    ' 2>' .. err
  local _, _, code = os.execute(command)
  local stdout, stderr = readAll(out), readAll(err)
  os.remove(out)
  os.remove(err)
  os.remove(input)
  return stdout, stderr, code
end

---Starts build/luanet with args in the background. Returns a process
---handle with :output() (what it printed so far), :kill(), and :wait()
---(blocks until it exits; returns stdout, stderr).
function M.spawn(args)
  local out, err = os.tmpname(), os.tmpname()
  local cmd = { M.exe }
  for _, a in ipairs(args) do cmd[#cmd + 1] = shellQuote(a) end
  local p = assert(io.popen(table.concat(cmd, ' ') .. ' </dev/null >' .. out ..
    ' 2>' .. err .. ' & echo $!'))
  local pid = tonumber(p:read('l'))
  p:close()
  local proc = { pid = pid }
  function proc.output() return readAll(out), readAll(err) end
  function proc.kill() os.execute('kill ' .. pid .. ' 2>/dev/null') end
  function proc.wait()
    -- until it is gone or a zombie (its parent, the shell, is gone too)
    os.execute('timeout 20 sh -c \'while [ -e /proc/' .. pid .. ' ] && ' ..
      '! grep -q "^[0-9]* (.*) Z" /proc/' .. pid .. '/stat 2>/dev/null; ' ..
      'do sleep 0.02; done\'')
    local o, e = readAll(out), readAll(err)
    os.remove(out)
    os.remove(err)
    return o, e
  end
  return proc
end

---Polls every 10 ms (on the loop) until check() is true, then calls done;
---gives up with an error after `seconds` (5).
function M.waitFor(check, done, seconds)
  local deadline = os.time() + (seconds or 5)
  local timer
  timer = luanet.timers.setInterval(function()
    if check() then
      luanet.timers.clearInterval(timer)
      done()
    elseif os.time() > deadline then
      luanet.timers.clearInterval(timer)
      error('gave up waiting after ' .. (seconds or 5) .. ' s')
    end
  end, 10)
end

---Whether this machine can bind ::1.
function M.hasIPv6()
  local ok = false
  local s = luanet.net.createServer()
  s:on('error', function() end)
  s:on('listening', function() ok = true; s:close() end)
  s:listen(0, '::1')
  luanet.run()
  return ok
end

return M
