-- task: where code may wait. A task is a coroutine luanet runs (net.spawn,
-- the main chunk of a script run by luanet, each REPL line); a waiting
-- call parks its task and the event it waits for resumes it. An error a
-- task raises is an uncaught error, as a listener's is. Also
-- emitter:wait(event[, opts]), Node's events.once.
local _, core = ...

local type, select, rawequal, rawget, setmetatable, getmetatable, error,
  tostring = type, select, rawequal, rawget, setmetatable, getmetatable,
  error, tostring
local create, resume, yield, running, status, close = coroutine.create,
  coroutine.resume, coroutine.yield, coroutine.running, coroutine.status,
  coroutine.close
local traceback, getregistry = debug.traceback, debug.getregistry
local nextTick = core.nextTick

-- errors, loaded when an error is first made or checked: a script that
-- makes none does not load it (spec/startup_spec.lua).
local errors = setmetatable({}, { __index = function(proxy, k)
  local loaded = require('errors')
  setmetatable(proxy, { __index = loaded })
  return loaded[k]
end })

local M = {}

-- What a parked task yields: it tells resume() the task waits, not ends.
local WAIT = setmetatable({}, { __name = 'wait' })

---@class Task
---@field co thread the task's coroutine
---@field done boolean|nil it returned, raised or was cancelled
---@field parked boolean|table it waits: true, or the reader whose __close
---lets go of what its read holds when the task is cancelled
local Task = { __name = 'Task' }
Task.__index = Task

-- The task of each coroutine luanet runs; weak, so that a task nothing
-- will ever resume is collected with its coroutine.
local tasks = setmetatable({}, { __mode = 'k' })

-- ---- errors -------------------------------------------------------------

---ERR_NOT_IN_COROUTINE for what (a name such as 'socket:read'), which
---would have to wait where nothing can.
---@param what string
---@return table err
function M.notInCoroutine(what)
  return errors.new('Error', 'ERR_NOT_IN_COROUTINE', what .. ' waits, and ' ..
    'nothing can wait here: call it inside net.spawn(fn, ...), in the main ' ..
    'chunk of a script run by luanet, or in a REPL line')
end

---ETIMEDOUT: what (a read, a wait) took longer than its opts.timeout.
---@param syscall string 'read', 'accept', 'wait', 'drain'
---@return table err
function M.timedOut(syscall)
  return errors.new('Error', 'ETIMEDOUT', syscall .. ' ETIMEDOUT',
    { errno = core.errno.ETIMEDOUT, syscall = syscall })
end

-- Raises err, a task's error, as uncaught: through the gate that called
-- this tick, so that 'uncaughtException' listeners see it, else the host
-- prints it and exits with 1 (luanet.run() raises it, in the module).
-- The traceback printed must be the task's, not this function's: the gate
-- records the traceback of the raise in the registry before the stack
-- unwinds, and this to-be-closed value puts the task's there after.
local TraceFix = { __close = function(fix)
  getregistry()['luanet.traceback'] = fix[1]
end }
local function rethrow(err, trace)
  local _ <close> = setmetatable({ trace }, TraceFix)
  if errors.isError(err) and rawget(err, 'stack') == nil then
    err.stack = tostring(err) .. '\n' .. trace -- as Node's err.stack
  end
  error(err, 0)
end

-- ---- running tasks ------------------------------------------------------

-- The end of t: it returned (ok) or raised (not ok, err first); with
-- onDone, that decides what follows, else an error is uncaught.
local function settle(t, ok, ...)
  t.done, t.parked = true, false
  local co, onDone = t.co, t.onDone
  if ok then
    if onDone then onDone(true, ...) end
    return
  end
  local err = ...
  local trace = traceback(co)
  local closed, closeErr = close(co) -- its <close> variables run now
  if not closed then err = closeErr end
  if onDone then
    onDone(false, err, trace)
  elseif t.raise then -- the main chunk before it waited
    t.err, t.trace = err, trace
  else
    nextTick(rethrow, err, trace)
  end
end

-- What coroutine.resume gave: the task waits again (it yielded WAIT), or
-- it ended.
local function after(t, ok, ...)
  if ok and rawequal((...), WAIT) then return end
  if status(t.co) ~= 'dead' then return end -- a plain coroutine.yield()
  settle(t, ok, ...)
end

---Resumes co, a task parked by M.park(), with values M.park() returns.
---Does nothing for a coroutine that is not a parked task.
---@param co thread
function M.resume(co, ...)
  local t = tasks[co]
  if t == nil or not t.parked then return end
  t.parked = false
  return after(t, resume(co, ...))
end

---Whether co is a task's coroutine (where code may wait).
---@param co thread
---@return boolean
function M.isTask(co)
  return tasks[co] ~= nil
end

---The running task's coroutine, or nil where nothing can wait (the main
---thread, a listener called by an event, a coroutine of the user's own).
---@return thread|nil
function M.current()
  local co, main = running()
  if not main and tasks[co] then return co end
end

---The running task's coroutine; raises ERR_NOT_IN_COROUTINE (at level,
---2 by default: the caller's caller) where nothing can wait.
---@param what string the waiting call, for the message
---@param level integer|nil
---@return thread
function M.check(what, level)
  local co, main = running()
  if main or not tasks[co] then
    error(M.notInCoroutine(what), (level or 2) + 1)
  end
  return co
end

---Parks the running task (which M.check or M.current gave) until
---M.resume(co, ...) is called; returns what that passes. Whoever will
---resume it must be set up first.
function M.park(co)
  tasks[co].parked = true
  return yield(WAIT)
