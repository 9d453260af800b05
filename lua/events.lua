-- EventEmitter, as Node's lib/events.js behaves. Every emitter, Sockets and
-- Servers included, keeps its listeners in self._events: for each event
-- name either one listener or a list of them, and in the array part
-- (1 to n) the names in the order they were first added (JavaScript's key
-- order, which eventNames() shows): one table per emitter, the least an
-- idle connection can hold. A number names its listeners through a key of
-- its own (keyOf), as it would land in the array part. Lists are never
-- changed in place (adding or removing builds a new one), so emit() walks
-- the list it found without copying it: no allocation per event.
local errors = require('errors')

local type, tostring, error = type, tostring, error
local getmetatable, setmetatable, rawget = getmetatable, setmetatable, rawget
local select, ipairs, tointeger = select, ipairs, math.tointeger
local move, remove = table.move, table.remove

---@class EventEmitter
---@overload fun(): EventEmitter
---@field defaultMaxListeners number  the limit of emitters without their own
---@field errorMonitor table  the event that sees every 'error' first
local EventEmitter = {}
EventEmitter.__index = EventEmitter
EventEmitter.__name = 'EventEmitter'
EventEmitter.defaultMaxListeners = 10

-- Node's events.errorMonitor: its listeners see every 'error' before the
-- 'error' listeners do, and do not count as handling it.
EventEmitter.errorMonitor = setmetatable({}, {
  __tostring = function() return 'Symbol(events.errorMonitor)' end,
})
local errorMonitor = EventEmitter.errorMonitor

-- The key a number stands for in self._events (any other name is its own
-- key): one table per number that has listeners, made by addTo and kept
-- while some _events holds it (weak values); reads only look it up.
local boxes = setmetatable({}, { __mode = 'v' })
local function box(n)
  local b = boxes[n]
  if b == nil then
    b = {}
    boxes[n] = b
  end
  return b
end

-- The key of event name in self._events; nil for a number none has.
local function keyOf(name)
  if type(name) == 'number' then return boxes[name] end
  return name
end

-- A once() wrapper, Node's onceWrapper: callable, and it carries .listener
-- so that off(listener) finds it and listeners() shows the listener.
local Once = {}
function Once.__call(w, ...)
  if not w.fired then
    w.target:removeListener(w.type, w)
    w.fired = true
    return w.listener(...)
  end
end

local function isList(h)
  return type(h) == 'table' and getmetatable(h) ~= Once
end

local function unwrap(h)
  if getmetatable(h) == Once then return h.listener end
  return h
end

-- Whether the stored h is listener, or a once() wrapper of it.
local function matches(h, listener)
  return h == listener or unwrap(h) == listener
end

-- Whether self can be an emitter: any table or userdata may be one, as
-- any object may carry Node's EventEmitter methods. A method called with
-- a dot (`emitter.on('x', f)`) gets a string or nil where self goes.
local function isObject(self)
  local t = type(self)
  return t == 'table' or t == 'userdata'
end

-- Raises ERR_INVALID_THIS, which names the fix (errors.invalidThis), unless
-- self of method can be an emitter.
local function checkThis(self, method)
  if not isObject(self) then
    error(errors.invalidThis(nil, self, 3, method), 3)
  end
end

-- Raises ERR_INVALID_ARG_TYPE unless listener is a function; or, as a
-- call with a dot moves every argument one place (listener nil), the
-- ERR_INVALID_THIS of method when self is no object. level: method's, 1
-- being this function. The methods that add and remove listeners check
-- their self here, where a call with a dot fails, not at every call (and
-- make no tail call to the function that calls this, which would lose
-- the name the method was called by).
local function checkListener(listener, self, method, level)
  if type(listener) ~= 'function' and getmetatable(listener) ~= Once then
    if not isObject(self) then
      error(errors.invalidThis(nil, self, level + 1, method), level + 1)
    end
    error(errors.invalidArgType('listener', 'function', listener), 3)
  end
