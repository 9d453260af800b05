-- EventEmitter, as Node's lib/events.js behaves. Every emitter, Sockets and
-- Servers included, keeps its listeners in self._events: for each event
-- either one listener, or a list of them. Lists are never changed in place
-- (adding or removing builds a new one), so emit() walks the list it found
-- without copying it: no allocation per event.
local _, core = ...

local errors = require('errors')

local type, select, getmetatable, setmetatable = type, select, getmetatable,
  setmetatable
local rawget, pairs, tostring = rawget, pairs, tostring
local sort = table.sort

local EventEmitter = {}
EventEmitter.__index = EventEmitter
EventEmitter.__name = 'EventEmitter'
EventEmitter.defaultMaxListeners = 10

-- A once() wrapper: callable, and it knows its listener so that
-- off(listener) finds it, as Node's onceWrapper carries .listener.
local Once = {}
Once.__call = function(w, ...)
  if not w.fired then
    w.fired = true
    w.target:removeListener(w.type, w)
    return w.listener(...)
  end
end

local function single(h)
  return type(h) == 'function' or getmetatable(h) == Once
end

local function unwrap(h)
  if getmetatable(h) == Once then return h.listener end
  return h
end

local function checkListener(listener)
  if type(listener) ~= 'function' and getmetatable(listener) ~= Once then
    error(errors.invalidArgType('listener', 'function', listener), 3)
  end
end

local function count(h)
  if h == nil then return 0 end
  if single(h) then return 1 end
  return #h
end

-- The class name Node shows in the warning: [Socket], [EventEmitter].
local function className(self)
  local mt = getmetatable(self)
  local name = type(mt) == 'table' and rawget(mt, '__name')
  return type(name) == 'string' and name:gsub('^luanet%.', '') or 'Object'
end

local function warnIfTooMany(self, name, n)
  local max = self:getMaxListeners()
  if max > 0 and n > max then
    local warned = self._warned
    if warned == nil then
      warned = {}
      self._warned = warned
    elseif warned[name] then
      return
    end
    warned[name] = true
    require('process').emitWarning('Possible EventEmitter memory leak ' ..
      'detected. ' .. n .. ' ' .. tostring(name) .. ' listeners added to [' ..
      className(self) .. ']. Use emitter.setMaxListeners() to increase limit',
      'MaxListenersExceededWarning')
  end
end

