---@meta net
-- LuaCATS declarations for lua-language-server: require('net'), Node 22's net module (docs/net.md).
-- Types only: nothing here runs. Installed as share/luanet/types/luanet/.

---@class net
---@field Server net.Server  the Server class, callable as net.createServer
---@field Socket net.Socket  the Socket class, callable: net.Socket([options])
---@field Stream net.Socket  the same class as Socket
---@field BlockList net.BlockList  the class: net.BlockList()
---@field SocketAddress net.SocketAddress  the class: net.SocketAddress([options])
local net = {}

---An error table shaped as Node's (docs/errors.md).
---@class net.Error
---@field name string  'Error', 'TypeError', 'RangeError', 'AggregateError'...
---@field message string
---@field code? string  'ECONNREFUSED', 'ERR_SOCKET_BAD_PORT'...
---@field errno? integer  system errors: the negative libuv number
---@field syscall? string  'connect', 'listen', 'write', 'getaddrinfo'...
---@field address? string
---@field port? integer
---@field hostname? string  getaddrinfo errors: the name that did not resolve
---@field errors? net.Error[]  an AggregateError: each attempt's error

---@class net.ServerOptions
---@field allowHalfOpen? boolean  keep this side open when the peer ends (false)
---@field pauseOnConnect? boolean  accepted sockets start paused (false)
---@field noDelay? boolean  TCP_NODELAY on accepted sockets
---@field keepAlive? boolean  SO_KEEPALIVE on accepted sockets
---@field keepAliveInitialDelay? number  ms before the first probe (whole seconds)
---@field highWaterMark? integer  bytes: the read and write high-water marks (65536)
---@field blockList? net.BlockList  peers it blocks are closed at once
---@field proxyProtocol? boolean  luanet's own: a PROXY protocol header (v1 or v2) starts each connection; remoteAddress is the client it names

---@class net.SocketOptions
---@field fd? integer  wrap this open descriptor
---@field allowHalfOpen? boolean
---@field readable? boolean  with fd
---@field writable? boolean  with fd
---@field noDelay? boolean
---@field keepAlive? boolean
---@field keepAliveInitialDelay? number  ms
---@field highWaterMark? integer  bytes: both marks, before the next two (65536)
---@field readableHighWaterMark? integer  bytes (65536)
---@field writableHighWaterMark? integer  bytes (65536)
---@field blockList? net.BlockList  connect() refuses what it blocks