end

local function maxListeners(self)
  local n = self._maxListeners
  if n == nil then return EventEmitter.defaultMaxListeners end
  return n
end

-- The class the warning names, as Node's inspect(target, { depth: -1 }):
-- [EventEmitter], [Socket], [Object] for a table without a class name.
local function className(self)
  local mt = getmetatable(self)
  local name = type(mt) == 'table' and rawget(mt, '__name')
  if type(name) ~= 'string' then return 'Object' end
  return (name:gsub('^luanet%.', ''))
end

-- Node's check for a listener leak, once per list (a list that shrinks to
-- one listener is gone, and the next one may warn again, as in Node).
local function checkLeak(self, name, list)
  local m = maxListeners(self)
  if m > 0 and #list > m and not list.warned then
    list.warned = true
    require('process').emitWarning('Possible EventEmitter memory leak ' ..
      'detected. ' .. #list .. ' ' .. tostring(name) .. ' listeners added ' ..
      'to [' .. className(self) .. ']. MaxListeners is ' ..
      (tointeger(m) or m) .. '. Use emitter.setMaxListeners() to increase ' ..
      'limit', 'MaxListenersExceededWarning')
  end
end

-- Adds listener (checked) to the listeners of event name of self, whose
-- listeners table is events (self._events, nil while it has none: the
-- caller read it), first or last (prepend): emits 'newListener' first,
-- warns of a leak. key: name's key in events (keyOf), when the caller
-- knows it, or nil. The first table is made with room for two names and
-- their listeners (a connection's 'data' and 'error' fill it without
-- growing it), and a new name's listener is stored before the name, so
-- that a table grows once per name at most. Returns nothing.
local function addTo(self, events, name, listener, prepend, key)
  if events and events.newListener then
    self:emit('newListener', name, unwrap(listener))
    events = self._events -- a 'newListener' listener may have replaced it
  end
  if key == nil then
    key = name
    if type(key) == 'number' then key = box(key) end
  end
  if not events then -- (2 names in the array part, 2 keys in the hash)
    self._events = { name, nil, [key] = listener, _ = nil }
    return
  end
  local h = events[key]
  if not h then
    local n = #events
    events[key] = listener
    events[n + 1] = name
    return
  end
  local list
  if not isList(h) then
    list = prepend and { listener, h } or { h, listener }
  else
    local n = #h
    list = { warned = h.warned }
    if prepend then
      list[1] = listener
      move(h, 1, n, 2, list)
    else
      move(h, 1, n, 1, list)
      list[n + 1] = listener
    end
  end
  events[key] = list
  checkLeak(self, name, list)
end
EventEmitter._addTo = addTo

-- on() and prependListener() (method, its name).
local function add(self, name, listener, prepend, method)
  if type(listener) ~= 'function' then -- the one call a connection makes
    checkListener(listener, self, method, 3)
  end
  addTo(self, self._events, name, listener, prepend)
end

---Adds listener to the end of the listeners of event name, after emitting
---'newListener'. Raises ERR_INVALID_ARG_TYPE if listener is no function.
---@param name any
---@param listener function
---@return self
function EventEmitter:on(name, listener)
  add(self, name, listener, false, 'on') -- no tail call: see checkListener
  return self
end
EventEmitter.addListener = EventEmitter.on

---Adds listener to the beginning of the listeners of event name.
---@param name any
---@param listener function
---@return self
function EventEmitter:prependListener(name, listener)
  add(self, name, listener, true, 'prependListener')
  return self
end

local function onceWrap(self, name, listener)
  return setmetatable({ fired = false, target = self, type = name,
    listener = listener }, Once)
end

---Adds listener through self:on(), wrapped so that it is removed before it
---is called the first time.
---@param name any
---@param listener function
---@return self
function EventEmitter:once(name, listener)
  checkListener(listener, self, 'once', 2)
  self:on(name, onceWrap(self, name, listener))
  return self
end

