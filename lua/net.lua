-- net: Node's net module over the C core. This file holds what Lua does
-- best: the arguments' many forms and their validation (Node's
-- normalizeArgs, lookupAndConnect, Server.prototype.listen), and the few
-- methods built from the C ones. The sockets themselves are in
-- bindings/lsocket.c and core/socket.c.
local _, core = ...

local EventEmitter = require('events')
local errors = require('errors')
local handles = require('handles')

local type, select, floor = type, select, math.floor
local tointeger, huge = math.tointeger, math.huge
local getinfo = debug.getinfo
local nextTick = core.nextTick

local Socket, Server = core.Socket, core.Server
local isSocket, isServer = core.isSocket, core.isServer
EventEmitter.mixin(Socket)
EventEmitter.mixin(Server)

local net = {}

-- Raises ERR_INVALID_THIS, which names the fix: self of method (of class
-- 'Socket' or 'Server') is none of its objects, as in socket.end_().
local function notThis(self, class, method)
  error(errors.invalidThis(class, self, 3, method), 3)
end

-- ---- where the user's script made a socket or a server ------------------

-- Where a script connected a socket, made a server or called its listen:
-- "client.lua:12: " (the file and line of the frame at level, seen from
-- the caller of this function), or nil for a call from C. It runs at
-- every connect, so it keeps no traceback: error() with a level gives the
-- text from C (luaL_where), which Lua keeps once per site, where
-- debug.getinfo would make a table at every call; the weak tables below
-- hold it for each object, as fields of the userdata would cost every
-- later lookup on it.
local function site(level)
  local _, where = pcall(error, '', level + 2) -- + pcall's and error's
  if where ~= '' then return where end
end
local connectedAt = setmetatable({}, { __mode = 'k' })
local madeAt = setmetatable({}, { __mode = 'k' })
local listenedAt = setmetatable({}, { __mode = 'k' })

-- ", connected at client.lua:12" for the site of object in sites (what
-- says how it was made), or nil.
local function at(sites, object, what)
  local where = sites[object]
  if where then return ', ' .. what .. ' at ' .. where:sub(1, -3) end
end

-- " (address:port)" of an address and a port (a path has none, nor has a
-- port of -1 or 0), or "" without an address.
local function shown(address, port)
  if type(address) ~= 'string' then return '' end
  if type(port) == 'number' and port > 0 then
    return ' (' .. address .. ':' .. tointeger(port) .. ')'
  end
  return ' (' .. address .. ')'
end

---socket:_origin(err) -> string: the socket as the host names the emitter
---of an 'error' nobody listened to: "Socket (127.0.0.1:9), connected at
---client.lua:12": the peer (else the address err names), and where the
---script connected it, if it did.
function Socket:_origin(err)
  local address, port = self.remoteAddress, self.remotePort
  if address == nil and type(err) == 'table' then
    address, port = rawget(err, 'address'), rawget(err, 'port')
  end
  return 'Socket' .. shown(address, port) ..
    (at(connectedAt, self, 'connected') or '')
end

---server:_origin(err) -> string: "Server (0.0.0.0:80), listen called at
---server.lua:4", as socket:_origin: the address it listens on (else the
---one err names), and where the script made it or called listen.
function Server:_origin(err)
  local a, address, port = self:address(), nil, nil
  if type(a) == 'table' then
    address, port = a.address, a.port
  elseif a ~= nil then
    address = a
  elseif type(err) == 'table' then
    address, port = rawget(err, 'address'), rawget(err, 'port')
  end
  return 'Server' .. shown(address, port) ..
    (at(listenedAt, self, 'listen called') or at(madeAt, self, 'made') or
    '')
end

-- ---- arguments ------------------------------------------------------------

-- Node's toNumber: Number(x) if it is >= 0, or false. A blank string is
-- the number 0, as in JavaScript.
local function toNumber(x)
  if type(x) == 'string' then
    x = require('util')._stringToNumber(x) -- JavaScript's Number(x)
  elseif type(x) ~= 'number' then
    x = nil
  end
  return x ~= nil and x >= 0 and x or false
end

-- JavaScript's truthiness: false for nil, false, 0, NaN and ''.
local function truthy(v)
  return v ~= nil and v ~= false and v ~= 0 and v == v and v ~= ''
end

-- JavaScript's x | 0 for a number x: its integer part modulo 2^32, as a
-- signed 32-bit integer (0 for NaN and the infinities).
local function toInt32(x)
  if x ~= x or x == huge or x == -huge then return 0 end
  x = (x >= 0 and floor(x) or -floor(-x)) % 2 ^ 32
  return tointeger(x >= 2 ^ 31 and x - 2 ^ 32 or x)
