---@meta events
-- LuaCATS declarations for lua-language-server: require('events'), the EventEmitter (docs/events.md).
-- Types only: nothing here runs. Installed as share/luanet/types/luanet/.

---An emitter of named events, as Node 22's EventEmitter. Listeners get
---exactly the arguments given to emit, and no self.
---@class EventEmitter
---@overload fun(): EventEmitter
---@field defaultMaxListeners number  the limit of an emitter without its own (10)
---@field errorMonitor table  the event whose listeners see every 'error' first
---@field EventEmitter EventEmitter  the class itself
---@field methods string[]  luanet's own: the names mixin() copies
local EventEmitter = {}

---Adds listener to the end of the listeners of event, after emitting
---'newListener'. Raises ERR_INVALID_ARG_TYPE if listener is no function.
---@param event any
---@param listener function
---@return self
---@overload fun(self: EventEmitter, event: 'newListener', listener: fun(event: any, listener: function)): EventEmitter
---@overload fun(self: EventEmitter, event: 'removeListener', listener: fun(event: any, listener: function)): EventEmitter
function EventEmitter:on(event, listener) end

---The same as on.
---@param event any
---@param listener function
---@return self
function EventEmitter:addListener(event, listener) end

---Adds listener at the beginning of the listeners of event.
---@param event any
---@param listener function
---@return self
function EventEmitter:prependListener(event, listener) end

---Adds a listener that is removed before its first call.
---@param event any
---@param listener function
---@return self
function EventEmitter:once(event, listener) end

---once, at the beginning.
---@param event any
---@param listener function
---@return self
function EventEmitter:prependOnceListener(event, listener) end

---Removes the most recently added instance of listener (or of a once() of
---it), then emits 'removeListener'.
---@param event any
---@param listener function
---@return self
function EventEmitter:off(event, listener) end

---The same as off.
---@param event any
---@param listener function
---@return self
function EventEmitter:removeListener(event, listener) end

---Removes every listener of event, or of every event without an argument.
---@param event? any
---@return self
function EventEmitter:removeAllListeners(event) end

---Calls every listener of event with the arguments; returns whether there
---were any. An 'error' without listeners raises the error.
---@param event any
---@param ... any
---@return boolean
function EventEmitter:emit(event, ...) end

---A new list of the listeners of event (once() ones as given).
---@param event any
---@return function[]
function EventEmitter:listeners(event) end

---A new list of the listeners as stored (once() wrappers, with .listener).
---@param event any
---@return function[]
function EventEmitter:rawListeners(event) end

---How many listeners event has; with listener, how many are it.
---@param event any
---@param listener? function
---@return integer
function EventEmitter:listenerCount(event, listener) end

---The events that have listeners, in the order they got their first.
---@return any[]
function EventEmitter:eventNames() end

---How many listeners an event may have before a warning (0: no limit).
---Raises ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE.
---@param n number
---@return self
function EventEmitter:setMaxListeners(n) end

---What setMaxListeners() set, else EventEmitter.defaultMaxListeners.
---@return number
function EventEmitter:getMaxListeners() end

---luanet's own, in a task (Node's events.once): waits for event and
---returns its arguments (true for none); nil, err for an 'error' meanwhile
---or ETIMEDOUT after opts.timeout (ms). Raises ERR_NOT_IN_COROUTINE
---where nothing can wait.
---@param event any
---@param opts? { timeout?: number }
---@return any ...
function EventEmitter:wait(event, opts) end

---luanet's own: makes class an emitter, copying in the methods it lacks.
---@generic T: table
---@param class T
---@return T
function EventEmitter.mixin(class) end

return EventEmitter
