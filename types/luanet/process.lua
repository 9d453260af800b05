---@meta process
-- LuaCATS declarations for lua-language-server: the global process, require('process') (docs/process.md).
-- Types only: nothing here runs. Installed as share/luanet/types/luanet/.

---A writable stream on a descriptor: process.stdout, process.stderr.
---Events:
--- * `'drain'`(): a write that returned false is done
--- * `'finish'`(): after end_()
--- * `'close'`(): after finish
--- * `'error'`(err: net.Error): a write failed
--- * `'resize'`(): a terminal changed size
---@class process.WriteStream: EventEmitter
---@field fd integer  1 or 2
---@field isTTY true?  true on a terminal
---@field columns integer?  a terminal's width
---@field rows integer?  a terminal's height
---@field writable boolean
---@field writableLength integer  0: nothing waits
---@field writableHighWaterMark integer  65536
---@field destroyed boolean
---@field ["end"] fun(self: process.WriteStream, chunk?: string, encoding?: string, callback?: fun(err?: net.Error)): process.WriteStream
local WriteStream = {}

---Writes chunk at once; false for a chunk of 64 KiB or more ('drain').
---@param chunk string
---@param encoding? string
---@param callback? fun(err?: net.Error)
---@return boolean
function WriteStream:write(chunk, encoding, callback) end

---Writes chunk, then 'finish' and 'close'; the descriptor stays open.
---@param chunk? string
---@param encoding? string
---@param callback? fun(err?: net.Error)
---@return process.WriteStream
function WriteStream:end_(chunk, encoding, callback) end

---Adds listener to the end of the listeners of event; returns self.
---@param event any
---@param listener function
---@return process.WriteStream
---@overload fun(self: process.WriteStream, event: 'drain', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'finish', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'close', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'error', listener: fun(err: net.Error)): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'resize', listener: fun()): process.WriteStream
function WriteStream:on(event, listener) end

---Adds a listener removed before its first call; returns self.
---@param event any
---@param listener function
---@return process.WriteStream
---@overload fun(self: process.WriteStream, event: 'drain', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'finish', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'close', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'error', listener: fun(err: net.Error)): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'resize', listener: fun()): process.WriteStream
function WriteStream:once(event, listener) end

---Removes the last added instance of listener; returns self.
---@param event any
---@param listener function
---@return process.WriteStream
---@overload fun(self: process.WriteStream, event: 'drain', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'finish', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'close', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'error', listener: fun(err: net.Error)): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'resize', listener: fun()): process.WriteStream
function WriteStream:off(event, listener) end

---The same as on.
---@param event any
---@param listener function
---@return process.WriteStream
---@overload fun(self: process.WriteStream, event: 'drain', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'finish', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'close', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'error', listener: fun(err: net.Error)): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'resize', listener: fun()): process.WriteStream
function WriteStream:addListener(event, listener) end

---Adds listener at the beginning; returns self.
---@param event any
---@param listener function
---@return process.WriteStream
---@overload fun(self: process.WriteStream, event: 'drain', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'finish', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'close', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'error', listener: fun(err: net.Error)): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'resize', listener: fun()): process.WriteStream
function WriteStream:prependListener(event, listener) end

---once, at the beginning; returns self.
---@param event any
---@param listener function
---@return process.WriteStream
---@overload fun(self: process.WriteStream, event: 'drain', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'finish', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'close', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'error', listener: fun(err: net.Error)): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'resize', listener: fun()): process.WriteStream
function WriteStream:prependOnceListener(event, listener) end

---The same as off.
---@param event any
---@param listener function
---@return process.WriteStream
---@overload fun(self: process.WriteStream, event: 'drain', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'finish', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'close', listener: fun()): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'error', listener: fun(err: net.Error)): process.WriteStream
---@overload fun(self: process.WriteStream, event: 'resize', listener: fun()): process.WriteStream
function WriteStream:removeListener(event, listener) end

---process.stdin: a Socket on descriptor 0.
---@class process.ReadStream: net.Socket
---@field fd integer  0
---@field isTTY true?  true on a terminal
---@field isRaw boolean?  on a terminal: whether setRawMode(true) is on
local ReadStream = {}

---On a terminal: raw mode (no echo, no line editing) or back. Raises the
---system error.
---@param raw boolean
---@return process.ReadStream
function ReadStream:setRawMode(raw) end

