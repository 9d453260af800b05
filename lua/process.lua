-- process: Node's process object, an EventEmitter with argv, env, pid,
-- platform, exit, exitCode, nextTick, hrtime, memoryUsage, stdout,
-- stderr, and the 'exit', 'uncaughtException' and signal events.
local _, core = ...

local EventEmitter = require('events')
local errors = require('errors')

local process = EventEmitter()

process.pid = core.pid
process.platform = core.platform
process.version = 'v' .. core.version
process.versions = { luanet = core.version, lua = _VERSION:match('%d.*') }
process.argv = {}
process.execArgv = {}
process.env = core.env()
process.exitCode = nil

local function stream(fd)
  return {
    fd = fd,
    isTTY = core.isatty(fd),
    ---stream:write(s) -> true: writes s at once.
    write = function(_, s, cb)
      if type(s) ~= 'string' then
        error(errors.invalidChunk(s), 2)
      end
      core.write(fd, s)
      if type(cb) == 'function' then core.nextTick(cb) end
      return true
    end,
  }
end
process.stdout = stream(1)
process.stderr = stream(2)

---process.nextTick(fn, ...): fn(...) as soon as the current callback ends,
---before any I/O. Raises ERR_INVALID_ARG_TYPE without a function.
function process.nextTick(fn, ...)
  errors.validateFunction(fn, 'callback')
  core.nextTick(fn, ...)
end

---process.hrtime([prev]) -> { seconds, nanoseconds } of a monotonic
---clock, or the time since prev.
function process.hrtime(prev)
  local s, ns = core.hrtime()
  if prev ~= nil then
    errors.validateTable(prev, 'time')
    s, ns = s - prev[1], ns - prev[2]
    if ns < 0 then s, ns = s - 1, ns + 1000000000 end
  end
  return { s, ns }
end

---process.memoryUsage() -> { rss, heapTotal, heapUsed, external,
---arrayBuffers } in bytes; the heap is Lua's.
function process.memoryUsage()
  local heap = math.floor(collectgarbage('count') * 1024)
  return { rss = core.rss(), heapTotal = heap, heapUsed = heap, external = 0,
    arrayBuffers = 0 }
end

function process.cwd()
  return core.cwd()
end

function process.uptime()
  local s, ns = core.hrtime()
  return s + ns / 1e9 - process._started
end
process._started = (function()
  local s, ns = core.hrtime()
  return s + ns / 1e9
end)()

---process.kill(pid[, signal]): sends signal ('SIGTERM' by default).
function process.kill(pid, signal)
  if not core.kill(pid, signal or 'SIGTERM') then
    error(errors.new('Error', 'ESRCH', 'kill ESRCH', { syscall = 'kill' }), 2)
  end
  return true
end

---process.emitWarning(message[, type]): "(luanet:PID) Type: message" on
---standard error, as Node prints it.
function process.emitWarning(message, kind)
  core.write(2, string.format('(luanet:%d) %s: %s\n', process.pid,
    kind or 'Warning', tostring(message)))
end

---process.exit([code]): emits 'exit' then ends the process with
---process.exitCode (which 'exit' listeners may change).
function process.exit(code)
  if code ~= nil then process.exitCode = code end
  process._emitExit()
  core.exit(process.exitCode or 0)
end

-- Emits 'exit' once, with the exit code; returns the final code.
function process._emitExit()
  if not process._exiting then
    process._exiting = true
    process:emit('exit', process.exitCode or 0)
  end
  return process.exitCode or 0
end

-- Called by the gate for an error nothing caught: true if an
-- 'uncaughtException' listener took it.
function process._uncaught(err)
  if process:listenerCount('uncaughtException') == 0 then return false end
  process:emit('uncaughtException', err, 'uncaughtException')
  return true
end

-- Signals: a listener for 'SIGINT' (or another signal) starts watching it,
-- and it no longer ends the process, as in Node.
function core.onsignal(name)
  process:emit(name, name)
end

process:on('newListener', function(name)
  if type(name) == 'string' and name:match('^SIG') and
      process:listenerCount(name) == 0 then
    core.signal(name, true)
  end
end)

process:on('removeListener', function(name)
  if type(name) == 'string' and name:match('^SIG') and
      process:listenerCount(name) == 0 then
    core.signal(name, false)
  end
end)

return process