---once(), but through self:prependListener().
---@param name any
---@param listener function
---@return self
function EventEmitter:prependOnceListener(name, listener)
  checkListener(listener, self, 'prependOnceListener', 2)
  self:prependListener(name, onceWrap(self, name, listener))
  return self
end

-- Drops event name from events, which holds one listener for it.
local function forget(events, name)
  events[keyOf(name)] = nil
  for i = #events, 1, -1 do
    if events[i] == name then
      remove(events, i)
      return
    end
  end
end

---Removes the most recently added instance of listener (or of a once()
---wrapper of it) from event name, then emits 'removeListener' with the
---listener, as Node does: unwrapped if it was the only one, else as given.
---A running emit() still calls it.
---@param name any
---@param listener function
---@return self
function EventEmitter:removeListener(name, listener)
  checkListener(listener, self, 'removeListener', 2)
  local events, key = self._events, keyOf(name)
  local h = events and events[key]
  if h == nil then return self end
  if not isList(h) then
    if not matches(h, listener) then return self end
    forget(events, name)
    listener = unwrap(h)
  else
    local n, pos = #h, nil
    for i = n, 1, -1 do
      if matches(h[i], listener) then
        pos = i
        break
      end
    end
    if pos == nil then return self end
    if n == 2 then
      events[key] = h[3 - pos]
    else
      local list = { warned = h.warned }
      move(h, 1, pos - 1, 1, list)
      move(h, pos + 1, n, pos, list)
      events[key] = list
    end
  end
  if events.removeListener ~= nil then
    self:emit('removeListener', name, listener)
  end
  return self
end
EventEmitter.off = EventEmitter.removeListener