---Node's process (docs/process.md).
---Events:
--- * `'exit'`(code: integer): the process is about to end
--- * `'uncaughtException'`(err: any, origin: string): an uncaught error; with a listener the process goes on
--- * `'uncaughtExceptionMonitor'`(err: any, origin: string): sees every uncaught error first
--- * `'warning'`(warning: net.Error): what emitWarning() emitted
--- * `'SIGINT'`(name: string, signum: integer): the signal (any signal name: a listener watches it)
--- * `'SIGTERM'`(name: string, signum: integer): the signal
--- * `'SIGHUP'`(name: string, signum: integer): the signal
--- * `'SIGUSR1'`(name: string, signum: integer): the signal
--- * `'SIGUSR2'`(name: string, signum: integer): the signal
--- * `'SIGWINCH'`(name: string, signum: integer): the signal
--- * `'newListener'`(event: any, listener: function): before a listener is added
--- * `'removeListener'`(event: any, listener: function): after a listener was removed
---@class process: EventEmitter
---@field argv string[]  [1] the executable, [2] the script, [3]... its arguments
---@field execArgv string[]
---@field execPath string
---@field env table<string, string>  the environment, live
---@field pid integer
---@field ppid integer
---@field platform string  'linux'
---@field arch string  'x64', 'arm64'...
---@field title string
---@field version string  'v0.1.0'
---@field versions { luanet: string, lua: string }
---@field release { name: string }
---@field exitCode integer?  the status at the end (checked when set)
---@field noDeprecation boolean?
---@field stdout process.WriteStream
---@field stderr process.WriteStream
---@field stdin process.ReadStream
---@field workerId integer?  under luanet --workers N: 0 to N - 1, else nil
---@field workers integer?  under luanet --workers N: N, else nil
local process = {}

---Emits 'exit', then ends the process with process.exitCode (code, if
---given, is stored there first).
---@param code? integer
function process.exit(code) end

---callback(...) as soon as the current callback returns. Raises
---ERR_INVALID_ARG_TYPE without a function.
---@param callback fun(...)
---@param ... any
function process.nextTick(callback, ...) end

---A monotonic clock { seconds, nanoseconds }, or the time since time.
---@class process.hrtime
---@overload fun(time?: integer[]): integer[]
process.hrtime = {}

---The clock in nanoseconds.
---@return integer
function process.hrtime.bigint() end

---{ rss, heapTotal, heapUsed, external, arrayBuffers } in bytes.
---@class process.memoryUsage
---@overload fun(): { rss: integer, heapTotal: integer, heapUsed: integer, external: integer, arrayBuffers: integer }
process.memoryUsage = {}

---The resident set size, in bytes.
---@return integer
function process.memoryUsage.rss() end

---@return string
function process.cwd() end

---Seconds since luanet started.
---@return number
function process.uptime() end

---Sends signal ('SIGTERM' by default) to pid. Raises
---ERR_INVALID_ARG_TYPE, ERR_UNKNOWN_SIGNAL, or the system error.
---@param pid integer
---@param signal? string|integer
---@return true
function process.kill(pid, signal) end

---Emits 'warning' on the next tick.
---@param warning string|net.Error
---@param type? string|{ type?: string, code?: string, detail?: string }
---@param code? string
function process.emitWarning(warning, type, code) end