end

-- For lua/reader.lua's reads, which park without a frame of park()'s:
-- the fewer frames a waiting task has, the smaller its stack stays.
M._tasks, M._WAIT = tasks, WAIT

local function start(t, ...)
  after(t, resume(t.co, ...))
  return t
end

---net.spawn(fn, ...) -> task: runs fn(...) as a task at once, until it
---first waits (or ends). An error fn raises is uncaught, as a listener's:
---'uncaughtException' listeners get it, else luanet prints it with the
---task's traceback and exits with 1. Raises ERR_INVALID_ARG_TYPE without
---a function.
---@param fn function
---@return Task
function M.spawn(fn, ...)
  if type(fn) ~= 'function' then
    error(errors.invalidArgType('fn', 'function', fn), 2)
  end
  local co = create(fn)
  local t = setmetatable({ co = co }, Task)
  tasks[co] = t
  return start(t, ...)
end

---Runs fn(...) as a task whose end calls onDone(true, results...) or
---onDone(false, err, traceback) or, for task:cancel(), onDone(nil): a
---REPL line. Returns the task.
---@param onDone function
---@param fn function
---@return Task
function M.spawnWith(onDone, fn, ...)
  local co = create(fn)
  local t = setmetatable({ co = co, onDone = onDone }, Task)
  tasks[co] = t
  return start(t, ...)
end

---The main chunk of a script (bindings/main.c): chunk(...) as a task. An
---error raised before it first waits is raised here, to the host, as the
---script's own error always was; a later one is uncaught, as any task's.
---@param chunk function
function M.main(chunk, ...)
  local co = create(chunk)
  local t = setmetatable({ co = co, raise = true }, Task)
  tasks[co] = t
  start(t, ...)
  t.raise = nil
  if t.err ~= nil then rethrow(t.err, t.trace) end
end

---task:cancel() -> true if the task was waiting and is now closed, false
---if it had ended: coroutine.close, so its <close> variables run (and a
---waiting read, accept or sleep lets go). An error a <close> raises is
---uncaught. Raises an error for the running task.
---@return boolean
function Task:cancel()
  if self.done then return false end
  local co = self.co
  if status(co) ~= 'suspended' then
    error(errors.new('Error', 'ERR_TASK_RUNNING',
      'A task cannot cancel itself while it runs'), 2)
  end
  local held = self.parked -- true, or what a read holds (lua/reader.lua)
  self.done, self.parked = true, false
  if held and held ~= true then getmetatable(held).__close(held) end
  local ok, err = close(co)
  if self.onDone then self.onDone(nil) end
  if not ok then nextTick(rethrow, err, traceback(co)) end
  return true
end

function Task:__tostring()
  return 'Task (' .. (self.done and 'done' or status(self.co)) .. ')'
end

M.Task = Task

-- ---- emitter:wait --------------------------------------------------------

-- One call of emitter:wait: its task, and what to undo when it ends.
local Wait = {}
Wait.__index = Wait

-- Removes the listeners and the timer of a wait that ended (or whose task
-- was cancelled).
function Wait.__close(w)
  local emitter = w.emitter
  if w.onEvent then emitter:removeListener(w.event, w.onEvent) end
  if w.onError then emitter:removeListener('error', w.onError) end
  if w.timer then w.clearTimeout(w.timer) end
end

-- Validates opts and opts.timeout (ms, a number >= 0, or nil). Returns the
-- timeout.
local function timeoutOf(opts, level)
  if opts == nil then return nil end
  if type(opts) ~= 'table' then
    error(errors.invalidArgType('options', 'table', opts), level + 1)
  end
  local ms = opts.timeout
  if ms ~= nil and (type(ms) ~= 'number' or ms ~= ms or ms < 0) then
    error(errors.invalidArgType('options.timeout', 'number', ms),
      level + 1)
  end
  return ms
end
M.timeoutOf = timeoutOf

local function count(...) return select('#', ...), ... end

-- What wait returns for the event's arguments: them, or true for none.
local function results(ok, n, ...)
  if ok == nil then return nil, M.timedOut('wait') end
  if not ok then return nil, ... end
  if n == 0 then return true end
  return ...
end

---emitter:wait(event[, opts]) -> the event's arguments (true when it has
---none), or nil, err: the 'error' the emitter emitted meanwhile, or
---ETIMEDOUT after opts.timeout ms. Node's events.once(emitter, event).
---Raises ERR_NOT_IN_COROUTINE where nothing can wait.
---@param emitter table|userdata
---@param event any
---@param opts table|nil { timeout = ms }
function M.wait(emitter, event, opts)
  local ms = timeoutOf(opts, 2)
  local co = M.check('emitter:wait')
  local w <close> = setmetatable({ emitter = emitter, event = event }, Wait)
  local settled
  local function finish(...)
    if settled then return end
    settled = table.pack(...)
    -- after the event's other listeners, as a promise of Node's resolves
    nextTick(M.resume, co, ...)
  end
  w.onEvent = function(...) finish(true, count(...)) end
  emitter:on(event, w.onEvent)
  if event ~= 'error' then
    w.onError = function(err) finish(false, 1, err) end
    emitter:on('error', w.onError)
  end
  if ms ~= nil then
    local timers = core.timers
    w.clearTimeout = timers.clearTimeout
    w.timer = timers.setTimeout(finish, ms, nil)
  end
  if settled then -- emitted while the listeners were being added
    return results(table.unpack(settled, 1, settled.n))
  end
  return results(M.park(co))
end

return M
