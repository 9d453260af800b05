-- process: Node's process object, an EventEmitter with argv, env, pid,
-- platform, exit, exitCode, nextTick, hrtime, memoryUsage, kill,
-- emitWarning, stdout, stderr, and the 'exit', 'uncaughtException',
-- 'warning' and signal events (bindings/lprocess.c gives the primitives).
local _, core = ...

local EventEmitter = require('events')
local errors = require('errors')

local type, tostring, tonumber, select = type, tostring, tonumber,
  select
local setmetatable, rawset, next = setmetatable, rawset, next
local floor, tointeger, huge = math.floor, math.tointeger, math.huge
local format = string.format
local concat = table.concat

local MAX_SAFE_INTEGER = 9007199254740991

-- process is an emitter whose exitCode is checked when it is set, as
-- Node's accessor checks it.
local exitCode, exitValue -- as given, and as the number it stands for
local Process = { __name = 'process' }

-- JavaScript's Number(s) for a string: blank is 0, NaN when unreadable.
local function jsNumberOf(s)
  s = s:match('^%s*(.-)%s*$')
  if s == '' then return 0 end
  local sign, rest = s:match('^([+-]?)(.*)$')
  if rest == 'Infinity' then return sign == '-' and -huge or huge end
  return tonumber(s) or 0 / 0
end

-- Node's exitCode setter: a string that reads as a number is that number,
-- which validateInteger(value, 'code') checks. Returns it.
local function validateCode(code)
  if code == nil then return nil end
  local value = code
  if type(code) == 'string' and code ~= '' then
    local n = jsNumberOf(code)
    if n == n then value = n end
  end
  if type(value) ~= 'number' then
    error(errors.invalidArgType('code', 'number', value), 3)
  end
  if value ~= floor(value) or value == huge or value == -huge then
    error(errors.outOfRange('code', 'an integer', value), 3)
  end
  if value < -MAX_SAFE_INTEGER or value > MAX_SAFE_INTEGER then
    error(errors.outOfRange('code', '>= ' .. -MAX_SAFE_INTEGER .. ' && <= ' ..
      MAX_SAFE_INTEGER, value), 3)
  end
  return tointeger(value)
end

local stdin, makeStdin -- process.stdin, made when first read (below)

function Process.__index(_, k)
  if k == 'exitCode' then return exitCode end
  if k == 'stdin' then
    if stdin == nil then stdin = makeStdin() end
    return stdin
  end
  return EventEmitter[k]
end

function Process.__newindex(self, k, v)
  if k == 'exitCode' then
    exitValue = validateCode(v)
    exitCode = v
  else
    rawset(self, k, v)
  end
end

local process = setmetatable({}, Process)

process.pid = core.pid
process.ppid = core.ppid
process.platform = core.platform
process.arch = core.arch
process.execPath = core.execPath
process.title = 'luanet'
process.release = { name = 'luanet' }
process.version = 'v' .. core.version
process.versions = { luanet = core.version, lua = _VERSION:match('%d.*') }
process.argv = {}
process.execArgv = {}

-- ---- env: the live environment ------------------------------------------

-- Node's String(value) for what is stored in process.env.
local function jsString(v)
  if type(v) == 'number' and v == floor(v) and v > -1e21 and v < 1e21 then
    return format('%.0f', v)
  end
  return tostring(v)
end

---process.env: reads and writes the process's environment; assigning nil
---deletes a variable, anything else is stored as a string, as in Node.
process.env = setmetatable({}, {
  __name = 'env',
  __index = function(_, k)
    if type(k) == 'string' or type(k) == 'number' then
      return core.getenv(jsString(k))
    end
  end,
  __newindex = function(_, k, v)
    if v == nil then
      core.setenv(jsString(k), nil)
    else
      core.setenv(jsString(k), jsString(v))
    end
  end,
  __pairs = function()
    return next, core.env(), nil
  end,
})

-- ---- stdout, stderr ----------------------------------------------------

