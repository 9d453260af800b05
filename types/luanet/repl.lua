---@meta repl
-- LuaCATS declarations for lua-language-server: require('repl') (docs/repl.md).
-- Types only: nothing here runs. Installed as share/luanet/types/luanet/.

---@class repl
---@field REPLServer REPLServer  the class of the sessions
local repl = {}

---@class repl.Options
---@field prompt? string  '> '
---@field input? EventEmitter  a stream with 'data' and 'end', such as a Socket
---@field output? { write: fun(self: any, s: string) }  input, or process.stdout

---A read-eval-print session (docs/repl.md).
---Events:
--- * `'exit'`(): the session ended
--- * `'error'`(err: net.Error): an error of the input stream
--- * `'newListener'`(event: any, listener: function): before a listener is added
--- * `'removeListener'`(event: any, listener: function): after a listener was removed
---@class REPLServer: EventEmitter
---@field prompt string
---@field input EventEmitter?
---@field output { write: fun(self: any, s: string) }
---@field sockets table<integer, net.Socket|net.Server>  its numbered connections
local REPLServer = {}

---Ends the session; 'exit' follows.
function REPLServer:close() end

---The prompt for the next line.
---@return string
function REPLServer:getPrompt() end

---Writes the prompt to the output.
function REPLServer:displayPrompt() end

---The sorted completions of word (a name, a field path, a method).
---@param word string
---@return string[]
function REPLServer:complete(word) end

---Adds listener to the end of the listeners of event; returns self.
---@param event any
---@param listener function
---@return REPLServer
---@overload fun(self: REPLServer, event: 'exit', listener: fun()): REPLServer
---@overload fun(self: REPLServer, event: 'error', listener: fun(err: net.Error)): REPLServer
---@overload fun(self: REPLServer, event: 'newListener', listener: fun(event: any, listener: function)): REPLServer
---@overload fun(self: REPLServer, event: 'removeListener', listener: fun(event: any, listener: function)): REPLServer
function REPLServer:on(event, listener) end

---Adds a listener removed before its first call; returns self.
---@param event any
---@param listener function
---@return REPLServer
---@overload fun(self: REPLServer, event: 'exit', listener: fun()): REPLServer
---@overload fun(self: REPLServer, event: 'error', listener: fun(err: net.Error)): REPLServer
---@overload fun(self: REPLServer, event: 'newListener', listener: fun(event: any, listener: function)): REPLServer
---@overload fun(self: REPLServer, event: 'removeListener', listener: fun(event: any, listener: function)): REPLServer
function REPLServer:once(event, listener) end

---Removes the last added instance of listener; returns self.
---@param event any
---@param listener function
---@return REPLServer
---@overload fun(self: REPLServer, event: 'exit', listener: fun()): REPLServer
---@overload fun(self: REPLServer, event: 'error', listener: fun(err: net.Error)): REPLServer
---@overload fun(self: REPLServer, event: 'newListener', listener: fun(event: any, listener: function)): REPLServer
---@overload fun(self: REPLServer, event: 'removeListener', listener: fun(event: any, listener: function)): REPLServer
function REPLServer:off(event, listener) end

---The same as on.
---@param event any
---@param listener function
---@return REPLServer
---@overload fun(self: REPLServer, event: 'exit', listener: fun()): REPLServer
---@overload fun(self: REPLServer, event: 'error', listener: fun(err: net.Error)): REPLServer
---@overload fun(self: REPLServer, event: 'newListener', listener: fun(event: any, listener: function)): REPLServer
---@overload fun(self: REPLServer, event: 'removeListener', listener: fun(event: any, listener: function)): REPLServer
function REPLServer:addListener(event, listener) end

---Adds listener at the beginning; returns self.
---@param event any
---@param listener function
---@return REPLServer
---@overload fun(self: REPLServer, event: 'exit', listener: fun()): REPLServer
---@overload fun(self: REPLServer, event: 'error', listener: fun(err: net.Error)): REPLServer
---@overload fun(self: REPLServer, event: 'newListener', listener: fun(event: any, listener: function)): REPLServer
---@overload fun(self: REPLServer, event: 'removeListener', listener: fun(event: any, listener: function)): REPLServer
function REPLServer:prependListener(event, listener) end

---once, at the beginning; returns self.
---@param event any
---@param listener function
---@return REPLServer
---@overload fun(self: REPLServer, event: 'exit', listener: fun()): REPLServer
---@overload fun(self: REPLServer, event: 'error', listener: fun(err: net.Error)): REPLServer
---@overload fun(self: REPLServer, event: 'newListener', listener: fun(event: any, listener: function)): REPLServer
---@overload fun(self: REPLServer, event: 'removeListener', listener: fun(event: any, listener: function)): REPLServer
function REPLServer:prependOnceListener(event, listener) end

---The same as off.
---@param event any
---@param listener function
---@return REPLServer
---@overload fun(self: REPLServer, event: 'exit', listener: fun()): REPLServer
---@overload fun(self: REPLServer, event: 'error', listener: fun(err: net.Error)): REPLServer
---@overload fun(self: REPLServer, event: 'newListener', listener: fun(event: any, listener: function)): REPLServer
---@overload fun(self: REPLServer, event: 'removeListener', listener: fun(event: any, listener: function)): REPLServer
function REPLServer:removeListener(event, listener) end

---A new session; a string is taken as the prompt. Raises
---ERR_INVALID_ARG_TYPE for options that are not a table.
---@param options? repl.Options|string
---@return REPLServer
function repl.start(options) end

---luanet's own: offers the running script's REPL on a Unix socket at
---path (mode 0600), for `luanet --attach path` or `nc -U path`.
---@param path string
---@param options? { prompt?: string }
---@return net.Server
function repl.listen(path, options) end

return repl