---Adds listener to the end of the listeners of event; returns self.
---@param event any
---@param listener function
---@return process
---@overload fun(self: process, event: 'exit', listener: fun(code: integer)): process
---@overload fun(self: process, event: 'uncaughtException', listener: fun(err: any, origin: string)): process
---@overload fun(self: process, event: 'uncaughtExceptionMonitor', listener: fun(err: any, origin: string)): process
---@overload fun(self: process, event: 'warning', listener: fun(warning: net.Error)): process
---@overload fun(self: process, event: 'SIGINT', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGTERM', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGHUP', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGUSR1', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGUSR2', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGWINCH', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'newListener', listener: fun(event: any, listener: function)): process
---@overload fun(self: process, event: 'removeListener', listener: fun(event: any, listener: function)): process
function process:on(event, listener) end

---Adds a listener removed before its first call; returns self.
---@param event any
---@param listener function
---@return process
---@overload fun(self: process, event: 'exit', listener: fun(code: integer)): process
---@overload fun(self: process, event: 'uncaughtException', listener: fun(err: any, origin: string)): process
---@overload fun(self: process, event: 'uncaughtExceptionMonitor', listener: fun(err: any, origin: string)): process
---@overload fun(self: process, event: 'warning', listener: fun(warning: net.Error)): process
---@overload fun(self: process, event: 'SIGINT', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGTERM', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGHUP', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGUSR1', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGUSR2', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGWINCH', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'newListener', listener: fun(event: any, listener: function)): process
---@overload fun(self: process, event: 'removeListener', listener: fun(event: any, listener: function)): process
function process:once(event, listener) end

---Removes the last added instance of listener; returns self.
---@param event any
---@param listener function
---@return process
---@overload fun(self: process, event: 'exit', listener: fun(code: integer)): process
---@overload fun(self: process, event: 'uncaughtException', listener: fun(err: any, origin: string)): process
---@overload fun(self: process, event: 'uncaughtExceptionMonitor', listener: fun(err: any, origin: string)): process
---@overload fun(self: process, event: 'warning', listener: fun(warning: net.Error)): process
---@overload fun(self: process, event: 'SIGINT', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGTERM', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGHUP', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGUSR1', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGUSR2', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGWINCH', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'newListener', listener: fun(event: any, listener: function)): process
---@overload fun(self: process, event: 'removeListener', listener: fun(event: any, listener: function)): process
function process:off(event, listener) end

---The same as on.
---@param event any
---@param listener function
---@return process
---@overload fun(self: process, event: 'exit', listener: fun(code: integer)): process
---@overload fun(self: process, event: 'uncaughtException', listener: fun(err: any, origin: string)): process
---@overload fun(self: process, event: 'uncaughtExceptionMonitor', listener: fun(err: any, origin: string)): process
---@overload fun(self: process, event: 'warning', listener: fun(warning: net.Error)): process
---@overload fun(self: process, event: 'SIGINT', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGTERM', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGHUP', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGUSR1', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGUSR2', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGWINCH', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'newListener', listener: fun(event: any, listener: function)): process
---@overload fun(self: process, event: 'removeListener', listener: fun(event: any, listener: function)): process
function process:addListener(event, listener) end

---Adds listener at the beginning; returns self.
---@param event any
---@param listener function
---@return process
---@overload fun(self: process, event: 'exit', listener: fun(code: integer)): process
---@overload fun(self: process, event: 'uncaughtException', listener: fun(err: any, origin: string)): process
---@overload fun(self: process, event: 'uncaughtExceptionMonitor', listener: fun(err: any, origin: string)): process
---@overload fun(self: process, event: 'warning', listener: fun(warning: net.Error)): process
---@overload fun(self: process, event: 'SIGINT', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGTERM', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGHUP', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGUSR1', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGUSR2', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGWINCH', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'newListener', listener: fun(event: any, listener: function)): process
---@overload fun(self: process, event: 'removeListener', listener: fun(event: any, listener: function)): process
function process:prependListener(event, listener) end

---once, at the beginning; returns self.
---@param event any
---@param listener function
---@return process
---@overload fun(self: process, event: 'exit', listener: fun(code: integer)): process
---@overload fun(self: process, event: 'uncaughtException', listener: fun(err: any, origin: string)): process
---@overload fun(self: process, event: 'uncaughtExceptionMonitor', listener: fun(err: any, origin: string)): process
---@overload fun(self: process, event: 'warning', listener: fun(warning: net.Error)): process
---@overload fun(self: process, event: 'SIGINT', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGTERM', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGHUP', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGUSR1', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGUSR2', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGWINCH', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'newListener', listener: fun(event: any, listener: function)): process
---@overload fun(self: process, event: 'removeListener', listener: fun(event: any, listener: function)): process
function process:prependOnceListener(event, listener) end

---The same as off.
---@param event any
---@param listener function
---@return process
---@overload fun(self: process, event: 'exit', listener: fun(code: integer)): process
---@overload fun(self: process, event: 'uncaughtException', listener: fun(err: any, origin: string)): process
---@overload fun(self: process, event: 'uncaughtExceptionMonitor', listener: fun(err: any, origin: string)): process
---@overload fun(self: process, event: 'warning', listener: fun(warning: net.Error)): process
---@overload fun(self: process, event: 'SIGINT', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGTERM', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGHUP', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGUSR1', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGUSR2', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'SIGWINCH', listener: fun(name: string, signum: integer)): process
---@overload fun(self: process, event: 'newListener', listener: fun(event: any, listener: function)): process
---@overload fun(self: process, event: 'removeListener', listener: fun(event: any, listener: function)): process
function process:removeListener(event, listener) end

return process