-- Node's process.stdout and process.stderr on Linux: every write goes to
-- the descriptor at once, whole, whatever it is (a file, a pipe, a
-- terminal), so that output keeps its order with print, io.write and
-- console.log and nothing waits in memory. As Node's socket streams do,
-- a chunk of writableHighWaterMark bytes or more makes write() return
-- false, and 'drain' follows; a file's stream (Node's SyncWriteStream)
-- always says true.
local WriteStream = setmetatable({ __name = 'WriteStream' },
  { __index = EventEmitter })

local HIGH_WATER_MARK = 65536

local function afterWrite(stream, cb, err)
  if type(cb) == 'function' then cb(err) end
  if err then stream:emit('error', err) end
end

---stream:write(chunk[, encoding][, callback]) -> boolean: writes chunk at
---once; callback(err) follows on the next tick. false when chunk reached
---the high-water mark (not for a file): 'drain' follows. Raises
---ERR_STREAM_NULL_VALUES, ERR_INVALID_ARG_TYPE, ERR_UNKNOWN_ENCODING;
---after end(), ERR_STREAM_WRITE_AFTER_END is given to callback and
---'error'.
local function isWriteStream(v)
  return getmetatable(v) == WriteStream
end

function WriteStream:write(chunk, encoding, cb)
  errors.checkThis(self, isWriteStream, 'WriteStream', 'write')
  if type(encoding) == 'function' then
    encoding, cb = nil, encoding
  end
  if chunk == nil then error(errors.streamNullValues(), 2) end
  if type(chunk) ~= 'string' then error(errors.invalidChunk(chunk), 2) end
  if encoding then chunk = core.encode(chunk, encoding) end
  if self._ended then
    core.nextTick(afterWrite, self, cb, errors.new('Error',
      'ERR_STREAM_WRITE_AFTER_END', 'write after end'))
    return false
  end
  core.write(self.fd, chunk)
  if type(cb) == 'function' then core.nextTick(cb, nil) end
  if #chunk >= HIGH_WATER_MARK and self._kind ~= 'FILE' then
    core.nextTick(self.emit, self, 'drain')
    return false
  end
  return true
end

---stream:end_([chunk[, encoding]][, callback]) -> stream: writes chunk,
---then 'finish' and 'close' on the next tick (callback before them). The
---descriptor stays open, as Node keeps it.
function WriteStream:end_(chunk, encoding, cb)
  errors.checkThis(self, isWriteStream, 'WriteStream', 'end_')
  if type(chunk) == 'function' then
    chunk, encoding, cb = nil, nil, chunk
  elseif type(encoding) == 'function' then
    encoding, cb = nil, encoding
  end
  if chunk ~= nil then self:write(chunk, encoding) end
  if not self._ended then
    self._ended = true
    self.writable = false
    core.nextTick(function()
      if type(cb) == 'function' then cb(nil) end
      self:emit('finish')
      self:emit('close')
    end)
  end
  return self
end
WriteStream['end'] = WriteStream.end_

-- A 'resize' listener on a terminal's stream watches SIGWINCH (unref'd, as
-- all signal watchers are), so columns and rows stay true.
local function onResize(stream)
  return function()
    stream:emit('resize')
  end
end