-- A new list of the event names in events, in the order they were added.
local function namesOf(events)
  if events == nil then return {} end
  return move(events, 1, #events, 1, {})
end

---Removes every listener of event name, or, without an argument, of every
---event (an explicit nil names an event, as undefined does in Node). If
---there are 'removeListener' listeners, each removal is emitted: event by
---event in the order they were added, each one's listeners last first,
---'removeListener' itself at the end.
---@param name? any
---@return self
function EventEmitter:removeAllListeners(...)
  checkThis(self, 'removeAllListeners')
  local all, name = select('#', ...) == 0, ...
  local events = self._events
  if events == nil then return self end
  if events.removeListener == nil then
    if all then
      self._events = nil
    elseif events[keyOf(name)] ~= nil then
      forget(events, name)
    end
    return self
  end
  if all then
    local names = namesOf(events)
    for i = 1, #names do
      if names[i] ~= 'removeListener' then
        self:removeAllListeners(names[i])
      end
    end
    self:removeAllListeners('removeListener')
    self._events = nil
    return self
  end
  local h = events[keyOf(name)]
  if h == nil then return self end
  if not isList(h) then
    self:removeListener(name, h)
  else
    for i = #h, 1, -1 do self:removeListener(name, h[i]) end
  end
  return self
end

-- An 'error' of self that nobody listens to: a table is raised as it is,
-- anything else in an ERR_UNHANDLED_ERROR that shows it and keeps it as
-- .context. The host names self when it prints the error.
local function unhandled(self, err)
  if type(err) ~= 'table' then
    local shown = type(err) == 'string' and errors._quote(err) or
      require('util').inspect(err)
    err = errors.unhandledError(err, shown)
  end
  errors.emittedBy[err] = self
  error(err, 0)
end

---Calls every listener of event name, in order, with the arguments (all of
---them, trailing nils too). The listeners are those there were when emit()
---began. Returns whether there were any. An 'error' without listeners
---raises (see unhandled above), after the errorMonitor listeners ran.
---@param name any
---@param ... any
---@return boolean
function EventEmitter:emit(name, ...)
  local events = self._events
  if events == nil then checkThis(self, 'emit') end
  if name == 'error' then
    if events ~= nil and events[errorMonitor] ~= nil then
      self:emit(errorMonitor, ...)
    end
    if events == nil or events.error == nil then unhandled(self, (...)) end
  end
  local key = name
  if type(key) == 'number' then key = boxes[key] end
  local h = events and events[key]
  if h == nil then return false end
  if isList(h) then
    for i = 1, #h do h[i](...) end
  else
    h(...)
  end
  return true
end

local function listeners(self, name, unwrapped)
  local events = self._events
  local h = events and events[keyOf(name)]
  if h == nil then return {} end
  if not isList(h) then return { unwrapped and unwrap(h) or h } end
  local list = {}
  for i = 1, #h do list[i] = unwrapped and unwrap(h[i]) or h[i] end
  return list
end

---A new list of the listeners of event name, once() ones unwrapped.
---@param name any
---@return function[]
function EventEmitter:listeners(name)
  checkThis(self, 'listeners')
  return listeners(self, name, true)
end

---A new list of the listeners of event name as stored: a once() listener
---is its wrapper, which has .listener and, called, removes itself first.
---@param name any
---@return function[]
function EventEmitter:rawListeners(name)
  checkThis(self, 'rawListeners')
  return listeners(self, name, false)
end

---How many listeners event name has; with listener, how many of them are
---listener (or a once() wrapper of it).
---@param name any
---@param listener? function
---@return integer
function EventEmitter:listenerCount(name, listener)
  checkThis(self, 'listenerCount')
  local events = self._events
  local h = events and events[keyOf(name)]
  if h == nil then return 0 end
  if not isList(h) then
    return (listener == nil or matches(h, listener)) and 1 or 0
  end
  if listener == nil then return #h end
  local n = 0
  for i = 1, #h do
    if matches(h[i], listener) then n = n + 1 end
  end
  return n
end

---A new list of the events that have listeners, in the order they got
---their first one (since they last had none).
---@return any[]
function EventEmitter:eventNames()
  checkThis(self, 'eventNames')
  return namesOf(self._events)
end

---Sets how many listeners one event may have before a
---MaxListenersExceededWarning (0 or math.huge: no limit). Raises
---ERR_INVALID_ARG_TYPE or ERR_OUT_OF_RANGE unless n is a number >= 0.
---@param n number
---@return self
function EventEmitter:setMaxListeners(n)
  checkThis(self, 'setMaxListeners')
  errors.validateNumber(n, 'setMaxListeners', 0)
  self._maxListeners = n
  return self
end

---The limit setMaxListeners() set, else EventEmitter.defaultMaxListeners.
---@return number
function EventEmitter:getMaxListeners()
  checkThis(self, 'getMaxListeners')
  return maxListeners(self)
end

---In a task: waits for event and returns its arguments (true when it has
---none), or nil, err for an 'error' meanwhile or opts.timeout (ms) passed:
---Node's events.once(emitter, event). lua/task.lua has it.
---@param event any
---@param opts table|nil { timeout = ms }
function EventEmitter:wait(event, opts)
  return require('task').wait(self, event, opts)
end

-- The methods every emitter gets, Sockets and Servers included.
EventEmitter.methods = {
  'on', 'addListener', 'prependListener', 'once', 'prependOnceListener',
  'removeListener', 'off', 'removeAllListeners', 'emit', 'listeners',
  'rawListeners', 'listenerCount', 'eventNames', 'setMaxListeners',
  'getMaxListeners', 'wait',
}

---Makes class (the table its objects find their methods in, or one object)
---an emitter: copies in the emitter methods it has none of its own for.
---Set class.__name for the warnings to name it. Returns class.
---@generic T: table
---@param class T
---@return T
function EventEmitter.mixin(class)
  for _, k in ipairs(EventEmitter.methods) do
    if class[k] == nil then class[k] = EventEmitter[k] end
  end
  return class
end

EventEmitter.EventEmitter = EventEmitter

-- EventEmitter() makes a new emitter.
return setmetatable(EventEmitter, {
  __call = function(class)
    return setmetatable({}, class)
  end,
})
