-- Node's test-net-connect-options-port.js: the six ways to connect (net.
-- createConnection, net.connect, socket:connect; the callback given or a
-- 'connect' listener) with a port alone, a port and host, or options:
-- ports of a wrong type raise ERR_INVALID_ARG_TYPE, out of range
-- ERR_SOCKET_BAD_PORT; numbers, strings of digits and hex strings connect;
-- port 0 fails asynchronously with 'error' "connect E...". Where the port
-- differs: Node's null port has no Lua value (nil is undefined:
-- ERR_MISSING_ARGS, test-net-connect-no-arg), [] and {} are both a table;
-- the block on invalid dns hints is left out, as luanet's connect takes no
-- hints option (nor has a dns module).
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local unpack = table.unpack

-- Node's fn.apply(net, args.concat(cb)): args then cb (none when nil).
local function apply(fn, self, args, cb)
  local all = { unpack(args, 1, args.n or #args) }
  local n = args.n or #args
  if cb ~= nil then
    n = n + 1
    all[n] = cb
  end
  if self ~= nil then return fn(self, unpack(all, 1, n)) end
  return fn(unpack(all, 1, n))
end

-- Node's doConnect: the six ways, each a { name, fn }.
local function doConnect(args, getCb)
  return {
    { 'createConnectionWithCb', function()
      return apply(net.createConnection, nil, args, getCb())
        :resume()
    end },
    { 'createConnectionWithoutCb', function()
      return apply(net.createConnection, nil, args)
        :on('connect', getCb())
        :resume()
    end },
    { 'connectWithCb', function()
      return apply(net.connect, nil, args, getCb())
        :resume()
    end },
    { 'connectWithoutCb', function()
      return apply(net.connect, nil, args)
        :on('connect', getCb())
        :resume()
    end },
    { 'socketConnectWithCb', function()
      local socket = net.Socket()
      return apply(socket.connect, socket, args, getCb())
        :resume()
    end },
    { 'socketConnectWithoutCb', function()
      local socket = net.Socket()
      return apply(socket.connect, socket, args)
        :on('connect', getCb())
        :resume()
    end },
  }
end

local function syncFailToConnect(port, assertErr, optOnly)
  local mustNot = function() return common.mustNotCall() end
  if not optOnly then
    -- connect(port, cb) and connect(port)
    for _, fn in ipairs(doConnect({ port }, mustNot)) do
      assert.throws(fn[2], assertErr, ('%s(%s)'):format(fn[1], port))
    end

    -- connect(port, host, cb) and connect(port, host)
    for _, fn in ipairs(doConnect({ port, 'localhost' }, mustNot)) do
      assert.throws(fn[2], assertErr,
        ("%s(%s, 'localhost')"):format(fn[1], port))
    end
  end
  -- connect({port}, cb) and connect({port})
  for _, fn in ipairs(doConnect({ { port = port } }, mustNot)) do
    assert.throws(fn[2], assertErr, ('%s({port: %s})'):format(fn[1], port))
  end

  -- connect({port, host}, cb) and connect({port, host})
  for _, fn in ipairs(doConnect({ { port = port, host = 'localhost' } },
      mustNot)) do
    assert.throws(fn[2], assertErr,
      ("%s({port: %s, host: 'localhost'})"):format(fn[1], port))
  end
end

local function canConnect(port)
  local noop = function() return common.mustCall() end

  -- connect(port, cb) and connect(port)
  for _, fn in ipairs(doConnect({ port }, noop)) do fn[2]() end

  -- connect(port, host, cb) and connect(port, host)
  for _, fn in ipairs(doConnect({ port, 'localhost' }, noop)) do fn[2]() end

  -- connect({port}, cb) and connect({port})
  for _, fn in ipairs(doConnect({ { port = port } }, noop)) do fn[2]() end

  -- connect({port, host}, cb) and connect({port, host})
  for _, fn in ipairs(doConnect({ { port = port, host = 'localhost' } },
      noop)) do
    fn[2]()
  end
end

local function asyncFailToConnect(port)
  local onError = function()
    return common.mustCall(function(err)
      -- Node's /^Error: connect E\w+.+$/
      assert.ok(tostring(err):match('^Error: connect E%w+.+$'),
        tostring(err))
    end)
  end

  local dont = function() return common.mustNotCall() end
  -- connect(port, cb) and connect(port)
  for _, fn in ipairs(doConnect({ port }, dont)) do
    fn[2]():on('error', onError())
  end

  -- connect({port}, cb) and connect({port})
  for _, fn in ipairs(doConnect({ { port = port } }, dont)) do
    fn[2]():on('error', onError())
  end

  -- connect({port, host}, cb) and connect({port, host})
  for _, fn in ipairs(doConnect({ { port = port, host = 'localhost' } },
      dont)) do
    fn[2]():on('error', onError())
  end
end

-- Test wrong type of ports
do
  local portTypeError = {
    code = 'ERR_INVALID_ARG_TYPE',
    name = 'TypeError',
  }

  syncFailToConnect(true, portTypeError)
  syncFailToConnect(false, portTypeError)
  syncFailToConnect({}, portTypeError, true) -- Node's []
  syncFailToConnect({}, portTypeError, true)
end

-- Test out of range ports
do
  local portRangeError = {
    code = 'ERR_SOCKET_BAD_PORT',
    name = 'RangeError',
  }

  syncFailToConnect('', portRangeError)
  syncFailToConnect(' ', portRangeError)
  syncFailToConnect('0x', portRangeError, true)
  syncFailToConnect('-0x1', portRangeError, true)
  syncFailToConnect(0 / 0, portRangeError)
  syncFailToConnect(math.huge, portRangeError)
  syncFailToConnect(-1, portRangeError)
  syncFailToConnect(65536, portRangeError)
end

-- Test valid combinations of connect(port) and connect(port, host)
do
  local expectedConnections = 72
  local serverConnected = 0

  local server
  server = net.createServer(common.mustCall(function(socket)
    socket:end_('ok')
    serverConnected = serverConnected + 1
    if serverConnected == expectedConnections then
      server:close()
    end
  end, expectedConnections))

  server:listen(0, 'localhost', common.mustCall(function()
    local port = server:address().port

    -- Total connections = 3 * 4(canConnect) * 6(doConnect) = 72
    canConnect(port)
    canConnect(tostring(port))
    canConnect(('0x%x'):format(port))
  end))

  -- Try connecting to random ports, but do so once the server is closed
  server:on('close', function()
    asyncFailToConnect(0)
  end)
end