end

-- Node's isPipeName: a string that is not a non-negative number.
local function isPipeName(s)
  return type(s) == 'string' and toNumber(s) == false
end

-- Whether a path holds a NUL byte, and is not in Linux's abstract
-- namespace (a first byte of NUL), where NUL bytes are part of the name.
local function hasNul(path)
  return path:byte(1) ~= 0 and path:find('\0', 1, true) ~= nil
end

-- Node 22's validateStringWithoutNullBytes, for a host: raises
-- ERR_INVALID_ARG_TYPE, or ERR_INVALID_ARG_VALUE for a NUL byte.
local function validateHost(host, name)
  if type(host) ~= 'string' then
    error(errors.invalidArgType(name, 'string', host), 3)
  end
  if host:find('\0', 1, true) then
    error(errors.invalidArgValue(name, host,
      'must be a string without null bytes'), 3)
  end
end

-- What connect() takes when its options do not say (Node 22's defaults;
-- net.setDefaultAutoSelectFamily* change them).
local autoSelectFamilyDefault, attemptTimeoutDefault = true, 250

-- Node's normalizeArgs: (options[, cb]), (path[, cb]) or
-- ([port][, host][, cb]) to options, cb.
local function normalizeArgs(n, ...)
  if n == 0 then return {}, nil end
  local a0, a1 = ...
  local options
  if type(a0) == 'table' then
    options = a0
  elseif isPipeName(a0) then
    options = { path = a0 }
  else
    options = { port = a0 }
    if n > 1 and type(a1) == 'string' then options.host = a1 end
  end
  local cb = select(n, ...)
  return options, type(cb) == 'function' and cb or nil
end

-- ---- options.lookup -------------------------------------------------------

-- JavaScript's String(v) of a lookup's answer, for an error's message:
-- 'undefined' for nil, a whole number without a fraction.
local function jsString(v)
  if v == nil then return 'undefined' end
  if type(v) == 'number' and v == floor(v) and v > -2 ^ 53 and v < 2 ^ 53 then
    return tostring(tointeger(v))
  end
  return tostring(v)
end

-- Node's ERR_INVALID_ADDRESS_FAMILY, of the options given to connect().
local function invalidFamily(family, options)
  return errors.new('RangeError', 'ERR_INVALID_ADDRESS_FAMILY',
    'Invalid address family: ' .. jsString(family) .. ' ' ..
    jsString(options.host) .. ':' .. jsString(options.port),
    { host = options.host, port = options.port })
end

-- The callback options.lookup is waiting to call, of each socket asking.
local asking = setmetatable({}, { __mode = 'k' })

