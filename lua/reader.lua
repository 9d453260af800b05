-- reader: sequential code on net's own Socket and Server. socket:read,
-- readUntil, lines and drain, server:accept, and Node's 'readable' for a
-- reader that is not flowing, all on the socket's one buffer (the one
-- 'data' flows from: bindings/lsocket.c's _find, _take, _need). In a task
-- (lua/task.lua) a read waits for what it needs; anywhere else it returns
-- what the buffer already holds, or nil, as Node's readable.read().
--
-- A socket read by a task gets one waiter record, kept for its life, and
-- listeners of its own on 'readable', 'end', 'close', 'error' and
-- 'timeout' (as Node's async iterator keeps its own): a read that waits
-- allocates nothing but the strings it returns.
local _, core = ...

local EventEmitter = require('events')
local errors = require('errors')
local task = require('task')

local type, setmetatable, math_type, error = type, setmetatable,
  math.type, error
local running = coroutine.running
local nextTick = core.nextTick
local setTimeout, clearTimeout = core.timers.setTimeout,
  core.timers.clearTimeout
local resume, check = task.resume, task.check
local tasks, WAIT = task._tasks, task._WAIT
local yield = coroutine.yield

local Socket, Server = core.Socket, core.Server
local isSocket = core.isSocket
local find, take, need = Socket._find, Socket._take, Socket._need
local takeLine = Socket._takeLine
local eof, wantReadable = Socket._eof, Socket._wantReadable
local cpause = Socket.pause
local cdestroy, creset = Socket.destroy, Socket.resetAndDestroy
local emit, listenerCount = EventEmitter.emit, EventEmitter.listenerCount
local off = EventEmitter.removeListener
local checkThis = errors.checkThis

local M = {}

-- A line or readUntil may hold this many bytes before its delimiter.
local MAX = 65536

-- The formats.
local LINE, LINE_KEEP, ALL, COUNT, UNTIL = 1, 2, 3, 4, 5


-- ---- errors ----------------------------------------------------------------

local function busy()
  return errors.new('Error', 'ERR_SOCKET_BUSY_READING',
    'Another task is already reading this socket')
end

local function flowingError()
  return errors.new('Error', 'ERR_SOCKET_FLOWING', 'The socket flows to ' ..
    "a 'data' listener or a pipe(): read it that way, or pause() it first")
end

local function closedError()
  return errors.new('Error', 'ERR_SOCKET_CLOSED', 'Socket is closed')
end

local function tooLong(max)
  return errors.new('RangeError', 'ERR_READ_TOO_LONG', 'More than ' ..
    max .. ' bytes came before the delimiter (opts.max)')
end

-- ---- the waiter record -----------------------------------------------------

-- Whether a socket flows (resume(), a 'data' listener, pipe()): Node's
-- readableFlowing == true, as the core knows it (no table of sockets here:
-- a weak table's entry keeps a collected socket one cycle longer).
local flowing = Socket._flowing

---@class Reader
---@field socket userdata
---@field co thread|false the task reading (set for the whole read)
---@field parked boolean it waits for an event
---@field need integer what the core was asked to buffer (_need)
---@field hwm integer the socket's readableHighWaterMark
---@field timer userdata|false the read's opts.timeout
---@field err table|false the socket's error, for its reads
---@field events boolean its listeners are on the socket
---@field data boolean a 'data' listener was added (read() emits 'data')
local Reader = {}
Reader.__index = Reader

-- The reader of each socket that was read or got a 'readable' listener.
local readers = setmetatable({}, { __mode = 'k' })

-- The sockets known to be destroyed (by destroy(), or an 'error' or
-- 'close' a reader's listener saw): a field lookup on the socket for
-- each wait costs more than this table's.
local dead = setmetatable({}, { __mode = 'k' })

-- For a user's 'readable' listener: its 'end' hook, and whether a read
-- outside a task saw the end (both weak).
local endHooks = setmetatable({}, { __mode = 'k' })
local sawEof = setmetatable({}, { __mode = 'k' })

-- How a parked read is woken: more to look at, its timeout, the socket's
-- idle timeout.
local LOOK, TIMEOUT, IDLE = 1, 2, 3

local function wake(R, why)
  if R.parked then
    R.parked = false
    resume(R.co, why)
  end
end

local function onTimer(R) wake(R, TIMEOUT) end

-- The listeners of each reader: kept apart, so that a reader's own
-- table stays at eight fields (and half the memory).
local lookers = setmetatable({}, { __mode = 'k' })
local idlers = setmetatable({}, { __mode = 'k' })

local function reader(socket)
  local R = readers[socket]
  if R then return R end
  R = setmetatable({ socket = socket, co = false, parked = false, need = 0,
    hwm = socket.readableHighWaterMark, timer = false, err = false,
    events = false, data = listenerCount(socket, 'data') > 0 }, Reader)
  -- 'readable', 'end', 'close': look again. 'error': the socket's error
  -- is its reads' from now on: the read waiting gets it, or the next one
  -- does; a socket flowing again to 'data' has it emitted as if this
  -- listener were not there.
  local look
  look = function(err)
    if err ~= nil then -- 'error', or 'close' (true or false)
      dead[socket] = true
      if err ~= true and err ~= false then -- 'error'
        if not R.err then R.err = err end
        if not R.parked and flowing(socket) and
            listenerCount(socket, 'error') == 1 then
          M._uninstall(R)
          emit(socket, 'error', err)
          return
        end
      end
    end
    if R.parked then wake(R, LOOK) end
  end
  lookers[R] = look
  -- the idle setTimeout: after the 'timeout' listeners ran
  idlers[R] = function()
    if R.parked then nextTick(wake, R, IDLE) end
  end
  readers[socket] = R
  if socket.destroyed then dead[socket] = true end
  return R
end

-- Lets go of the read that held R, at the end of a read that waited:
-- waitRead calls it as it returns, and task:cancel() for a task parked
-- there (the task's parked field holds R), so that no `<close>` variable
-- costs each read its close.
function Reader.__close(R)
  R.co, R.parked = false, false
  if R.timer then
    clearTimeout(R.timer)
    R.timer = false
  end
  if R.need > R.hwm then -- back to the high-water mark
    R.need = 1
    need(R.socket, 1)
  end
end

local release = Reader.__close

-- The listeners that wake a parked read, added once (again after a
-- removeAllListeners(), which takes them off first).
local function install(R)
  if R.events then return end
  local s = R.socket
  if s.destroyed then dead[s] = true end -- (while they were off)
  local look = lookers[R]
  EventEmitter.on(s, 'readable', look)
  EventEmitter.on(s, 'end', look)
  EventEmitter.on(s, 'close', look)
  EventEmitter.on(s, 'error', look)
  EventEmitter.on(s, 'timeout', idlers[R])
  wantReadable(s, true)
  R.events = true
end

-- Takes the listeners install() added off the socket.
function M._uninstall(R)
  if not R.events then return end
  local s, look = R.socket, lookers[R]
  off(s, 'readable', look)
  off(s, 'end', look)
  off(s, 'close', look)
  off(s, 'error', look)
  off(s, 'timeout', idlers[R])
  R.events = false
end

-- ---- one attempt at a read -------------------------------------------------


-- What a read gives when nothing more will come: nil at the end of the
-- stream, nil and the error or ERR_SOCKET_CLOSED for a socket destroyed.
local function theEnd(s, R)
  if eof(s) or s.readableEnded then return nil end
  return nil, R.err or closedError()
end

-- Whether nothing more will be buffered. A socket marked dead is asked
-- again (rarely: at its end): connect() undestroys one, as Node's does.
local function over(s)
  if dead[s] then
    if s.destroyed then return true end
    dead[s] = nil
  end
  return eof(s)
end

-- Tries a read on what is buffered: kind, n (COUNT: the count; UNTIL:
-- inclusive), delim, max. Returns true and the read's values when it is
-- decided; else false and where the next search for the delimiter
-- starts. max bounds a line with its delimiter, so that the default (the
-- high-water mark) makes the core read no further.
local function attempt(s, R, kind, n, delim, max, from)
  if kind ~= ALL and kind ~= COUNT then
    local at, len, dlen
    if kind == LINE then -- the commonest read, in one call
      local line
      line, len = takeLine(s, from, max)
      if line then return true, line end
      if line == false then return true, nil, tooLong(max) end
      dlen = 1
    else
      at, len = find(s, delim, from)
      dlen = #delim
    end
    if at then
      if at + dlen - 1 > max then return true, nil, tooLong(max) end
      if kind == LINE_KEEP or n then -- n: inclusive
        return true, take(s, at + dlen - 1)
      end
      local v = take(s, at - 1)
      take(s, dlen)
      return true, v
    end
    if len >= max then return true, nil, tooLong(max) end
    if over(s) then
      if len > 0 then return true, take(s, len) end -- the last, unended
      return true, theEnd(s, R)
    end
    from = len - dlen + 2
    return false, from > 1 and from or 1
  end
  local len = s.readableLength
  if kind == COUNT then
    if n == 0 then
      if len > 0 then return true, '' end
      if over(s) then return true, theEnd(s, R) end
      return false, 1
    end
    if len >= n then return true, take(s, n) end
  end
  if not over(s) then return false, 1 end
  if len > 0 then return true, take(s, len) end
  return true, theEnd(s, R)
end

-- Asks the core to buffer what a read needs to be decided (n bytes):
-- more than the high-water mark for a long line or count; and starts
-- reading (process.stdin waits for that).
local function want(s, R, n)
  if n > R.hwm then
    if n ~= R.need then
      R.need = n
      need(s, n)
    end
  elseif R.need == 0 then
    R.need = 1
    need(s, 1)
  end
end

-- Node's read() emits 'data' with the chunk v it returns (to the 'data'
-- listeners of a socket that 'readable' listeners hold, or that is
-- paused); a line or readUntil's bytes go as returned, without their end.
-- The reads that may run per line call it only when R.data, so that a
-- socket that never had a 'data' listener does not pay for the look.
-- Returns v.
local function delivered(s, v)
  if v ~= nil and listenerCount(s, 'data') > 0 then emit(s, 'data', v) end
  return v
end

-- The rest of a read that must wait, in the task R.co (set, with the
-- timer of the read's timeout, by read()): parks it until the buffer can
-- decide it or the socket ends. Few registers: each C function called
-- below this frame wants 20 free slots, and a coroutine's stack starts
-- at 40; a frame deeper grows it, for the task's life, to 80.

local function waitRead(s, R, kind, n, delim, max, from)
  while true do
    want(s, R, kind == COUNT and n or kind == ALL and
      s.readableLength + R.hwm or max)
    R.parked = true
    tasks[R.co].parked = R -- (task.park inline; cancel lets go of R)
    if yield(WAIT) ~= LOOK then
      release(R)
      return nil, task.timedOut('read')
    end
    local done, v, err = attempt(s, R, kind, n, delim, max, from)
    if done then
      release(R)
      if err then return nil, err end
      if R.data then return delivered(s, v) end
      return v
    end
    from = v
  end
end

-- opts.max and opts.timeout, checked for a method's caller.
local function options(opts)
  if opts == nil then return MAX, nil end
  local ms = task.timeoutOf(opts, 3)
  local max = opts.max
  if max == nil then return MAX, ms end
  if math_type(max) ~= 'integer' or max < 0 then
    error(errors.invalidArgType('options.max', 'integer', max), 3)
  end
  return max, ms
end

-- A read of any kind: at once if the buffer decides it (or outside a
-- task), else in waitRead.
local function read(s, kind, n, delim, max, ms)
  local R = readers[s] or reader(s)
  if R.co then return nil, busy() end
  if flowing(s) then return nil, flowingError() end
  local done, v, err = attempt(s, R, kind, n, delim, max, 1)
  if endHooks[s] and not sawEof[s] then sawEof[s] = eof(s) end
  if done then
    if err then return nil, err end
    if R.data then return delivered(s, v) end
    return v
  end
  local co, main = running()
  if main or tasks[co] == nil then
    if R.need == 0 then -- reading starts (process.stdin waits for it)
      R.need = 1
      need(s, 1)
    end
    if kind == ALL then -- Node's read(): what there is
      local len = s.readableLength
      if len > 0 then return delivered(s, take(s, len)) end
    end
    return nil
  end
  R.co = co
  install(R)
  if ms then R.timer = setTimeout(onTimer, ms, R) end
  return waitRead(s, R, kind, n, delim, max, v)
end

-- ---- the methods -----------------------------------------------------------

local FORMATS = { l = LINE, L = LINE_KEEP, a = ALL, ['*l'] = LINE,
  ['*L'] = LINE_KEEP, ['*a'] = ALL }

-- The kind and count of a format (nil: 'l'); raises for a bad one.
local function format(fmt, level)
  if fmt == nil then return LINE end
  if math_type(fmt) == 'integer' and fmt >= 0 then return COUNT, fmt end
  local kind = FORMATS[fmt]
  if kind then return kind end
  if type(fmt) == 'string' or type(fmt) == 'number' then
    error(errors.invalidArgValue('fmt', fmt,
      "must be 'l', 'L', 'a' or a count of bytes"), level + 1)
  end
  error(errors.invalidArgType('fmt', 'string', fmt), level + 1)
end

---socket:read([fmt][, opts]) -> string, or nil at the end of the stream,
---or nil, err. fmt as file:read's: 'l' (default) a line without its end
---('\n', or '\r\n'), 'L' with it, 'a' all until the end, n exactly n
---bytes (fewer only at the end). In a task it waits for them; elsewhere
---it returns nil when the buffer cannot give them yet, and 'a' returns
---what is buffered (Node's readable.read()). opts.timeout (ms): nil,
---ETIMEDOUT, nothing consumed; opts.max (65536): a line longer (its end
---included) is nil,
---ERR_READ_TOO_LONG, nothing consumed. Also nil and
---ERR_SOCKET_BUSY_READING (another task reads), ERR_SOCKET_FLOWING
---('data' or pipe() consume it), ERR_SOCKET_CLOSED or the socket's error.
---Raises ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE.
---@param fmt string|integer|nil
---@param opts table|nil { timeout = ms, max = bytes }
---@return string|nil
---@return table|nil err
function Socket:read(fmt, opts)
  if type(fmt) == 'table' and opts == nil then fmt, opts = nil, fmt end
  local kind, n = format(fmt, 2)
  local max, ms = options(opts)
  return read(self, kind, n, kind <= LINE_KEEP and '\n' or nil, max, ms)
end

---socket:readUntil(delim[, opts]) -> the bytes before delim (delim is
---consumed; kept at the end with opts.inclusive), the rest at the end of
---the stream, then nil; or nil, err as socket:read. opts: timeout, max,
---inclusive.
---@param delim string
---@param opts table|nil { timeout = ms, max = bytes, inclusive = boolean }
---@return string|nil
---@return table|nil err
function Socket:readUntil(delim, opts)
  if type(delim) ~= 'string' then
    error(errors.invalidArgType('delim', 'string', delim), 2)
  end
  if delim == '' then
    error(errors.invalidArgValue('delim', delim, 'must not be empty'), 2)
  end
  local max, ms = options(opts)
  return read(self, UNTIL, opts and opts.inclusive and true or nil, delim,
    max, ms)
end

-- The iterator of socket:lines() without arguments, the usual one: the
-- generic for passes it the socket, so no closure is made (its upvalues
-- would cost a task some 400 bytes).
local function nextLine(s)
  local v, err = read(s, LINE, nil, '\n', MAX, nil)
  if err then error(err, 2) end
  return v
end

---socket:lines([fmt][, opts]) -> an iterator of socket:read(fmt, opts):
---`for line in socket:lines() do ... end` ends at the end of the stream;
---a failure (nil, err) is raised by the iterator.
---@param fmt string|integer|nil
---@param opts table|nil
---@return function
function Socket:lines(fmt, opts)
  if fmt == nil and opts == nil then return nextLine, self end
  if type(fmt) == 'table' and opts == nil then fmt, opts = nil, fmt end
  local kind, n = format(fmt, 2)
  local max, ms = options(opts)
  local delim = kind <= LINE_KEEP and '\n' or nil
  local s = self
  return function()
    local v, err = read(s, kind, n, delim, max, ms)
    if err then error(err, 2) end
    return v
  end
end

---socket:drain([opts]) -> true, at once unless writableLength is at or
---above writableHighWaterMark: then waits for 'drain' (nil, err for an
---'error' or opts.timeout meanwhile). Raises ERR_NOT_IN_COROUTINE where it
---would wait and cannot.
---@param opts table|nil { timeout = ms }
---@return true|nil
---@return table|nil err
function Socket:drain(opts)
  task.timeoutOf(opts, 2)
  if self.writableLength < self.writableHighWaterMark or self.destroyed then
    return true
  end
  check('socket:drain')
  return task.wait(self, 'drain', opts)
end

-- ---- Node's 'readable', and who consumes the socket ------------------------

-- How many 'readable' listeners are the user's (not the reader's own).
local function userReadable(s)
  local R = readers[s]
  return listenerCount(s, 'readable') - (R and R.events and 1 or 0)
end

-- Node emits 'readable' once more at the end, before 'end', to a
-- listener that has not seen the end yet (read() gives null there).
local function onEnd(s)
  return function()
    if userReadable(s) > 0 and not sawEof[s] then
      sawEof[s] = true
      emit(s, 'readable')
    end
  end
end

local function emitReadable(s)
  if userReadable(s) > 0 then emit(s, 'readable') end
end

-- Node's Readable.on('readable'): the stream stops flowing, reads, and
-- emits 'readable' soon when something is there already.
local function startReadable(s)
  local R = readers[s] or reader(s)
  cpause(s)
  wantReadable(s, true)
  if R.need == 0 then
    R.need = 1
    need(s, 1)
  end
  if not endHooks[s] then
    endHooks[s] = onEnd(s)
    EventEmitter.prependListener(s, 'end', endHooks[s])
  end
  if s.readableLength > 0 then nextTick(emitReadable, s) end
end

local on, addTo = EventEmitter.on, EventEmitter._addTo

-- Node's resume() for a 'data' listener while 'readable' listeners hold
-- the socket: it does not flow, and reads for them. Those added with
-- prependListener (which is not Readable.on) start here.
local function holdFlow(s)
  if not endHooks[s] then startReadable(s) end
end

-- Node's Readable.on('data') once the listener is in: the socket flows,
-- unless it was paused or 'readable' listeners hold it (then it reads for
-- them, holdFlow). events: its _events.
local function dataAdded(s, events)
  local R = readers[s]
  if R then R.data = true end
  if events and events.readable and userReadable(s) > 0 then
    holdFlow(s)
  elseif not Socket.isPaused(s) then
    Socket.resume(s)
  end
end

-- Socket:on for what is not a function added to a socket: a once()
-- wrapper, a listener that is none (the emitter's on raises), or a call
-- with a dot (self no Socket). Called as a tail call: its levels are
-- those of Socket:on.
local function otherOn(self, name, listener)
  if not isSocket(self) then
    if not listener then checkThis(self, isSocket, 'Socket', 'on') end
    return on(self, name, listener)
  end
  if name == 'readable' then startReadable(self) end
  on(self, name, listener)
  if name == 'data' then dataAdded(self, self._events) end
  return self
end

---socket:on(event, listener) -> socket, as Node's Readable.on: 'data'
---starts the flow unless the socket was paused or a 'readable' listener
---holds it; 'readable' stops it, and 'readable' is emitted as more is
---buffered. One layer over the emitter's add, which it hands the
---_events it read: a connection's 'data' and 'error' listeners cost one
---lookup of the socket's _events each. Any other event is the emitter's
---on(), whatever self is (as it was through net's on()).
function Socket:on(name, listener)
  if type(listener) ~= 'function' or name == 'readable' then
    return otherOn(self, name, listener)
  end
  if name ~= 'data' then
    addTo(self, self._events, name, listener, false)
    return self
  end
  if not isSocket(self) then return otherOn(self, name, listener) end
  local events = self._events
  addTo(self, events, name, listener, false, name)
  dataAdded(self, events)
  return self
end
Socket.addListener = Socket.on

-- Node's updateReadableListening: without 'readable' listeners left, a
-- socket with 'data' listeners flows.
local function removeListener(self, name, listener)
  off(self, name, listener)
  if name == 'readable' and userReadable(self) == 0 then
    local R = readers[self]
    if not (R and R.events) then wantReadable(self, false) end
    if listenerCount(self, 'data') > 0 then self:resume() end
  end
  return self
end

---socket:removeListener(event, listener) -> socket; without 'readable'
---listeners left, a socket with 'data' listeners flows.
function Socket:removeListener(name, listener)
  checkThis(self, isSocket, 'Socket', 'removeListener')
  return removeListener(self, name, listener)
end

---socket:off(event, listener) -> socket: socket:removeListener.
function Socket:off(name, listener)
  checkThis(self, isSocket, 'Socket', 'off')
  return removeListener(self, name, listener)
end

-- A task parked on a read of s wakes on the next tick, while what is
-- buffered is still there to be returned, rather than at 'close'.
local function wakeSoon(s, err)
  local R = readers[s]
  if R and R.parked then
    if err ~= nil and not R.err then R.err = err end
    nextTick(wake, R, LOOK)
  end
end

---socket:destroy([err]) -> socket, and a task reading it wakes.
function Socket:destroy(...)
  checkThis(self, isSocket, 'Socket', 'destroy')
  if not self.destroyed then wakeSoon(self, (...)) end
  if readers[self] then dead[self] = true end -- (reader() sees it else)
  return cdestroy(self, ...)
end

---socket:resetAndDestroy() -> socket, and a task reading it wakes.
function Socket:resetAndDestroy()
  checkThis(self, isSocket, 'Socket', 'resetAndDestroy')
  if not self.destroyed then wakeSoon(self) end
  if readers[self] then dead[self] = true end
  return creset(self)
end

local removeAll = Socket.removeAllListeners
local clearing = setmetatable({}, { __mode = 'k' }) -- sockets in it

---socket:removeAllListeners([event]) -> socket, as the emitter's; a
---task's read keeps its own listeners (taken off, then put back while it
---waits, else at its next wait).
function Socket:removeAllListeners(...)
  checkThis(self, isSocket, 'Socket', 'removeAllListeners')
  local R = readers[self]
  -- (removeAll calls this again for each event when 'removeListener'
  -- has listeners: those calls leave the reader alone)
  if R == nil or clearing[self] then return removeAll(self, ...) end
  M._uninstall(R)
  clearing[self] = true
  local ok, err = pcall(removeAll, self, ...)
  clearing[self] = nil
  if R.parked then install(R) end
  if not ok then error(err, 0) end
  return self
end

-- ---- server:accept ---------------------------------------------------------

-- Per server: the connections held for accept() (a queue), and the tasks
-- waiting in it (in order).
local acceptors = setmetatable({}, { __mode = 'k' })

local function acceptor(server)
  local A = acceptors[server]
  if A then return A end
  A = { held = {}, first = 1, last = 0, waiting = {}, hooked = false,
    listening = false }
  -- each connection: to the first waiting task, else held unless a
  -- 'connection' listener of the user's took it
  A.onConnection = function(socket)
    local co = A.waiting[1]
    if co then -- after the other 'connection' listeners
      table.remove(A.waiting, 1)
      nextTick(resume, co, socket)
    elseif listenerCount(server, 'connection') == 1 then
      A.last = A.last + 1
      A.held[A.last] = socket
    end
  end
  -- the server closed: every waiting task is told
  A.onClose = function(err)
    A.listening = false
    local list = A.waiting
    A.waiting = {}
    for i = 1, #list do
      resume(list[i], nil, err or errors.serverNotRunning())
    end
  end
  -- a failed listen goes to the waiting tasks, else as if this listener
  -- were not there
  A.onError = function(err)
    if #A.waiting > 0 then
      A.onClose(err)
    elseif listenerCount(server, 'error') == 1 then
      off(server, 'error', A.onError)
      A.hooked = false
      emit(server, 'error', err)
    end
  end
  acceptors[server] = A
  return A
end

local function hook(server)
  local A = acceptor(server)
  if not A.hooked then
    A.hooked = true
    EventEmitter.on(server, 'connection', A.onConnection)
    EventEmitter.on(server, 'close', A.onClose)
    EventEmitter.on(server, 'error', A.onError)
  end
  return A
end

-- A task waiting in accept: what ends it (the timer), and what cancelling
-- it undoes (its place in the queue).
local Accepting = { __close = function(w)
  if w.timer then clearTimeout(w.timer) end
  local list = w.A.waiting
  for i = 1, #list do
    if list[i] == w.co then
      table.remove(list, i)
      return
    end
  end
end }

local function acceptTimeout(co)
  resume(co, nil, task.timedOut('accept'))
end

---server:accept([opts]) -> the next connection's socket, or nil, err
---(ERR_SERVER_NOT_RUNNING for a server that is not listening or that
---closes, its 'error', ETIMEDOUT after opts.timeout). A connection that
---came while no task waited and no 'connection' listener took it is
---held, unread, for accept(); the 'connection' listeners still see every
---one. Raises ERR_NOT_IN_COROUTINE where it would wait and cannot.
---@param opts table|nil { timeout = ms }
---@return userdata|nil socket
---@return table|nil err
function Server:accept(opts)
  local ms = task.timeoutOf(opts, 2)
  local A = hook(self)
  if A.first <= A.last then
    local s = A.held[A.first]
    A.held[A.first] = nil
    A.first = A.first + 1
    return s
  end
  local co = check('server:accept')
  if not (self.listening or A.listening) then
    return nil, errors.serverNotRunning()
  end
  local w <close> = setmetatable({ A = A, co = co }, Accepting)
  A.waiting[#A.waiting + 1] = co
  if ms then w.timer = setTimeout(acceptTimeout, ms, co) end
  return task.park(co)
end

local listen = Server.listen

---server:listen(...) -> server: as net's; a server with no 'connection'
---listener then holds its connections for accept().
function Server:listen(...)
  if core.isServer(self) then
    local A = listenerCount(self, 'connection') == 0 and hook(self) or
      acceptors[self]
    if A then A.listening = true end
  end
  return listen(self, ...)
end

return M