---Fields: fd, isTTY (true, or nil when not a terminal), columns and rows
---(a terminal's, read live), writable, writableLength (0: nothing waits),
---writableHighWaterMark, destroyed.
function WriteStream.__index(self, k)
  if k == 'columns' or k == 'rows' then
    if not rawget(self, 'isTTY') then return nil end
    local columns, rows = core.winsize(rawget(self, 'fd'))
    return k == 'columns' and columns or rows
  end
  return WriteStream[k]
end
WriteStream.writableLength = 0
WriteStream.writableHighWaterMark = HIGH_WATER_MARK
WriteStream.destroyed = false

local function stream(fd)
  local kind = core.fdType(fd)
  local s = setmetatable({ fd = fd, writable = true, _kind = kind,
    isTTY = kind == 'TTY' or nil }, WriteStream)
  if s.isTTY then
    local resize = onResize(s)
    s:on('newListener', function(name)
      if name == 'resize' and s:listenerCount('resize') == 0 then
        process:on('SIGWINCH', resize)
      end
    end)
    s:on('removeListener', function(name)
      if name == 'resize' and s:listenerCount('resize') == 0 then
        process:off('SIGWINCH', resize)
      end
    end)
  end
  return s
end
process.stdout = stream(1)
process.stderr = stream(2)

-- ---- stdin ----------------------------------------------------------------

-- process.stdin: made when first read, so that a script that never reads
-- standard input leaves it alone (the REPL reads it). A Socket over fd 0
-- whatever it is: a pipe or socket, a terminal (with setRawMode and
-- isTTY), or a file or device read to its end. As Node's, it reads
-- nothing until something consumes it ('data', resume(), pipe()).
---stdin:setRawMode(raw) -> stdin, on a terminal: raw (no echo, no line
---editing, keys such as Ctrl-C read as bytes) or as it was. Raises the
---system error.
local function setRawMode(self, raw)
  local err = core.setRawMode(0, raw)
  if err then error(err, 2) end
  self.isRaw = raw and true or false
  return self
end

function makeStdin()
  local net = require('net')
  local s = net.Socket({ readable = true, writable = false })
  s:_openStdio(0)
  s.fd = 0
  if core.fdType(0) == 'TTY' then
    s.isTTY = true
    s.isRaw = false
    s.setRawMode = setRawMode
  end
  return s
end

-- ---- ticks, clock, memory -----------------------------------------------

---process.nextTick(fn, ...): fn(...) as soon as the current callback ends,
---before any I/O. Raises ERR_INVALID_ARG_TYPE without a function.
function process.nextTick(fn, ...)
  errors.validateFunction(fn, 'callback')
  core.nextTick(fn, ...)
end

local function number(v)
  v = tonumber(v)
  if v == nil then return 0 / 0 end
  return v
end

---process.hrtime([time]) -> { seconds, nanoseconds } of a monotonic
---clock, or the time since time (an earlier result).
---process.hrtime.bigint() -> the clock in nanoseconds, an integer.
process.hrtime = setmetatable({
  bigint = function()
    return core.hrtimeNs()
  end,
}, {
  __call = function(_, time)
    local s, ns = core.hrtime()
    if time ~= nil then
      if type(time) ~= 'table' then
        error(errors.invalidArgType('time', {}, time, { 'Array' }), 2)
      end
      if #time ~= 2 then
        error(errors.outOfRange('time', '2', #time), 2)
      end
      s, ns = s - number(time[1]), ns - number(time[2])
      if ns < 0 then s, ns = s - 1, ns + 1000000000 end
    end
    return { s, ns }
  end,
})

---process.memoryUsage() -> { rss, heapTotal, heapUsed, external,
---arrayBuffers } in bytes; the heap is Lua's.
---process.memoryUsage.rss() -> the resident set size.
process.memoryUsage = setmetatable({
  rss = function()
    return core.rss()
  end,
}, {
  __call = function()
    local heap = floor(collectgarbage('count') * 1024)
    return { rss = core.rss(), heapTotal = heap, heapUsed = heap,
      external = 0, arrayBuffers = 0 }
  end,
})

function process.cwd()
  return core.cwd()
end

local started = (function()
  local s, ns = core.hrtime()
  return s + ns / 1e9
end)()

---process.uptime() -> seconds since luanet started.
function process.uptime()
  local s, ns = core.hrtime()
  return s + ns / 1e9 - started
end

-- ---- kill, signals ------------------------------------------------------

local signals = core.signals

-- An int32 from a number or a string of one (JavaScript's pid | 0 test).
local function int32(v)
  v = (type(v) == 'number' or type(v) == 'string') and tonumber(v)
  if v and v == floor(v) and v >= -2147483648 and v <= 2147483647 then
    return tointeger(v)
  end
end

---process.kill(pid[, signal]) -> true: sends signal (a name, or a number;
---'SIGTERM' by default). Raises ERR_INVALID_ARG_TYPE for a bad pid,
---ERR_UNKNOWN_SIGNAL, or the system error ("kill ESRCH").
function process.kill(pid, signal)
  local p = int32(pid)
  if p == nil then error(errors.invalidArgType('pid', 'number', pid), 2) end
  local signum = type(signal) == 'number' and int32(signal)
  if not signum then
    if not signal or signal == '' then signal = 'SIGTERM' end
    signum = signals[signal]
    if signum == nil then
      error(errors.new('TypeError', 'ERR_UNKNOWN_SIGNAL',
        'Unknown signal: ' .. tostring(signal)), 2)
    end
  end
  local err = core.kill(p, signum)
  if err then error(err, 2) end
  return true
end

-- A listener for 'SIGINT' (or another signal) starts watching it, and the
-- signal no longer ends the process; removing the last one stops
-- watching, which restores the default. The listeners get (name, signum).
-- A worker watches SIGINT and SIGTERM always (workerStop, below).
local workerSignal -- in a worker: workerStop for SIGINT and SIGTERM

function core.onsignal(name, signum)
  if workerSignal and (name == 'SIGINT' or name == 'SIGTERM') then
    workerSignal(process:listenerCount(name) == 0)
  end
  process:emit(name, name, signum)
end

process:on('newListener', function(name)
  if signals[name] then
    local err = core.signal(name, true)
    if err then error(err, 0) end
  end
end)

process:on('removeListener', function(name)
  if signals[name] and process:listenerCount(name) == 0 and
      not (workerSignal and (name == 'SIGINT' or name == 'SIGTERM')) then
    core.signal(name, false)
  end
end)

-- ---- warnings -----------------------------------------------------------

---process.emitWarning(warning[, type[, code]]) or (warning, { type, code,
---detail }): emits 'warning' on the next tick; the default listener
---prints "(luanet:PID) [code] Type: message" on standard error.
function process.emitWarning(warning, kind, code)
  local detail
  if type(kind) == 'table' then
    code = kind.code
    if type(kind.detail) == 'string' then detail = kind.detail end
    kind = kind.type or 'Warning'
  elseif type(kind) == 'function' then
    kind, code = 'Warning', nil
  end
  if kind ~= nil then errors.validateString(kind, 'type') end
  if type(code) == 'function' then
    code = nil
  elseif code ~= nil then
    errors.validateString(code, 'code')
  end
  if type(warning) == 'string' then
    warning = errors.new(kind or 'Warning', code, warning, { detail = detail })
  elseif not errors.isError(warning) then
    error(errors.invalidArgType('warning', 'string', warning, { 'Error' }), 2)
  end
  if warning.name == 'DeprecationWarning' and process.noDeprecation then
    return
  end
  core.nextTick(process.emit, process, 'warning', warning)
end

process:on('warning', function(warning)
  if not errors.isError(warning) then return end
  local msg = { '(luanet:', process.pid, ') ' }
  if warning.code then msg[#msg + 1] = '[' .. tostring(warning.code) .. '] ' end
  msg[#msg + 1] = tostring(warning.name) .. ': ' .. tostring(warning.message)
  if type(warning.detail) == 'string' then
    msg[#msg + 1] = '\n' .. warning.detail
  end
  msg[#msg + 1] = '\n'
  core.write(2, concat(msg))
end)

-- ---- workers: luanet --workers N --------------------------------------

-- In a worker: the servers that listened on TCP there (weak keys).
local workerServers
local DRAIN_NS = 1000000000 -- the longest a stop waits for a queue to empty

-- Closes server once nothing waits in its accept queue, or once deadline
-- (hrtimeNs) has passed; then closed() when it has emitted 'close'. The
-- kernel gives each socket of a reusePort group the connections it queued
-- on it, and closing the socket resets them (unless
-- net.ipv4.tcp_migrate_req is 1): a turn of the loop accepts them through
-- the server's own path ('connection', maxConnections, blockList).
local function drainAndClose(server, deadline, closed)
  if not server.listening then return closed() end
  if core.acceptPending(server:_fileno()) and core.hrtimeNs() < deadline then
    require('timers').setImmediate(drainAndClose, server, deadline, closed)
  else
    server:close(closed)
  end
end

-- A worker told to stop (SIGINT or SIGTERM, which the parent passes on):
-- once, every TCP server stops taking connections, accepts those queued
-- and closes. With exit (no listener of the signal), the worker then
-- exits, with process.exitCode or 0, once they have all emitted 'close'
-- (their connections have ended); else the script's listeners decide.
local function workerStop(exit)
  workerSignal = function() end -- only the first signal stops
  local left, deadline = 1, core.hrtimeNs() + DRAIN_NS
  local function closed()
    left = left - 1
    if left == 0 and exit then process.exit() end
  end
  for server in pairs(workerServers) do
    if server.listening then
      left = left + 1
      core.stopAccepting(server:_fileno())
      drainAndClose(server, deadline, closed)
    end
  end
  closed()
end

-- Called by the host (bindings/workers.c) in worker id (0 to n - 1) of n:
-- sets process.workerId and process.workers and watches SIGINT and
-- SIGTERM. Elsewhere both fields are nil, as cluster.worker is undefined
-- outside a Node cluster's workers.
function process._workerStart(id, n)
  process.workerId, process.workers = id, n
  workerServers = setmetatable({}, { __mode = 'k' })
  workerSignal = workerStop
  core.signal('SIGINT', true)
  core.signal('SIGTERM', true)
end

-- Called by net's listen on TCP: in a worker, records server (stopped with
-- the worker) and returns true: the listen uses reusePort, so that the
-- kernel spreads the port's connections among the workers. Else false.
function process._workerListen(server)
  if workerServers == nil then return false end
  workerServers[server] = true
  return true
end

-- ---- exit, uncaught errors ----------------------------------------------

-- process.exitCode || 0, as the integer the process ends with.
local function finalCode()
  return exitValue or 0
end

---process.exit([code]): emits 'exit' then ends the process with
---process.exitCode (which 'exit' listeners may change). Given, code is
---stored in process.exitCode first (nil included), and checked as it is.
function process.exit(...)
  if select('#', ...) > 0 then process.exitCode = (...) end
  process._emitExit()
  core.exit(finalCode())
end

-- Emits 'exit' once, with process.exitCode || 0; returns the code the
-- process ends with.
function process._emitExit()
  if not process._exiting then
    process._exiting = true
    process:emit('exit', exitCode or 0)
  end
  return finalCode()
end

-- Whether a listener of the last uncaught error raised in turn.
local handlerRaised = false

-- Called by the gate for an error nothing caught: 'uncaughtExceptionMonitor'
-- listeners see it, then true if an 'uncaughtException' listener took it.
-- What either raises is the error that counts (Node's _fatalException).
function process._uncaught(err)
  handlerRaised = true -- until both emits return
  process:emit('uncaughtExceptionMonitor', err, 'uncaughtException')
  local taken = process:listenerCount('uncaughtException') > 0
  if taken then process:emit('uncaughtException', err, 'uncaughtException') end
  handlerRaised = false
  return taken
end

-- Called by the host for an error nothing took, before it prints it;
-- returns the exit status. As Node: 7 if a listener of the error raised
-- (no 'exit' then); else 'exit'(1) unless it was emitted already, with
-- exitCode 1 and what its listeners raise dropped, and exitCode, or 1.
function process._fatal()
  if handlerRaised then return 7 end
  if not process._exiting then
    process._exiting = true
    process.exitCode = 1
    pcall(process.emit, process, 'exit', 1)
  end
  return exitValue or 1
end

return process
