-- Node's test-net-server-listen-options.js: the forms of listen() that
-- pick a free port, and the ports and options it refuses. (`this` of the
-- listeners is the server, passed to close() here. Lua has no
-- { port = undefined } or { port = null }, a table without port, which
-- Node refuses as well: those two lines are kept for listen(port, cb)
-- only. Node's message RegExps are Lua patterns in a validator.)
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local function close(server) server:close() end

-- A new server, and a listener calling fn(server) (Node's `this`).
local function with(fn)
  local server = net.createServer()
  return server, fn and function(...) return fn(server, ...) end
end

do
  -- Test listen()
  local s1, c1 = with(common.mustCall(close))
  s1:listen():on('listening', c1)
  -- Test listen(cb)
  local s2, c2 = with(common.mustCall(close))
  s2:listen(c2)
  -- Test listen(port)
  local s3, c3 = with(common.mustCall(close))
  s3:listen(0):on('listening', c3)
  -- Test listen({port})
  local s4, c4 = with(common.mustCall(close))
  s4:listen({ port = 0 })
    :on('listening', c4)
end

-- Test listen(port, cb) and listen({ port }, cb) combinations
local listenOnPort = {
  function(port, cb)
    local server, listener = with(cb)
    return server:listen({ port = port }, listener)
  end,
  function(port, cb)
    local server, listener = with(cb)
    return server:listen(port, listener)
  end,
}

do
  -- (common.expectsError's function returns nothing; as a validator of
  -- assert.throws it must return true, as Node's does.)
  local function assertPort()
    local check = common.expectsError({
      code = 'ERR_SOCKET_BAD_PORT',
      name = 'RangeError',
    })
    return function(err)
      check(err)
      return true
    end
  end

  for i, listen in ipairs(listenOnPort) do
    -- Arbitrary unused ports
    listen('0', common.mustCall(close))
    listen(0, common.mustCall(close))
    if i == 2 then -- listen(undefined, cb), listen(null, cb)
      listen(nil, common.mustCall(close))
      listen(nil, common.mustCall(close))
    end
    -- Test invalid ports
    assert.throws(function() listen(-1, common.mustNotCall()) end,
      assertPort())
    assert.throws(function() listen(0 / 0, common.mustNotCall()) end,
      assertPort())
    assert.throws(function() listen(123.456, common.mustNotCall()) end,
      assertPort())
    assert.throws(function() listen(65536, common.mustNotCall()) end,
      assertPort())
    assert.throws(function() listen(1 / 0, common.mustNotCall()) end,
      assertPort())
    assert.throws(function() listen(-1 / 0, common.mustNotCall()) end,
      assertPort())
  end
  -- In listen(options, cb), port takes precedence over path
  assert.throws(function()
    net.createServer():listen({ port = -1, path = common.PIPE },
      common.mustNotCall())
  end, assertPort())
end

do
  local function shouldFailToListen(options)
    local function fn()
      net.createServer():listen(options, common.mustNotCall())
    end

    local message
    if type(options) == 'table' and
        not (options.port ~= nil or options.path ~= nil) then
      message = '^The argument \'options\' must have the property "port" ' ..
        'or "path"%. Received .+$'
    else
      message = '^The argument \'options\' is invalid%. Received .+$'
    end
    assert.throws(fn, function(err)
      assert.strictEqual(err.code, 'ERR_INVALID_ARG_VALUE')
      assert.strictEqual(err.name, 'TypeError')
      assert.ok(err.message:match(message), err.message) -- Node: assert.match
      return true
    end)
  end

  shouldFailToListen(false, { port = false })
  shouldFailToListen({ port = false })
  shouldFailToListen(true)
  shouldFailToListen({ port = true })
  -- Invalid fd as listen(handle)
  shouldFailToListen({ fd = -1 })
  -- Invalid path in listen(options)
  shouldFailToListen({ path = -1 })

  -- Neither port or path are specified in options
  shouldFailToListen({})
  shouldFailToListen({ host = 'localhost' })
  shouldFailToListen({ host = 'localhost:3000' })
  shouldFailToListen({ host = { port = 3000 } })
  shouldFailToListen({ exclusive = true })
end