-- Node's lookupAndConnectMultiple, once the answer is a list of
-- { address, family }: 'lookup' for each, then the addresses that are IPs
-- of family 4 or 6, each once, the first one's family first and the
-- families alternating, to the core (one is a plain connect, several are
-- tried as autoSelectFamily does). Returns the error to destroy with, or
-- nil. Node reads a string's characters as the list (an address of
-- undefined each); an empty list, which makes it throw, fails as one.
local function connectMultiple(self, list, host, options)
  local n = (type(list) == 'table' or type(list) == 'string') and #list or 0
  local groups, seen, first = { {}, {} }, {}, nil
  for i = 1, n do
    local entry = type(list) == 'table' and list[i] or nil
    local ip, family
    if type(entry) == 'table' then ip, family = entry.address, entry.family end
    self:emit('lookup', nil, ip, family, host)
    if not self.connecting then return end
    if net.isIP(ip) ~= 0 and (family == 4 or family == 6) and
        not seen[ip] then
      first = first or family
      seen[ip] = true
      local g = groups[family == first and 1 or 2]
      g[#g + 1] = tostring(ip)
    end
  end
  if first == nil then
    local entry = type(list) == 'table' and list[1] or nil
    local ip, family
    if type(entry) == 'table' then ip, family = entry.address, entry.family end
    if net.isIP(ip) == 0 then return errors.invalidIpAddress(jsString(ip)) end
    return invalidFamily(family, options)
  end
  local toAttempt = {}
  for i = 1, math.max(#groups[1], #groups[2]) do
    toAttempt[#toAttempt + 1] = groups[1][i]
    toAttempt[#toAttempt + 1] = groups[2][i]
  end
  self:_resolved(toAttempt)
end

-- Node's lookupAndConnect for a host that is not an IP, with
-- options.lookup (lookup): calls lookup(host, { family, hints, all }, cb)
-- as Node calls dns.lookup (all when the family is free, without a
-- localAddress, with autoSelectFamily: cb(err, { { address, family }... })
-- then; else cb(err, address, family)), emits 'lookup', and gives the
-- core the addresses. An error, an answer that is not an IP or a family
-- other than 4 and 6 destroy the socket on the next tick. The socket is
-- connecting meanwhile (o.lookup: the core waits for _resolved).
local function lookupAndConnect(self, lookup, o, options)
  local host, family = o.host, o.family
  local hints = truthy(options.hints) and options.hints or 0
  if family ~= 4 and family ~= 6 and hints == 0 then
    hints = 32 -- dns.ADDRCONFIG
  end
  local all = family ~= 4 and family ~= 6 and o.localAddress == nil and
    o.autoSelectFamily or nil
  local function fail(err)
    nextTick(function() self:destroy(err) end)
  end
  local cb
  if all then
    cb = function(err, addresses)
      if not self.connecting or asking[self] ~= cb then return end
      asking[self] = nil
      if truthy(err) then
        self:emit('lookup', err, nil, nil, host)
        fail(err)
        return
      end
      local failure = connectMultiple(self, addresses, host, options)
      if failure then fail(failure) end
    end
  else
    cb = function(err, ip, addressType)
      self:emit('lookup', err, ip, addressType, host)
      if not self.connecting or asking[self] ~= cb then return end
      asking[self] = nil
      if truthy(err) then
        fail(err)
      elseif type(ip) ~= 'string' or net.isIP(ip) == 0 then
        fail(errors.invalidIpAddress(jsString(ip)))
      elseif addressType ~= 4 and addressType ~= 6 then
        fail(invalidFamily(addressType, options))
      else
        self:_resolved({ ip })
      end
    end
  end
  asking[self] = cb
  lookup(host, { family = family, hints = hints, all = all }, cb)
end

-- ---- net.Socket -------------------------------------------------------------

-- socket:on, where a 'data' listener starts the flow (Node's
-- Readable.prototype.on): lua/reader.lua, with 'readable'.

-- socket:connect(...), also the connect of net.connect(): called last (a
-- tail call), so that level 2 is the caller of either.
local function connect(self, ...)
  local options, cb = normalizeArgs(select('#', ...), ...)
  if cb then self:once('connect', cb) end
  if options.port == nil and options.path == nil then
    error(errors.missingArgs({ 'options', 'port', 'path' }), 2)
  end
  local o, failure, lookup = {}, nil, nil
  if truthy(options.path) then
    o.path = errors.validateString(options.path, 'options.path')
    if hasNul(o.path) then
      -- libuv 1.46's uv_pipe_connect2, under Node 22, refuses the name at
      -- once: the socket is destroyed before connect() returns.
      self:destroy(errors.exceptionWithHostPort('EINVAL', 'connect', o.path,
        nil, 'undefined:undefined'))
      return self
    end
  else -- a path of '' is none: Node's !!path
    o.host = options.host
    if not truthy(o.host) then o.host = 'localhost' end
    validateHost(o.host, 'options.host')
    local port = options.port
    if port == nil then
      port = 0 -- Node's undefined | 0
    elseif type(port) ~= 'number' and type(port) ~= 'string' then
      error(errors.invalidArgType('options.port', { 'number', 'string' },
        port), 2)
    end
    o.port = errors.validatePort(port)
    local localAddress = options.localAddress
    if localAddress ~= nil then
      if type(localAddress) ~= 'string' or net.isIP(localAddress) == 0 then
        error(errors.invalidIpAddress(localAddress), 2)
      end
      o.localAddress = localAddress
    end
    local localPort = options.localPort
    if truthy(localPort) then
      errors.validateNumber(localPort, 'options.localPort')
      -- Node binds (localPort | 0) & 0xffff, then fails if the port bound
      -- is not the one asked for (checkBindError), without connecting.
      o.localPort = toInt32(localPort) & 0xFFFF
      if localPort > 0 and o.localPort ~= localPort then
        local family = net.isIP(o.host)
        if family == 0 then family = options.family end
        failure = errors.exceptionWithHostPort('EADDRINUSE', 'bind',
          localAddress or
          ((family == 6 or family == 'IPv6') and '::' or '0.0.0.0'),
          localPort)
      end
    end
    local family = options.family
    if family == 'IPv4' then
      family = 4
    elseif family == 'IPv6' then
      family = 6
    end
    if family ~= nil and family ~= 0 and family ~= 4 and family ~= 6 then
      error(errors.invalidArgValue('options.family', family,
        'must be one of: 0, 4, 6'), 2)
    end
    o.family = family
    if options.autoSelectFamily ~= nil then
      o.autoSelectFamily = errors.validateBoolean(options.autoSelectFamily,
        'options.autoSelectFamily')
    else
      o.autoSelectFamily = autoSelectFamilyDefault
    end
    local attempt = options.autoSelectFamilyAttemptTimeout
    if attempt ~= nil then
      errors.validateInt32(attempt, 'options.autoSelectFamilyAttemptTimeout',
        1)
      o.autoSelectFamilyAttemptTimeout = attempt < 10 and 10 or attempt
    else
      o.autoSelectFamilyAttemptTimeout = attemptTimeoutDefault
    end
    -- Node 22 reads the list given to the Socket's constructor (net.connect
    -- passes its options there), never connect()'s own options.
    o.blockList = self.blockList
    -- Node asks options.lookup (validated only then) for a host that is
    -- not an IP; the core takes the answer through socket:_resolved.
    if options.lookup ~= nil and net.isIP(o.host) == 0 then
      errors.validateFunction(options.lookup, 'options.lookup')
      lookup, o.lookup = options.lookup, true
    end
  end
  if self.connecting then
    -- Node starts again, and libuv refuses on the next tick: EALREADY with
    -- the local address the first connect has by then; for a path,
    -- EISCONN (a Unix connect is done at once).
    nextTick(function()
      if not self.connecting then return end
      self:destroy(o.path and
        errors.exceptionWithHostPort('EISCONN', 'connect', o.path) or
        errors.exceptionWithHostPort('EALREADY', 'connect', o.host, o.port,
          tostring(self.localAddress or 'undefined') .. ':' ..
          tostring(self.localPort or 'undefined')))
    end)
    return self
  end
  if failure then
    -- Queued before the connect's own next tick, so that it runs first
    -- and nothing is sent.
    nextTick(function() self:destroy(failure) end)
  end
  asking[self] = nil -- an earlier connect's lookup answers too late
  if self:_connect(o) == nil then
    -- nil, 'EBUSY': destroyed, and its handle still closing. Node takes a
    -- new handle at once; this one connects once 'close' is emitted.
    self:once('close', function()
      self:_connect(o)
      if lookup then lookupAndConnect(self, lookup, o, options) end
    end)
  elseif lookup then
    lookupAndConnect(self, lookup, o, options)
  end
  return self
end

---socket:connect(options[, connectListener]), (path[, listener]),
---(port[, host][, listener]) -> socket. Raises ERR_MISSING_ARGS,
---ERR_INVALID_ARG_TYPE, ERR_SOCKET_BAD_PORT, ERR_INVALID_IP_ADDRESS.
---As Node: while the socket is connecting, 'error' EALREADY (EISCONN for
---a path) follows on the next tick; so does 'error' EADDRINUSE (syscall
---'bind') for a localPort Node's bind does not give back (1.5, 70000).
function Socket:connect(...)
  if not isSocket(self) then notThis(self, 'Socket', 'connect') end
  connectedAt[self] = site(2)
  return connect(self, ...)
end

---socket:end_([data[, encoding]][, callback]) -> socket: writes data,
---then ends the writable side. callback(err) as Node calls end's: nil just
---before 'finish'; the socket's error, or ERR_STREAM_DESTROYED, when it
---closes unfinished; ERR_STREAM_ALREADY_FINISHED after 'finish'.
function Socket:end_(data, encoding, cb)
  if not isSocket(self) then notThis(self, 'Socket', 'end_') end
  if type(data) == 'function' then
    data, encoding, cb = nil, nil, data
  elseif type(encoding) == 'function' then
    encoding, cb = nil, encoding
  end
  if data ~= nil then self:write(data, encoding) end
  return self:_end(cb)
end
Socket['end'] = Socket.end_

local function ignore() end

---socket:_dispose(): what `local s <close> = ...` does when the scope ends
---(Node's Symbol.asyncDispose): destroys the socket with an AbortError,
---or without an error once its readable side has ended. The error goes to
---'error' listeners only: disposing never makes an uncaught error.
function Socket:_dispose()
  if self.destroyed then return end
  if not self.readable then
    self:destroy()
    return
  end
  self:on('error', ignore) -- Node's eos() listens while it waits
  self:destroy(errors.new('AbortError', 'ABORT_ERR',
    'The operation was aborted'))
end

local TIMEOUT_MAX = 2147483647

---socket:setTimeout(ms[, callback]) -> socket: 'timeout' after ms of
---idleness (0 turns it off); callback becomes a once('timeout') listener,
---or with 0 is removed. Raises ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE.
function Socket:setTimeout(ms, callback)
  if not isSocket(self) then notThis(self, 'Socket', 'setTimeout') end
  if self.destroyed then return self end
  if type(ms) ~= 'number' then
    error(errors.invalidArgType('msecs', 'number', ms), 2)
  end
  if not (ms >= 0 and ms < math.huge) then
    error(errors.outOfRange('msecs', 'a non-negative finite number', ms), 2)
  end
  if ms > TIMEOUT_MAX then ms = TIMEOUT_MAX end
  if callback ~= nil then errors.validateFunction(callback, 'callback') end
  self:_setTimeout(floor(ms))
  if ms == 0 then
    if callback then self:removeListener('timeout', callback) end
  elseif callback then
    self:once('timeout', callback)
  end
  return self
end

-- The pipe of each piping socket: { dest, cleanup }. Not an own field of
-- the socket: those are for the user.
local pipes = setmetatable({}, { __mode = 'k' })

---socket:pipe(destination[, { ['end'] = true }]) -> destination: writes
---every chunk read to destination, pausing while destination:write()
---says it is full until its 'drain' (Node's Readable.prototype.pipe), and
---ends it after 'end' unless options['end'] is false. destination is a
---Socket or any emitter with write (and end_ to be ended); process.stdout
---and process.stderr are never ended. A Socket destination of a source
---without an encoding is fed by the core (socket:_pipe), with no string
---and no Lua call per chunk. As in Node, one that is not an emitter is
---refused at once (TypeError "dest.on is not a function"), and one
---without end raises at 'end' ("dest.end is not a function"); the pipe
---stops (src:unpipe(dest)) when destination finishes, closes or errs.
function Socket:pipe(dest, options)
  if not isSocket(self) then notThis(self, 'Socket', 'pipe') end
  local src = self
  if (type(dest) ~= 'table' and type(dest) ~= 'userdata') or
      dest.write == nil then
    if dest == nil and getinfo(1, 'n').namewhat == 'field' then
      -- src.pipe(dest): dest came as self
      error(errors.invalidThis('Socket', dest, 2, 'pipe'), 2)
    end
    error(errors.invalidArgType('destination', 'table', dest), 2)
  end
  if type(dest.on) ~= 'function' then
    error(errors.new('TypeError', nil, 'dest.on is not a function'), 2)
  end
  local process = require('process')
  local doEnd = not (type(options) == 'table' and options['end'] == false)
    and dest ~= process.stdout and dest ~= process.stderr
  local inCore = isSocket(dest) and src.readableEncoding == nil and
    src:_pipe(dest)
  local unpipe, ondata, onend, ondrain, onclose, onerror, cleanup

  function unpipe() src:unpipe(dest) end
  function ondata(chunk)
    if dest:write(chunk) == false then src:pause() end
  end
  function ondrain() src:resume() end
  function onend()
    local end_ = dest.end_ or dest['end']
    if type(end_) ~= 'function' then
      cleanup()
      error(errors.new('TypeError', nil, 'dest.end is not a function'), 0)
    end
    end_(dest)
  end
  function onclose() unpipe() end
  function onerror(err)
    unpipe()
    if dest:listenerCount('error') == 0 then dest:destroy(err) end
  end
  function cleanup()
    if inCore then src:_unpipe() end
    src:off('data', ondata)
    src:off('end', onend)
    src:off('end', unpipe)
    dest:off('drain', ondrain)
    dest:off('close', onclose)
    dest:off('finish', onclose)
    dest:off('error', onerror)
    pipes[src] = nil
  end

  pipes[src] = { dest = dest, cleanup = cleanup }
  src:once('end', doEnd and onend or unpipe)
  if not inCore then dest:on('drain', ondrain) end
  dest:once('close', onclose)
  dest:once('finish', onclose)
  dest:prependListener('error', onerror)
  dest:emit('pipe', src)
  if inCore then
    src:resume() -- the core holds its reads while dest is full
  else
    src:on('data', ondata)
    if dest.writableNeedDrain == true then
      src:pause()
    elseif src:isPaused() then
      src:resume()
    end
  end
  return dest
end

---socket:unpipe([destination]) -> socket: stops what pipe() started;
---the socket is paused then, and destination emits 'unpipe' (as Node's).
function Socket:unpipe(dest)
  if not isSocket(self) then notThis(self, 'Socket', 'unpipe') end
  local pipe = pipes[self]
  if pipe and (dest == nil or dest == pipe.dest) then
    pipe.cleanup()
    self:pause()
    if type(pipe.dest.emit) == 'function' then
      pipe.dest:emit('unpipe', self)
    end
  end
  return self
end

local socketOptions = { allowHalfOpen = true, readable = true, writable = true }

-- Node's getHighWaterMark for a Duplex: options.highWaterMark for both
-- sides, else options[key]; nil (the default) when neither is given. A
-- value that is not a whole number >= 0 raises ERR_INVALID_ARG_VALUE
-- naming options[key]. Returns bytes, at most 2^32 - 1 (the core's).
local function highWaterMark(options, key)
  local hwm = options.highWaterMark
  if hwm == nil then hwm = options[key] end
  if hwm == nil then return nil end
  if type(hwm) ~= 'number' or hwm < 0 or hwm ~= floor(hwm) or
      hwm == huge then
    error(errors.invalidArgValue('options.' .. key, hwm), 4)
  end
  return hwm < 0xffffffff and tointeger(hwm) or 0xffffffff
end

local function newSocket(options)
  if type(options) == 'number' then options = { fd = options } end
  if options == nil then options = {} end
  if type(options) ~= 'table' then
    error(errors.invalidArgType('options', 'table', options), 3)
  end
  -- Node's Socket is a stream of bytes: no object mode (tested for
  -- truthiness, objectMode first).
  local readableMode, writableMode = options.readableObjectMode,
    options.writableObjectMode
  if truthy(options.objectMode) then
    error(errors.invalidArgValue('options.objectMode', options.objectMode,
      'is not supported'), 3)
  elseif truthy(readableMode) or truthy(writableMode) then
    error(errors.invalidArgValue(truthy(readableMode) and
      'options.readableObjectMode' or 'options.writableObjectMode',
      truthy(readableMode) and readableMode or writableMode,
      'is not supported'), 3)
  end
  if options.keepAliveInitialDelay ~= nil then
    errors.validateNumber(options.keepAliveInitialDelay,
      'options.keepAliveInitialDelay')
  end
  if truthy(options.blockList) then -- Node's if (options.blockList)
    require('blocklist').validateBlockList(options.blockList,
      'options.blockList')
  end
  local fd = options.fd
  local readableHwm = highWaterMark(options, 'readableHighWaterMark')
  local writableHwm = highWaterMark(options, 'writableHighWaterMark')
  local s
  if fd ~= nil then
    errors.validateInt32(fd, 'fd', 0)
    s = core.newSocket(options.allowHalfOpen, options.readable,
      options.writable, readableHwm, writableHwm)
  else
    s = core.newSocket(options.allowHalfOpen, nil, nil, readableHwm,
      writableHwm)
  end
  -- Node's Boolean(options.noDelay) and Boolean(options.keepAlive)
  if truthy(options.noDelay) then s:setNoDelay(true) end
  if truthy(options.keepAlive) then
    s:setKeepAlive(true, options.keepAliveInitialDelay)
  end
  if fd ~= nil then s:_open(fd) end
  if truthy(options.blockList) then s.blockList = options.blockList end
  handles.made(s, 3) -- (where it was made, when tracing)
  return s
end
net._socketOptions = socketOptions

---net.Socket([options]) -> a Socket not yet connected. options: fd,
---allowHalfOpen, readable, writable, noDelay, keepAlive,
---keepAliveInitialDelay (ms), highWaterMark, readableHighWaterMark,
---writableHighWaterMark (bytes), blockList. Raises ERR_INVALID_ARG_TYPE,
---ERR_INVALID_ARG_VALUE (objectMode, a mark that is no whole number >= 0).
setmetatable(Socket, { __call = function(_, options)
  local s = newSocket(options) -- no tail call: handles.made counts levels
  return s
end })
net.Socket = Socket
net.Stream = Socket

---net.createConnection(...), net.connect(...) -> Socket: a new socket,
---connecting; the forms of socket:connect(). options.timeout sets an idle
---timeout.
function net.createConnection(...)
  local options, cb = normalizeArgs(select('#', ...), ...)
  local s = newSocket(options)
  local timeout = options.timeout
  if timeout and timeout ~= 0 and timeout == timeout then -- JS truthiness
    s:setTimeout(timeout)
  end
  -- through the method, as Node's socket.connect(normalized): a wrapper
  -- of net.Socket.connect sees every connection (a tail call: Socket:
  -- connect's level 2 is this function's caller)
  if cb then return s:connect(options, cb) end
  return s:connect(options)
end
net.connect = net.createConnection

-- ---- net.Server -----------------------------------------------------------

---server:listen([port[, host[, backlog]]][, callback]), (path[, backlog]
---[, callback]), (options[, callback]), (handle[, backlog][, callback])
----> server. Raises ERR_SERVER_ALREADY_LISTEN, ERR_SOCKET_BAD_PORT,
---ERR_INVALID_ARG_VALUE; failures to bind arrive as 'error'.
function Server:listen(...)
  if not isServer(self) then notThis(self, 'Server', 'listen') end
  local n = select('#', ...)
  local a0, a1, a2 = ...
  local options, cb = normalizeArgs(n, ...)
  if self.listening then error(errors.serverAlreadyListen(), 2) end
  listenedAt[self] = site(2)
  if cb then self:once('listening', cb) end
  local backlogFromArgs = (n > 1 and toNumber(a1)) or (n > 2 and toNumber(a2))
  local given = options -- what an error shows
  if core.isServer(a0) or core.isSocket(a0) then -- listen(handle)
    given = a0
    options = { fd = a0:_fileno() or -1 }
  end
  if type(options.fd) == 'number' and options.fd >= 0 then
    self:_listen({ fd = options.fd, backlog = backlogFromArgs or nil })
    return self
  end
  -- listen(), listen(callback), listen(nil, ...): any free port.
  local port = options.port
  if n == 0 or type(a0) == 'function' or (a0 == nil and n >= 1) then
    port = 0
  end
  if type(port) == 'number' or type(port) == 'string' then
    local host = options.host
    if host ~= nil then validateHost(host, 'hostname') end -- as dns.lookup
    self:_listen({
      port = errors.validatePort(port, 'options.port'),
      host = host ~= '' and host or nil,
      backlog = options.backlog or backlogFromArgs or nil,
      ipv6Only = options.ipv6Only,
      -- Node 22: SO_REUSEPORT; in a worker of luanet --workers, unless
      -- exclusive (a Node cluster's worker then shares no handle)
      reusePort = options.reusePort == true or
        (not truthy(options.exclusive) and
          require('process')._workerListen(self)),
    })
    return self
  end
  if options.path ~= nil and isPipeName(options.path) then
    local path = options.path
    if path:byte(1) == 0 and
        (truthy(options.readableAll) or truthy(options.writableAll)) then
      -- fchmod cannot reach an abstract socket (Node's words, typo kept)
      error(errors.invalidArgValue('options', given, 'can not set ' ..
        'readableAll or writableAllt to true when path is abstract unix ' ..
        'socket'), 2)
    end
    if hasNul(path) then
      -- libuv 1.46's uv_pipe_bind2, under Node 22: 'error' on the next tick
      nextTick(function()
        self:emit('error', errors.new('Error', 'EINVAL',
          'listen EINVAL: invalid argument ' .. path, { errno =
          core.errno.EINVAL, syscall = 'listen', address = path, port = -1 }))
      end)
      return self
    end
    self:_listen({
      path = options.path,
      backlog = options.backlog or backlogFromArgs or nil,
      readableAll = options.readableAll == true,
      writableAll = options.writableAll == true,
    })
    return self
  end
  if options.port == nil and options.path == nil then
    error(errors.invalidArgValue('options', given,
      'must have the property "port" or "path"'), 2)
  end
  error(errors.invalidArgValue('options', given), 2)
end

---server:close([callback]) -> server: stops accepting; 'close' once the
---last connection ends. callback(err) is a once('close') listener; err is
---ERR_SERVER_NOT_RUNNING if it was not listening.
function Server:close(cb)
  if not isServer(self) then notThis(self, 'Server', 'close') end
  if type(cb) == 'function' then
    if not self.listening then
      self:once('close', function() cb(errors.serverNotRunning()) end)
    else
      self:once('close', cb)
    end
  end
  self:_close()
  return self
end

---server:getConnections(callback) -> server: callback(nil, count) on the
---next tick.
function Server:getConnections(cb)
  if not isServer(self) then notThis(self, 'Server', 'getConnections') end
  errors.validateFunction(cb, 'callback')
  nextTick(cb, nil, self._connections)
  return self
end

local serverOptions = { 'allowHalfOpen', 'pauseOnConnect', 'noDelay',
  'keepAlive', 'keepAliveInitialDelay', 'highWaterMark', 'blockList',
  'proxyProtocol' }

---net.Server([options][, connectionListener]) -> Server, not listening.
---options: allowHalfOpen, pauseOnConnect, noDelay, keepAlive,
---keepAliveInitialDelay (ms), highWaterMark (bytes), blockList,
---proxyProtocol (luanet's: a PROXY protocol header starts each connection).
local function newServer(options, listener)
  if type(options) == 'function' then
    options, listener = nil, options
  elseif options ~= nil and type(options) ~= 'table' then
    error(errors.invalidArgType('options', 'table', options), 3)
  end
  local o = {}
  for _, k in ipairs(serverOptions) do o[k] = options and options[k] end
  if truthy(o.blockList) then -- Node's if (options.blockList)
    require('blocklist').validateBlockList(o.blockList, 'options.blockList')
  else
    o.blockList = nil
  end
  if o.keepAliveInitialDelay ~= nil then
    errors.validateNumber(o.keepAliveInitialDelay,
      'options.keepAliveInitialDelay')
    -- Node keeps ~~(delay / 1000) seconds: NaN and Infinity are 0. The C
    -- side takes whole milliseconds.
    local seconds = toInt32(o.keepAliveInitialDelay / 1000)
    o.keepAliveInitialDelay = seconds > 0 and seconds * 1000 or 0
  end
  if o.highWaterMark ~= nil then
    -- Node 22 takes any number here; a negative one means the default, and
    -- one that is not a whole finite number fails when a connection comes
    -- (ERR_INVALID_ARG_VALUE from the socket's stream): raised at once here.
    errors.validateNumber(o.highWaterMark, 'options.highWaterMark')
    local hwm = o.highWaterMark
    if hwm < 0 then
      o.highWaterMark = nil
    elseif hwm ~= floor(hwm) or hwm == math.huge then
      error(errors.invalidArgValue('options.readableHighWaterMark', hwm), 2)
    end
  end
  local server = core.newServer(o)
  if type(listener) == 'function' then server:on('connection', listener) end
  handles.made(server, 3) -- (where it was made, when tracing)
  return server
end

setmetatable(Server, {
  __call = function(_, options, listener)
    local server = newServer(options, listener)
    madeAt[server] = site(2)
    return server
  end,
})
net.Server = Server

---net.createServer([options][, connectionListener]) -> Server
function net.createServer(options, listener)
  local server = newServer(options, listener)
  madeAt[server] = site(2)
  return server
end

-- ---- autoSelectFamily defaults --------------------------------------------

---net.getDefaultAutoSelectFamily() -> boolean: what connect() does
---without options.autoSelectFamily (true at start, as Node 22).
function net.getDefaultAutoSelectFamily()
  return autoSelectFamilyDefault
end

---net.setDefaultAutoSelectFamily(value): value a boolean, else raises
---ERR_INVALID_ARG_TYPE.
---@param value boolean
function net.setDefaultAutoSelectFamily(value)
  autoSelectFamilyDefault = errors.validateBoolean(value, 'value')
end

---net.getDefaultAutoSelectFamilyAttemptTimeout() -> integer: the ms given
---each address without options.autoSelectFamilyAttemptTimeout (250 at
---start, as Node 22).
function net.getDefaultAutoSelectFamilyAttemptTimeout()
  return attemptTimeoutDefault
end

---net.setDefaultAutoSelectFamilyAttemptTimeout(value): value an integer
--->= 1 (ms; below 10 means 10), else raises ERR_INVALID_ARG_TYPE or
---ERR_OUT_OF_RANGE.
---@param value integer
function net.setDefaultAutoSelectFamilyAttemptTimeout(value)
  errors.validateInt32(value, 'value', 1)
  attemptTimeoutDefault = value < 10 and 10 or tointeger(value)
end

-- ---- addresses ------------------------------------------------------------

---net.isIP(input) -> 0, 4 or 6, exactly as Node decides. As Node tests
---`${input}`, a table or userdata with a __tostring metamethod is tested
---as the string it gives; any other value that is not a string is 0.
function net.isIP(input)
  if type(input) ~= 'string' then
    local mt = getmetatable(input)
    if type(mt) ~= 'table' or mt.__tostring == nil then return 0 end
    input = tostring(input)
  end
  return core.isIP(input)
end

---net.isIPv4(input) -> boolean
function net.isIPv4(input)
  return net.isIP(input) == 4
end

---net.isIPv6(input) -> boolean
function net.isIPv6(input)
  return net.isIP(input) == 6
end

-- net.BlockList and net.SocketAddress: lua/blocklist.lua.
local blocklist = require('blocklist')
net.BlockList, net.SocketAddress = blocklist.BlockList, blocklist.SocketAddress

-- ---- sequential code ------------------------------------------------------

-- net.spawn(fn, ...) -> task, and socket:read, readUntil, lines, drain,
-- server:accept: lua/task.lua and lua/reader.lua.
net.spawn = require('task').spawn

-- net.handles() -> the process's live handles: lua/handles.lua.
net.handles = handles.list
require('reader')

return net