---@class net.ConnectOptions: net.SocketOptions
---@field port? integer|string  required without path
---@field host? string  'localhost' by default
---@field path? string  a Unix domain socket instead
---@field localAddress? string
---@field localPort? integer
---@field family? 0|4|6|'IPv4'|'IPv6'
---@field autoSelectFamily? boolean  true by default
---@field autoSelectFamilyAttemptTimeout? integer  ms per address (250)
---@field lookup? fun(host: string, options: { family: (0|4|6)?, hints: integer, all: true? }, callback: fun(err: table?, address: (string|{ address: string, family: integer }[])?, family: integer?))  in place of dns.lookup
---@field hints? integer  handed to lookup as its hints (Node's); unused without lookup
---@field timeout? number  ms: socket:setTimeout(timeout)

---@class net.ListenOptions
---@field port? integer|string
---@field host? string
---@field path? string
---@field backlog? integer  511 by default
---@field ipv6Only? boolean
---@field readableAll? boolean
---@field writableAll? boolean
---@field exclusive? boolean
---@field reusePort? boolean  SO_REUSEPORT
---@field fd? integer

---What server:address() and socket:address() give for TCP.
---@class net.AddressInfo
---@field address string
---@field family 'IPv4'|'IPv6'
---@field port integer

---What 'drop' gives.
---@class net.DropInfo
---@field localAddress string
---@field localPort integer
---@field localFamily string
---@field remoteAddress string
---@field remotePort integer
---@field remoteFamily string

---What 'proxyError' gives: why, and the connection's own addresses.
---@class net.ProxyErrorInfo
---@field message string  'not a PROXY protocol header', 'timed out'...
---@field localAddress string
---@field localPort integer
---@field localFamily string
---@field remoteAddress string
---@field remotePort integer
---@field remoteFamily string

---Options of socket:read, readUntil and lines.
---@class net.ReadOptions
---@field timeout? number  ms for the whole call: nil, ETIMEDOUT, nothing consumed
---@field max? integer  bytes a line may hold with its end (65536): nil, ERR_READ_TOO_LONG
---@field inclusive? boolean  readUntil: keep the delimiter

---What net.spawn returns: a coroutine luanet runs, where code may wait.
---@class net.Task
---@field done true?  it returned, raised or was cancelled
local Task = {}

---Closes the task's coroutine, running its <close> variables; true if it
---was waiting, false if it had ended. Raises ERR_TASK_RUNNING for itself.
---@return boolean
function Task:cancel() end

---A new Server, not yet listening; connectionListener becomes a
---'connection' listener. Raises ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE.
---@param options? net.ServerOptions
---@param connectionListener? fun(socket: net.Socket)
---@return net.Server
---@overload fun(connectionListener: fun(socket: net.Socket)): net.Server
function net.createServer(options, connectionListener) end

---A new Socket, connecting: (options[, listener]), (path[, listener]),
---(port[, host][, listener]). Raises ERR_MISSING_ARGS,
---ERR_SOCKET_BAD_PORT, ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE,
---ERR_INVALID_IP_ADDRESS; failures are emitted as 'error'.
---@param options net.ConnectOptions
---@param connectListener? fun()
---@return net.Socket
---@overload fun(path: string, connectListener?: fun()): net.Socket
---@overload fun(port: integer|string, host?: string, connectListener?: fun()): net.Socket
function net.connect(options, connectListener) end

---The same as net.connect.
---@param options net.ConnectOptions
---@param connectListener? fun()
---@return net.Socket
---@overload fun(path: string, connectListener?: fun()): net.Socket
---@overload fun(port: integer|string, host?: string, connectListener?: fun()): net.Socket
function net.createConnection(options, connectListener) end

---6 for an IPv6 address, 4 for IPv4, else 0; a value with __tostring is
---tested as its string.
---@param input any
---@return 0|4|6
function net.isIP(input) end

---@param input any
---@return boolean
function net.isIPv4(input) end

---@param input any
---@return boolean
function net.isIPv6(input) end

---What connect() does without options.autoSelectFamily (true).
---@return boolean
function net.getDefaultAutoSelectFamily() end

---Raises ERR_INVALID_ARG_TYPE unless value is a boolean.
---@param value boolean
function net.setDefaultAutoSelectFamily(value) end

---The ms each address gets without options.autoSelectFamilyAttemptTimeout (250).
---@return integer
function net.getDefaultAutoSelectFamilyAttemptTimeout() end

---value: an integer >= 1 (ms; below 10 means 10). Raises
---ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE.
---@param value integer
function net.setDefaultAutoSelectFamilyAttemptTimeout(value) end

---luanet's own: runs fn(...) as a task (a coroutine that may wait) at
---once, until it first waits; its error is uncaught. Raises
---ERR_INVALID_ARG_TYPE without a function.
---@param fn function
---@param ... any
---@return net.Task
function net.spawn(fn, ...) end

---@class net.Handle
---@field object any  the Socket, Server, Timeout or Immediate
---@field kind 'Socket'|'Server'|'Timeout'|'Immediate'
---@field state string  readyState, 'listening', 'timeout', 'interval'...
---@field localAddress string?  'host:port' or a path
---@field remoteAddress string?
---@field bytesRead integer?
---@field bytesWritten integer?
---@field ref boolean?  keeps the process alive
---@field stack string?  where it was made, when traced
---@field age number?  ms since it was made, when traced

---luanet's own: the live handles of the process (docs/net.md#nethandles).
---@return net.Handle[]
function net.handles() end

-- ---- Server ----------------------------------------------------------------

---A TCP or Unix domain socket server (docs/net.md#class-server).
---Events:
--- * `'listening'`(): the server is bound and listening
--- * `'connection'`(socket: net.Socket): a new connection
--- * `'error'`(err: net.Error): listening failed
--- * `'close'`(): after close(), once every connection ended
--- * `'drop'`(info: net.DropInfo): a connection beyond maxConnections was closed
--- * `'proxyError'`(info: net.ProxyErrorInfo): with proxyProtocol, a connection closed for its header
--- * `'newListener'`(event: any, listener: function): before a listener is added
--- * `'removeListener'`(event: any, listener: function): after a listener was removed
---@class net.Server: EventEmitter
---@overload fun(options?: net.ServerOptions, connectionListener?: fun(socket: net.Socket)): net.Server
---@field listening boolean  true while listening (read-only)
---@field maxConnections integer?  beyond it, connections are dropped ('drop')
---@field dropMaxConnection boolean?  Node's cluster-mode flag; no effect in luanet
---@field noDelay boolean  TCP_NODELAY on the connections that follow
---@field keepAlive boolean  SO_KEEPALIVE on the connections that follow
---@field keepAliveInitialDelay integer  seconds before the first probe
---@field pauseOnConnect boolean  the connections that follow start paused
---@field allowHalfOpen boolean  the connections that follow stay open when the peer ends
---@field highWaterMark integer  bytes: the marks of the connections that follow
local Server = {}
net.Server = Server

---Starts listening: ([port[, host[, backlog]]][, callback]),
---(path[, backlog][, callback]), (options[, callback]),
---(handle[, backlog][, callback]); callback is a once('listening')
---listener. Raises ERR_SERVER_ALREADY_LISTEN, ERR_SOCKET_BAD_PORT,
---ERR_INVALID_ARG_VALUE; failures are emitted as 'error'.
---@param port? integer|string  0 or none: a free port
---@param host? string  none: '::' (or '0.0.0.0')
---@param backlog? integer  511
---@param callback? fun()
---@return net.Server
---@overload fun(self: net.Server, callback?: fun()): net.Server
---@overload fun(self: net.Server, path: string, backlog?: integer, callback?: fun()): net.Server
---@overload fun(self: net.Server, options: net.ListenOptions, callback?: fun()): net.Server
---@overload fun(self: net.Server, handle: net.Server|net.Socket|{ fd: integer }, backlog?: integer, callback?: fun()): net.Server
function Server:listen(port, host, backlog, callback) end

---Stops accepting; 'close' once every connection ended. callback(err) is
---a once('close') listener; err is ERR_SERVER_NOT_RUNNING when it was
---not listening.
---@param callback? fun(err?: net.Error)
---@return net.Server
function Server:close(callback) end

---The bound address, the path of a Unix socket, or nil when not listening.
---@return net.AddressInfo|string|nil
function Server:address() end

---callback(nil, count) on the next tick.
---@param callback fun(err: nil, count: integer)
---@return net.Server
function Server:getConnections(callback) end

---The server keeps the process alive while listening (the default).
---@return net.Server
function Server:ref() end

---The server no longer keeps the process alive.
---@return net.Server
function Server:unref() end

---luanet's own: the next connection's socket, waiting in a task (a held
---one at once); nil, err: ERR_SERVER_NOT_RUNNING, ETIMEDOUT, the server's
---error. Raises ERR_NOT_IN_COROUTINE where it would wait and cannot.
---@param opts? { timeout?: number }
---@return net.Socket?, net.Error?
function Server:accept(opts) end

---Adds listener to the end of the listeners of event; returns self.
---@param event any
---@param listener function
---@return net.Server
---@overload fun(self: net.Server, event: 'listening', listener: fun()): net.Server
---@overload fun(self: net.Server, event: 'connection', listener: fun(socket: net.Socket)): net.Server
---@overload fun(self: net.Server, event: 'error', listener: fun(err: net.Error)): net.Server
---@overload fun(self: net.Server, event: 'close', listener: fun()): net.Server
---@overload fun(self: net.Server, event: 'drop', listener: fun(info: net.DropInfo)): net.Server
---@overload fun(self: net.Server, event: 'proxyError', listener: fun(info: net.ProxyErrorInfo)): net.Server
---@overload fun(self: net.Server, event: 'newListener', listener: fun(event: any, listener: function)): net.Server
---@overload fun(self: net.Server, event: 'removeListener', listener: fun(event: any, listener: function)): net.Server
function Server:on(event, listener) end

---Adds a listener removed before its first call; returns self.
---@param event any
---@param listener function
---@return net.Server
---@overload fun(self: net.Server, event: 'listening', listener: fun()): net.Server
---@overload fun(self: net.Server, event: 'connection', listener: fun(socket: net.Socket)): net.Server
---@overload fun(self: net.Server, event: 'error', listener: fun(err: net.Error)): net.Server
---@overload fun(self: net.Server, event: 'close', listener: fun()): net.Server
---@overload fun(self: net.Server, event: 'drop', listener: fun(info: net.DropInfo)): net.Server
---@overload fun(self: net.Server, event: 'proxyError', listener: fun(info: net.ProxyErrorInfo)): net.Server
---@overload fun(self: net.Server, event: 'newListener', listener: fun(event: any, listener: function)): net.Server
---@overload fun(self: net.Server, event: 'removeListener', listener: fun(event: any, listener: function)): net.Server
function Server:once(event, listener) end

---Removes the last added instance of listener; returns self.
---@param event any
---@param listener function
---@return net.Server
---@overload fun(self: net.Server, event: 'listening', listener: fun()): net.Server
---@overload fun(self: net.Server, event: 'connection', listener: fun(socket: net.Socket)): net.Server
---@overload fun(self: net.Server, event: 'error', listener: fun(err: net.Error)): net.Server
---@overload fun(self: net.Server, event: 'close', listener: fun()): net.Server
---@overload fun(self: net.Server, event: 'drop', listener: fun(info: net.DropInfo)): net.Server
---@overload fun(self: net.Server, event: 'proxyError', listener: fun(info: net.ProxyErrorInfo)): net.Server
---@overload fun(self: net.Server, event: 'newListener', listener: fun(event: any, listener: function)): net.Server
---@overload fun(self: net.Server, event: 'removeListener', listener: fun(event: any, listener: function)): net.Server
function Server:off(event, listener) end

---The same as on.
---@param event any
---@param listener function
---@return net.Server
---@overload fun(self: net.Server, event: 'listening', listener: fun()): net.Server
---@overload fun(self: net.Server, event: 'connection', listener: fun(socket: net.Socket)): net.Server
---@overload fun(self: net.Server, event: 'error', listener: fun(err: net.Error)): net.Server
---@overload fun(self: net.Server, event: 'close', listener: fun()): net.Server
---@overload fun(self: net.Server, event: 'drop', listener: fun(info: net.DropInfo)): net.Server
---@overload fun(self: net.Server, event: 'proxyError', listener: fun(info: net.ProxyErrorInfo)): net.Server
---@overload fun(self: net.Server, event: 'newListener', listener: fun(event: any, listener: function)): net.Server
---@overload fun(self: net.Server, event: 'removeListener', listener: fun(event: any, listener: function)): net.Server
function Server:addListener(event, listener) end

---Adds listener at the beginning; returns self.
---@param event any
---@param listener function
---@return net.Server
---@overload fun(self: net.Server, event: 'listening', listener: fun()): net.Server
---@overload fun(self: net.Server, event: 'connection', listener: fun(socket: net.Socket)): net.Server
---@overload fun(self: net.Server, event: 'error', listener: fun(err: net.Error)): net.Server
---@overload fun(self: net.Server, event: 'close', listener: fun()): net.Server
---@overload fun(self: net.Server, event: 'drop', listener: fun(info: net.DropInfo)): net.Server
---@overload fun(self: net.Server, event: 'proxyError', listener: fun(info: net.ProxyErrorInfo)): net.Server
---@overload fun(self: net.Server, event: 'newListener', listener: fun(event: any, listener: function)): net.Server
---@overload fun(self: net.Server, event: 'removeListener', listener: fun(event: any, listener: function)): net.Server
function Server:prependListener(event, listener) end

---once, at the beginning; returns self.
---@param event any
---@param listener function
---@return net.Server
---@overload fun(self: net.Server, event: 'listening', listener: fun()): net.Server
---@overload fun(self: net.Server, event: 'connection', listener: fun(socket: net.Socket)): net.Server
---@overload fun(self: net.Server, event: 'error', listener: fun(err: net.Error)): net.Server
---@overload fun(self: net.Server, event: 'close', listener: fun()): net.Server
---@overload fun(self: net.Server, event: 'drop', listener: fun(info: net.DropInfo)): net.Server
---@overload fun(self: net.Server, event: 'proxyError', listener: fun(info: net.ProxyErrorInfo)): net.Server
---@overload fun(self: net.Server, event: 'newListener', listener: fun(event: any, listener: function)): net.Server
---@overload fun(self: net.Server, event: 'removeListener', listener: fun(event: any, listener: function)): net.Server
function Server:prependOnceListener(event, listener) end

---The same as off.
---@param event any
---@param listener function
---@return net.Server
---@overload fun(self: net.Server, event: 'listening', listener: fun()): net.Server
---@overload fun(self: net.Server, event: 'connection', listener: fun(socket: net.Socket)): net.Server
---@overload fun(self: net.Server, event: 'error', listener: fun(err: net.Error)): net.Server
---@overload fun(self: net.Server, event: 'close', listener: fun()): net.Server
---@overload fun(self: net.Server, event: 'drop', listener: fun(info: net.DropInfo)): net.Server
---@overload fun(self: net.Server, event: 'proxyError', listener: fun(info: net.ProxyErrorInfo)): net.Server
---@overload fun(self: net.Server, event: 'newListener', listener: fun(event: any, listener: function)): net.Server
---@overload fun(self: net.Server, event: 'removeListener', listener: fun(event: any, listener: function)): net.Server
function Server:removeListener(event, listener) end

-- ---- Socket ----------------------------------------------------------------

---A TCP or Unix domain socket (docs/net.md#class-socket).
---Events:
--- * `'lookup'`(err: table?, address: string?, family: integer?, host: string): a host name was resolved (family 4 or 6)
--- * `'connectionAttempt'`(ip: string, port: integer?, family: integer?): a connection to one address begins
--- * `'connectionAttemptFailed'`(ip: string, port: integer?, family: integer?, err: table): that attempt failed
--- * `'connectionAttemptTimeout'`(ip: string, port: integer?, family: integer?): that attempt took too long; the next address is tried
--- * `'connect'`(): the connection is established
--- * `'ready'`(): right after connect
--- * `'data'`(data: string): bytes received, or text after setEncoding()
--- * `'readable'`(): data can be read with read() (a listener stops the flow)
--- * `'drain'`(): the write queue emptied after write() returned false
--- * `'end'`(): the peer ended, every byte delivered
--- * `'finish'`(): this side ended and everything was sent
--- * `'timeout'`(): idle for socket.timeout ms
--- * `'error'`(err: net.Error): a failure; 'close'(true) follows
--- * `'close'`(hadError: boolean): the socket is closed
--- * `'pipe'`(source: net.Socket): on a pipe() destination: a socket pipes into it
--- * `'unpipe'`(source: net.Socket): on the destination: unpipe() stopped it
--- * `'newListener'`(event: any, listener: function): before a listener is added
--- * `'removeListener'`(event: any, listener: function): after a listener was removed
---@class net.Socket: EventEmitter
---@overload fun(options?: net.SocketOptions|integer): net.Socket
---@field bytesRead integer  bytes received
---@field bytesWritten integer  bytes sent and queued
---@field writableLength integer  bytes queued, not yet sent
---@field writableNeedDrain boolean  a write() returned false and 'drain' is owed
---@field writableCorked integer  cork() calls not yet uncorked
---@field bufferSize integer  the same as writableLength
---@field writableHighWaterMark integer  write() returns false from here (65536)
---@field readableHighWaterMark integer  a paused socket buffers this much (65536)
---@field readableLength integer  bytes buffered, not yet delivered
---@field readableFlowing boolean?  true flowing, false paused, nil neither yet
---@field readableEnded boolean  'end' was emitted
---@field readableEncoding string?  what setEncoding() set
---@field connecting boolean
---@field pending boolean  not connected yet
---@field destroyed boolean
---@field readyState 'opening'|'open'|'readOnly'|'writeOnly'|'closed'
---@field readable boolean
---@field writable boolean
---@field allowHalfOpen boolean
---@field timeout integer?  ms, what setTimeout() set (or what was assigned)
---@field server net.Server?  the server that accepted it, until 'close'; nil for a client
---@field localAddress string?
---@field localPort integer?
---@field localFamily 'IPv4'|'IPv6'|nil
---@field remoteAddress string?
---@field remotePort integer?
---@field remoteFamily 'IPv4'|'IPv6'|nil
---@field autoSelectFamilyAttemptedAddresses string[]?  'ip:port' tried
---@field ["end"] fun(self: net.Socket, data?: string, encoding?: string, callback?: fun(err?: net.Error)): net.Socket  the same as end_
local Socket = {}
net.Socket = Socket
net.Stream = Socket

---Connects: (options[, listener]), (path[, listener]),
---(port[, host][, listener]). Raises as net.connect.
---@param options net.ConnectOptions
---@param connectListener? fun()
---@return net.Socket
---@overload fun(self: net.Socket, path: string, connectListener?: fun()): net.Socket
---@overload fun(self: net.Socket, port: integer|string, host?: string, connectListener?: fun()): net.Socket
function Socket:connect(options, connectListener) end

---Queues data; false once writableLength reached writableHighWaterMark
---('drain' follows). callback(err) once handed to the kernel. Raises
---ERR_INVALID_ARG_TYPE, ERR_STREAM_NULL_VALUES, ERR_UNKNOWN_ENCODING.
---@param data string
---@param encoding? string  'utf8' by default
---@param callback? fun(err?: net.Error)
---@return boolean
---@overload fun(self: net.Socket, data: string, callback: fun(err?: net.Error)): boolean
function Socket:write(data, encoding, callback) end

---Node's socket.end(): writes data, then ends the writable side.
---@param data? string
---@param encoding? string
---@param callback? fun(err?: net.Error)
---@return net.Socket
---@overload fun(self: net.Socket, callback: fun(err?: net.Error)): net.Socket
function Socket:end_(data, encoding, callback) end

---Holds the writes that follow until as many uncork() calls, or end_().
function Socket:cork() end

---Counts one cork() off; the last sends the held writes as one writev.
function Socket:uncork() end

---Closes now: 'error'(err) if given, then 'close'.
---@param err? any
---@return net.Socket
function Socket:destroy(err) end

---Closes a TCP socket with a RST. Raises ERR_INVALID_HANDLE_TYPE on a
---Unix socket.
---@return net.Socket
function Socket:resetAndDestroy() end

---Stops emitting 'data'.
---@return net.Socket
function Socket:pause() end

---Delivers what is buffered, then flows.
---@return net.Socket
function Socket:resume() end

---Whether pause() was called and not undone.
---@return boolean
function Socket:isPaused() end

---'data' carries text decoded as encoding says ('utf8' when omitted).
---Raises ERR_UNKNOWN_ENCODING.
---@param encoding? 'utf8'|'utf-8'|'latin1'|'binary'|'ascii'|'hex'|'base64'|'base64url'|'utf16le'|'ucs2'|string
---@return net.Socket
function Socket:setEncoding(encoding) end

---SO_KEEPALIVE on or off; initialDelay in ms (whole seconds).
---@param enable? boolean
---@param initialDelay? number
---@return net.Socket
function Socket:setKeepAlive(enable, initialDelay) end

---TCP_NODELAY (true when omitted).
---@param noDelay? boolean
---@return net.Socket
function Socket:setNoDelay(noDelay) end

---'timeout' after ms of idleness (0 turns it off); callback is a
---once('timeout') listener. Raises ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE.
---@param ms number
---@param callback? fun()
---@return net.Socket
function Socket:setTimeout(ms, callback) end

---The local end, or {} when not bound.
---@return net.AddressInfo|{}
function Socket:address() end

---@return net.Socket
function Socket:ref() end

---@return net.Socket
function Socket:unref() end

---Writes every chunk read to destination, with its back-pressure; ends it
---after 'end' unless options['end'] is false. Returns destination. A
---Socket destination is fed by the core, without Lua strings.
---@generic D
---@param destination D
---@param options? { ["end"]: boolean }
---@return D
function Socket:pipe(destination, options) end

---Stops what pipe() started; the socket is paused, destination emits
---'unpipe'.
---@param destination? any
---@return net.Socket
function Socket:unpipe(destination) end

---luanet's own: fmt as file:read ('l' a line without \n or \r\n, 'L'
---with it, 'a' all to the end, n bytes); nil at the end; nil, err:
---ETIMEDOUT, ERR_READ_TOO_LONG (both consume nothing),
---ERR_SOCKET_BUSY_READING, ERR_SOCKET_FLOWING, ERR_SOCKET_CLOSED, the
---socket's error. Waits in a task; elsewhere nil when not buffered yet.
---@param fmt? 'l'|'L'|'a'|integer
---@param opts? net.ReadOptions
---@return string?, net.Error?
function Socket:read(fmt, opts) end

---luanet's own: the bytes before delim (consumed, dropped unless
---opts.inclusive); the rest at the end, then nil; nil, err as read().
---@param delim string
---@param opts? net.ReadOptions
---@return string?, net.Error?
function Socket:readUntil(delim, opts) end

---luanet's own: an iterator of read(fmt, opts) for a generic for; it
---raises a failure (nil, err).
---@param fmt? 'l'|'L'|'a'|integer
---@param opts? net.ReadOptions
---@return fun(): string?
function Socket:lines(fmt, opts) end

---luanet's own: true at once below writableHighWaterMark, else waits for
---'drain' in a task; nil, err for an 'error' or opts.timeout.
---@param opts? { timeout?: number }
---@return boolean?, net.Error?
function Socket:drain(opts) end

---Adds listener to the end of the listeners of event; returns self.
---@param event any
---@param listener function
---@return net.Socket
---@overload fun(self: net.Socket, event: 'lookup', listener: fun(err: table?, address: string?, family: integer?, host: string)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttempt', listener: fun(ip: string, port: integer?, family: integer?)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttemptFailed', listener: fun(ip: string, port: integer?, family: integer?, err: table)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttemptTimeout', listener: fun(ip: string, port: integer?, family: integer?)): net.Socket
---@overload fun(self: net.Socket, event: 'connect', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'ready', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'data', listener: fun(data: string)): net.Socket
---@overload fun(self: net.Socket, event: 'readable', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'drain', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'end', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'finish', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'timeout', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'error', listener: fun(err: net.Error)): net.Socket
---@overload fun(self: net.Socket, event: 'close', listener: fun(hadError: boolean)): net.Socket
---@overload fun(self: net.Socket, event: 'pipe', listener: fun(source: net.Socket)): net.Socket
---@overload fun(self: net.Socket, event: 'unpipe', listener: fun(source: net.Socket)): net.Socket
---@overload fun(self: net.Socket, event: 'newListener', listener: fun(event: any, listener: function)): net.Socket
---@overload fun(self: net.Socket, event: 'removeListener', listener: fun(event: any, listener: function)): net.Socket
function Socket:on(event, listener) end

---Adds a listener removed before its first call; returns self.
---@param event any
---@param listener function
---@return net.Socket
---@overload fun(self: net.Socket, event: 'lookup', listener: fun(err: table?, address: string?, family: integer?, host: string)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttempt', listener: fun(ip: string, port: integer?, family: integer?)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttemptFailed', listener: fun(ip: string, port: integer?, family: integer?, err: table)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttemptTimeout', listener: fun(ip: string, port: integer?, family: integer?)): net.Socket
---@overload fun(self: net.Socket, event: 'connect', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'ready', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'data', listener: fun(data: string)): net.Socket
---@overload fun(self: net.Socket, event: 'readable', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'drain', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'end', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'finish', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'timeout', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'error', listener: fun(err: net.Error)): net.Socket
---@overload fun(self: net.Socket, event: 'close', listener: fun(hadError: boolean)): net.Socket
---@overload fun(self: net.Socket, event: 'pipe', listener: fun(source: net.Socket)): net.Socket
---@overload fun(self: net.Socket, event: 'unpipe', listener: fun(source: net.Socket)): net.Socket
---@overload fun(self: net.Socket, event: 'newListener', listener: fun(event: any, listener: function)): net.Socket
---@overload fun(self: net.Socket, event: 'removeListener', listener: fun(event: any, listener: function)): net.Socket
function Socket:once(event, listener) end

---Removes the last added instance of listener; returns self.
---@param event any
---@param listener function
---@return net.Socket
---@overload fun(self: net.Socket, event: 'lookup', listener: fun(err: table?, address: string?, family: integer?, host: string)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttempt', listener: fun(ip: string, port: integer?, family: integer?)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttemptFailed', listener: fun(ip: string, port: integer?, family: integer?, err: table)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttemptTimeout', listener: fun(ip: string, port: integer?, family: integer?)): net.Socket
---@overload fun(self: net.Socket, event: 'connect', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'ready', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'data', listener: fun(data: string)): net.Socket
---@overload fun(self: net.Socket, event: 'readable', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'drain', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'end', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'finish', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'timeout', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'error', listener: fun(err: net.Error)): net.Socket
---@overload fun(self: net.Socket, event: 'close', listener: fun(hadError: boolean)): net.Socket
---@overload fun(self: net.Socket, event: 'pipe', listener: fun(source: net.Socket)): net.Socket
---@overload fun(self: net.Socket, event: 'unpipe', listener: fun(source: net.Socket)): net.Socket
---@overload fun(self: net.Socket, event: 'newListener', listener: fun(event: any, listener: function)): net.Socket
---@overload fun(self: net.Socket, event: 'removeListener', listener: fun(event: any, listener: function)): net.Socket
function Socket:off(event, listener) end

---The same as on.
---@param event any
---@param listener function
---@return net.Socket
---@overload fun(self: net.Socket, event: 'lookup', listener: fun(err: table?, address: string?, family: integer?, host: string)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttempt', listener: fun(ip: string, port: integer?, family: integer?)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttemptFailed', listener: fun(ip: string, port: integer?, family: integer?, err: table)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttemptTimeout', listener: fun(ip: string, port: integer?, family: integer?)): net.Socket
---@overload fun(self: net.Socket, event: 'connect', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'ready', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'data', listener: fun(data: string)): net.Socket
---@overload fun(self: net.Socket, event: 'readable', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'drain', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'end', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'finish', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'timeout', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'error', listener: fun(err: net.Error)): net.Socket
---@overload fun(self: net.Socket, event: 'close', listener: fun(hadError: boolean)): net.Socket
---@overload fun(self: net.Socket, event: 'pipe', listener: fun(source: net.Socket)): net.Socket
---@overload fun(self: net.Socket, event: 'unpipe', listener: fun(source: net.Socket)): net.Socket
---@overload fun(self: net.Socket, event: 'newListener', listener: fun(event: any, listener: function)): net.Socket
---@overload fun(self: net.Socket, event: 'removeListener', listener: fun(event: any, listener: function)): net.Socket
function Socket:addListener(event, listener) end

---Adds listener at the beginning; returns self.
---@param event any
---@param listener function
---@return net.Socket
---@overload fun(self: net.Socket, event: 'lookup', listener: fun(err: table?, address: string?, family: integer?, host: string)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttempt', listener: fun(ip: string, port: integer?, family: integer?)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttemptFailed', listener: fun(ip: string, port: integer?, family: integer?, err: table)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttemptTimeout', listener: fun(ip: string, port: integer?, family: integer?)): net.Socket
---@overload fun(self: net.Socket, event: 'connect', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'ready', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'data', listener: fun(data: string)): net.Socket
---@overload fun(self: net.Socket, event: 'readable', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'drain', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'end', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'finish', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'timeout', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'error', listener: fun(err: net.Error)): net.Socket
---@overload fun(self: net.Socket, event: 'close', listener: fun(hadError: boolean)): net.Socket
---@overload fun(self: net.Socket, event: 'pipe', listener: fun(source: net.Socket)): net.Socket
---@overload fun(self: net.Socket, event: 'unpipe', listener: fun(source: net.Socket)): net.Socket
---@overload fun(self: net.Socket, event: 'newListener', listener: fun(event: any, listener: function)): net.Socket
---@overload fun(self: net.Socket, event: 'removeListener', listener: fun(event: any, listener: function)): net.Socket
function Socket:prependListener(event, listener) end

---once, at the beginning; returns self.
---@param event any
---@param listener function
---@return net.Socket
---@overload fun(self: net.Socket, event: 'lookup', listener: fun(err: table?, address: string?, family: integer?, host: string)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttempt', listener: fun(ip: string, port: integer?, family: integer?)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttemptFailed', listener: fun(ip: string, port: integer?, family: integer?, err: table)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttemptTimeout', listener: fun(ip: string, port: integer?, family: integer?)): net.Socket
---@overload fun(self: net.Socket, event: 'connect', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'ready', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'data', listener: fun(data: string)): net.Socket
---@overload fun(self: net.Socket, event: 'readable', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'drain', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'end', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'finish', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'timeout', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'error', listener: fun(err: net.Error)): net.Socket
---@overload fun(self: net.Socket, event: 'close', listener: fun(hadError: boolean)): net.Socket
---@overload fun(self: net.Socket, event: 'pipe', listener: fun(source: net.Socket)): net.Socket
---@overload fun(self: net.Socket, event: 'unpipe', listener: fun(source: net.Socket)): net.Socket
---@overload fun(self: net.Socket, event: 'newListener', listener: fun(event: any, listener: function)): net.Socket
---@overload fun(self: net.Socket, event: 'removeListener', listener: fun(event: any, listener: function)): net.Socket
function Socket:prependOnceListener(event, listener) end

---The same as off.
---@param event any
---@param listener function
---@return net.Socket
---@overload fun(self: net.Socket, event: 'lookup', listener: fun(err: table?, address: string?, family: integer?, host: string)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttempt', listener: fun(ip: string, port: integer?, family: integer?)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttemptFailed', listener: fun(ip: string, port: integer?, family: integer?, err: table)): net.Socket
---@overload fun(self: net.Socket, event: 'connectionAttemptTimeout', listener: fun(ip: string, port: integer?, family: integer?)): net.Socket
---@overload fun(self: net.Socket, event: 'connect', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'ready', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'data', listener: fun(data: string)): net.Socket
---@overload fun(self: net.Socket, event: 'readable', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'drain', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'end', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'finish', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'timeout', listener: fun()): net.Socket
---@overload fun(self: net.Socket, event: 'error', listener: fun(err: net.Error)): net.Socket
---@overload fun(self: net.Socket, event: 'close', listener: fun(hadError: boolean)): net.Socket
---@overload fun(self: net.Socket, event: 'pipe', listener: fun(source: net.Socket)): net.Socket
---@overload fun(self: net.Socket, event: 'unpipe', listener: fun(source: net.Socket)): net.Socket
---@overload fun(self: net.Socket, event: 'newListener', listener: fun(event: any, listener: function)): net.Socket
---@overload fun(self: net.Socket, event: 'removeListener', listener: fun(event: any, listener: function)): net.Socket
function Socket:removeListener(event, listener) end

-- ---- BlockList -------------------------------------------------------------

---Rules that block addresses (docs/net.md#class-blocklist).
---@class net.BlockList
---@overload fun(): net.BlockList
---@field rules string[]  the rules' texts, newest first
local BlockList = {}
net.BlockList = BlockList

---Blocks one address ('ipv4' by default).
---@param address string|net.SocketAddress
---@param family? 'ipv4'|'ipv6'
function BlockList:addAddress(address, family) end

---Blocks start to end_, both included. Raises ERR_INVALID_ARG_VALUE when
---start comes after end_.
---@param start string|net.SocketAddress
---@param end_ string|net.SocketAddress
---@param family? 'ipv4'|'ipv6'
function BlockList:addRange(start, end_, family) end

---Blocks the addresses whose first prefix bits are network's.
---@param network string|net.SocketAddress
---@param prefix integer  0-32 (IPv4), 0-128 (IPv6)
---@param family? 'ipv4'|'ipv6'
function BlockList:addSubnet(network, prefix, family) end

---Whether a rule blocks address.
---@param address string|net.SocketAddress
---@param family? 'ipv4'|'ipv6'
---@return boolean
function BlockList:check(address, family) end

---The rules, as rules gives them.
---@return string[]
function BlockList:toJSON() end

---Adds the rules of data: toJSON()'s list, or it as JSON text.
---@param data string[]|string
function BlockList:fromJSON(data) end

---Whether value is a BlockList.
---@param value any
---@return boolean
function BlockList.isBlockList(value) end

-- ---- SocketAddress ---------------------------------------------------------

---An address and port (docs/net.md#class-socketaddress); read-only.
---@class net.SocketAddress
---@overload fun(options?: { address?: string, family?: 'ipv4'|'ipv6', port?: integer|string, flowlabel?: integer }): net.SocketAddress
---@field address string
---@field port integer
---@field family 'ipv4'|'ipv6'
---@field flowlabel integer
local SocketAddress = {}
net.SocketAddress = SocketAddress

---@return { address: string, port: integer, family: string, flowlabel: integer }
function SocketAddress:toJSON() end

---'1.2.3.4:8080' or '[::1]:8080' to a SocketAddress, or nil.
---@param input string
---@return net.SocketAddress?
function SocketAddress.parse(input) end

---Whether value is a SocketAddress.
---@param value any
---@return boolean
function SocketAddress.isSocketAddress(value) end

return net