local function add(self, name, listener, prepend)
  local events = self._events
  if events == nil then
    events = {}
    self._events = events
  elseif events.newListener ~= nil then
    self:emit('newListener', name, unwrap(listener))
    events = self._events
  end
  local h = events[name]
  if h == nil then
    events[name] = listener
    return self
  end
  local list
  if single(h) then
    list = prepend and { listener, h } or { h, listener }
  else
    local n = #h
    list = {}
    if prepend then
      list[1] = listener
      for i = 1, n do list[i + 1] = h[i] end
    else
      for i = 1, n do list[i] = h[i] end
      list[n + 1] = listener
    end
  end
  events[name] = list
  warnIfTooMany(self, name, #list)
  return self
end

---Adds listener for event name. Returns the emitter.
---@param name any
---@param listener function
function EventEmitter:on(name, listener)
  checkListener(listener)
  return add(self, name, listener, false)
end
EventEmitter.addListener = EventEmitter.on

---Adds listener before the others.
function EventEmitter:prependListener(name, listener)
  checkListener(listener)
  return add(self, name, listener, true)
end

local function onceWrap(self, name, listener)
  return setmetatable({ listener = listener, target = self, type = name,
    fired = false }, Once)
end

---Adds a listener that is removed before its first call.
function EventEmitter:once(name, listener)
  checkListener(listener)
  return self:on(name, onceWrap(self, name, listener))
end

function EventEmitter:prependOnceListener(name, listener)
  checkListener(listener)
  return add(self, name, onceWrap(self, name, listener), true)
end

---Removes the most recently added instance of listener (or of a once()
---wrapper of it). Emits 'removeListener' after. Returns the emitter.
function EventEmitter:removeListener(name, listener)
  checkListener(listener)
  local events = self._events
  if events == nil then return self end
  local h = events[name]
  if h == nil then return self end
  local removed
  if single(h) then
    if h == listener or unwrap(h) == listener then
      removed = h
      events[name] = nil
    end
  else
    local pos
    for i = #h, 1, -1 do
      if h[i] == listener or unwrap(h[i]) == listener then
        pos = i
        break
      end
    end
    if pos then
      removed = h[pos]
      local n = #h
      if n == 2 then
        events[name] = h[3 - pos]
      else
        local list = {}
        for i = 1, n do
          if i ~= pos then list[#list + 1] = h[i] end
        end
        events[name] = list
      end
    end
  end
  if removed ~= nil and events.removeListener ~= nil then
    self:emit('removeListener', name, unwrap(removed))
  end
  return self
end
EventEmitter.off = EventEmitter.removeListener

---Removes every listener of name, or of every event. Returns the emitter.
function EventEmitter:removeAllListeners(name)
  local events = self._events
  if events == nil then return self end
  if events.removeListener == nil then
    if name == nil then
      self._events = {}
    else
      events[name] = nil
    end
    return self
  end
  if name == nil then
    for _, key in ipairs(self:eventNames()) do
      if key ~= 'removeListener' then self:removeAllListeners(key) end
    end
    self:removeAllListeners('removeListener')
    self._events = {}
    return self
  end
  local h = events[name]
  if h == nil then return self end
  if single(h) then
    self:removeListener(name, h)
  else
    for i = #h, 1, -1 do self:removeListener(name, h[i]) end
  end
  return self
end

---Calls every listener of name with the arguments, in order. Returns
---whether there were any. An 'error' without listeners raises the error.
function EventEmitter:emit(name, ...)
  local events = self._events
  local h = events and events[name]
  if h == nil then
    if name == 'error' then
      local err = ...
      if type(err) == 'table' then error(err, 0) end
      local shown
      if select('#', ...) > 0 then
        shown = require('util').inspect(err)
      end
      error(errors.unhandledError(err, shown), 0)
    end
    return false
  end
  if single(h) then
    h(...)
  else
    for i = 1, #h do h[i](...) end
  end
  return true
end

---A copy of the listeners of name (once() wrappers unwrapped).
function EventEmitter:listeners(name)
  local h = self._events and self._events[name]
  if h == nil then return {} end
  if single(h) then return { unwrap(h) } end
  local list = {}
  for i = 1, #h do list[i] = unwrap(h[i]) end
  return list
end

---A copy of the listeners of name, once() wrappers included.
function EventEmitter:rawListeners(name)
  local h = self._events and self._events[name]
  if h == nil then return {} end
  if single(h) then return { h } end
  local list = {}
  for i = 1, #h do list[i] = h[i] end
  return list
end

---How many listeners name has (of listener, when given).
function EventEmitter:listenerCount(name, listener)
  local h = self._events and self._events[name]
  if listener == nil then return count(h) end
  local n = 0
  for _, l in ipairs(h == nil and {} or single(h) and { h } or h) do
    if l == listener or unwrap(l) == listener then n = n + 1 end
  end
  return n
end

---The names of the events that have listeners, sorted.
function EventEmitter:eventNames()
  local names = {}
  for k, h in pairs(self._events or {}) do
    if count(h) > 0 then names[#names + 1] = k end
  end
  sort(names, function(a, b) return tostring(a) < tostring(b) end)
  return names
end

---Sets how many listeners of one event may be added before a warning
---(0: no limit). Raises ERR_OUT_OF_RANGE for a negative or NaN n.
function EventEmitter:setMaxListeners(n)
  if type(n) ~= 'number' or n < 0 or n ~= n then
    error(errors.outOfRange('n', 'a non-negative number', n), 2)
  end
  self._maxListeners = n
  return self
end

function EventEmitter:getMaxListeners()
  return self._maxListeners or EventEmitter.defaultMaxListeners
end

-- The methods every emitter gets, Sockets and Servers included.
EventEmitter.methods = {
  'on', 'addListener', 'prependListener', 'once', 'prependOnceListener',
  'removeListener', 'off', 'removeAllListeners', 'emit', 'listeners',
  'rawListeners', 'listenerCount', 'eventNames', 'setMaxListeners',
  'getMaxListeners',
}

---Copies the emitter methods into class (a methods table) where it has
---none of its own.
function EventEmitter.mixin(class)
  for _, k in ipairs(EventEmitter.methods) do
    if class[k] == nil then class[k] = EventEmitter[k] end
  end
  return class
end

EventEmitter.EventEmitter = EventEmitter

---EventEmitter() makes a new emitter.
return setmetatable(EventEmitter, {
  __call = function(class)
    return setmetatable({}, class)
  end,
})
