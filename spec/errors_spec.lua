-- Errors and bad input: every public function's argument checks with
-- Node's codes and words, error tables and how they print, peer faults,
-- and the runtime staying whole when a listener raises.
local h = require('spec.helpers')
local t = require('luanet.test')
local net, timers = h.net, h.timers

-- Calls f(...) and returns the error it raised (failing if it did not).
local function raised(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok, 'expected an error')
  return err
end

describe('bad arguments raise at once, as Node words them', function()
  local socket = net.Socket()
  local server = net.createServer()
  local cases = {
    { 'socket:write(5)', function() socket:write(5) end,
      'TypeError', 'ERR_INVALID_ARG_TYPE', 'The "chunk" argument must be of ' ..
      'type string or an instance of Buffer, TypedArray, or DataView. ' ..
      'Received type number (5)' },
    { 'socket:write(nil)', function() socket:write(nil) end,
      'TypeError', 'ERR_STREAM_NULL_VALUES',
      'May not write null values to stream' },
    { 'socket:write({})', function() socket:write({}) end,
      'TypeError', 'ERR_INVALID_ARG_TYPE', nil },
    { 'socket:end_(5)', function() socket:end_(5) end,
      'TypeError', 'ERR_INVALID_ARG_TYPE', nil },
    { 'socket:connect()', function() net.Socket():connect() end,
      'TypeError', 'ERR_MISSING_ARGS',
      'The "options" or "port" or "path" argument must be specified' },
    { 'net.connect(-1)', function() net.connect(-1) end,
      'RangeError', 'ERR_SOCKET_BAD_PORT',
      'Port should be >= 0 and < 65536. Received type number (-1).' },
    { 'net.connect({ port = 1e6 })', function() net.connect({ port = 1e6 }) end,
      'RangeError', 'ERR_SOCKET_BAD_PORT', nil },
    { "net.connect({ port = '' })", function() net.connect({ port = '' }) end,
      'RangeError', 'ERR_SOCKET_BAD_PORT', nil },
    { 'net.Socket(true)', function() net.Socket(true) end,
      'TypeError', 'ERR_INVALID_ARG_TYPE', nil },
    { "net.Socket({ keepAliveInitialDelay = 'x' })", function()
      net.Socket({ keepAliveInitialDelay = 'x' }) end,
      'TypeError', 'ERR_INVALID_ARG_TYPE', nil },
    { "net.connect({ timeout = 'x' })", function()
      net.connect({ port = 1, host = '127.0.0.1', timeout = 'x' }) end,
      'TypeError', 'ERR_INVALID_ARG_TYPE', 'The "msecs" argument must be of ' ..
      "type number. Received type string ('x')" },
    { 'net.connect({ timeout = -1 })', function()
      net.connect({ port = 1, host = '127.0.0.1', timeout = -1 }) end,
      'RangeError', 'ERR_OUT_OF_RANGE', 'The value of "msecs" is out of ' ..
      'range. It must be a non-negative finite number. Received -1' },
    { "net.connect({ keepAliveInitialDelay = 'x' })", function()
      net.connect({ port = 1, host = '127.0.0.1', keepAlive = true,
        keepAliveInitialDelay = 'x' }) end,
      'TypeError', 'ERR_INVALID_ARG_TYPE', 'The ' ..
      '"options.keepAliveInitialDelay" property must be of type number. ' ..
      "Received type string ('x')" },
    { 'net.connect({ autoSelectFamilyAttemptTimeout = 1.5 })', function()
      net.connect({ port = 1, host = '127.0.0.1',
        autoSelectFamilyAttemptTimeout = 1.5 }) end,
      'RangeError', 'ERR_OUT_OF_RANGE', 'The value of ' ..
      '"options.autoSelectFamilyAttemptTimeout" is out of range. It must be ' ..
      'an integer. Received 1.5' },
    { 'net.connect({ autoSelectFamilyAttemptTimeout = 0 })', function()
      net.connect({ port = 1, host = '127.0.0.1',
        autoSelectFamilyAttemptTimeout = 0 }) end,
      'RangeError', 'ERR_OUT_OF_RANGE', 'The value of ' ..
      '"options.autoSelectFamilyAttemptTimeout" is out of range. It must be ' ..
      '>= 1 && <= 2147483647. Received 0' },
    { "net.connect({ autoSelectFamilyAttemptTimeout = 'x' })", function()
      net.connect({ port = 1, host = '127.0.0.1',
        autoSelectFamilyAttemptTimeout = 'x' }) end,
      'TypeError', 'ERR_INVALID_ARG_TYPE', nil },
    { 'net.createServer(5)', function() net.createServer(5) end,
      'TypeError', 'ERR_INVALID_ARG_TYPE', 'The "options" argument must be ' ..
      'of type table. Received type number (5)' },
    { 'server:listen(-1)', function() server:listen(-1) end,
      'RangeError', 'ERR_SOCKET_BAD_PORT', 'options.port should be >= 0 and ' ..
      '< 65536. Received type number (-1).' },
    { 'server:listen({})', function() server:listen({}) end,
      'TypeError', 'ERR_INVALID_ARG_VALUE', "The argument 'options' must " ..
      'have the property "port" or "path". Received {}' },
    { 'server:listen(true)', function() server:listen(true) end,
      'TypeError', 'ERR_INVALID_ARG_VALUE',
      "The argument 'options' is invalid. Received { port = true }" },
    { 'server:listen({ port = 0, host = 5 })', function()
      server:listen({ port = 0, host = 5 }) end,
      'TypeError', 'ERR_INVALID_ARG_TYPE', 'The "hostname" argument must be ' ..
      'of type string. Received type number (5)' },
    { 'server:getConnections()', function() server:getConnections() end,
      'TypeError', 'ERR_INVALID_ARG_TYPE', nil },
    { "socket:on('data', 5)", function() socket:on('data', 5) end,
      'TypeError', 'ERR_INVALID_ARG_TYPE', 'The "listener" argument must be ' ..
      'of type function. Received type number (5)' },
    { 'socket:setTimeout(-1)', function() socket:setTimeout(-1) end,
      'RangeError', 'ERR_OUT_OF_RANGE', nil },
    { 'socket:pipe(5)', function() socket:pipe(5) end,
      'TypeError', 'ERR_INVALID_ARG_TYPE', nil },
    { 'socket.bytesRead = 1', function() socket.bytesRead = 1 end,
      'TypeError', nil, 'Cannot set property bytesRead of #<Socket> which ' ..
      'has only a getter' },
  }
  for _, case in ipairs(cases) do
    t.it(case[1], function()
      local err = raised(case[2])
      assert.are.equal(case[3], err.name)
      assert.are.equal(case[4], err.code)
      if case[5] then assert.are.equal(case[5], err.message) end
      if case[4] then
        assert.are.equal(case[3] .. ' [' .. case[4] .. ']: ' .. err.message,
          tostring(err))
      end
    end)
  end

  t.it('leave the objects usable', function()
    assert.is_false(server.listening)
    server:listen(0, '127.0.0.1', t.mustCall(function() server:close() end))
  end)
end)

describe('a string in a message', function()
  -- net.connect({ port: 80, host: h }) for each h beside its message's
  -- end, under Node 22: util.inspect's quotes and escapes.
  t.it('is inspected as Node does: quotes chosen, control bytes escaped',
    function()
      for _, case in ipairs({
        { "it's\0", [["it's\x00"]] },
        { 'a\n\0\t\127', [['a\n\x00\t\x7F']] },
        { '\'"\0', [[`'"\x00`]] },
        { '\'"`\0', [['\'"`\x00']] },
      }) do
        local err = raised(net.connect, { port = 80, host = case[1] })
        assert.are.equal("The property 'options.host' must be a string " ..
          'without null bytes. Received ' .. case[2], err.message)
      end
    end)

  -- net.connect({ port: p, host: '127.0.0.1' }): Node 22's
  -- determineSpecificType cuts the raw text at 25 characters and quotes
  -- it, with JSON.stringify where it holds a '.
  t.it('is cut and quoted as Node 22 does after "Received type string"',
    function()
      for _, case in ipairs({
        { "it's", [[("it's")]] },
        { ('x'):rep(40), "('" .. ('x'):rep(25) .. "...')" },
        { 'a\nb', "('a\nb')" },
        { "'\n" .. ('y'):rep(30), [[("'\n]] .. ('y'):rep(23) .. [[...")]] },
      }) do
        local err = raised(net.connect, { port = case[1], host = '127.0.0.1' })
        assert.are.equal('Port should be >= 0 and < 65536. Received type ' ..
          'string ' .. case[2] .. '.', err.message)
      end
    end)
end)

describe('methods called on the wrong object', function()
  t.it('raise a Lua error, never crash', function()
    local socket = net.Socket()
    local ok, err = pcall(socket.write, {}, 'x')
    assert.is_false(ok)
    assert.matches('luanet.Socket expected', tostring(err), 1, true)
    ok = pcall(net.Server.address, socket)
    assert.is_false(ok)
  end)
end)

describe('system errors', function()
  t.it('carry errno, code, syscall, address and port; print as Node', function()
    local server, port = h.listen()
    server:close()
    local client = net.connect(port, '127.0.0.1')
    client:on('error', t.mustCall(function(err)
      assert.are.equal('Error', err.name)
      assert.are.equal(-111, err.errno)
      assert.are.equal('ECONNREFUSED', err.code)
      assert.are.equal('connect', err.syscall)
      assert.are.equal('127.0.0.1', err.address)
      assert.are.equal(port, err.port)
      assert.are.equal('Error: connect ECONNREFUSED 127.0.0.1:' .. port,
        tostring(err))
    end))
  end)
end)

describe('a peer fault', function()
  t.it('a reset arrives as ECONNRESET, then close(true)', function()
    local server
    server = h.listen(function(socket)
      server:close()
      socket:resetAndDestroy()
    end)
    local order = {}
    local client = net.connect(server:address().port, '127.0.0.1')
    client:resume()
    client:on('error', function(err) order[#order + 1] = err.code end)
    client:on('close', t.mustCall(function(hadError)
      order[#order + 1] = 'close ' .. tostring(hadError)
      assert.are.same({ 'ECONNRESET', 'close true' }, order)
    end))
  end)
end)

describe('a Lua error raised in a listener', function()
  local process = h.process

  -- About luanet.run() itself, so without the harness's loop.
  it('is uncaught: run() raises it, and nothing is left open', function()
    local server
    server = h.listen(function(socket)
      server:close()
      socket:resume()
      error('listener failed')
    end)
    net.connect(server:address().port, '127.0.0.1'):resume()
    local ok, err = pcall(h.luanet.run)
    assert.is_false(ok)
    assert.matches('listener failed', err)
    h.luanet._closeAll()
    t.run(function() end) -- the closes finish, and nothing else is open
  end)

  t.it('goes to uncaughtException listeners, and the next events still come',
    function()
      local caught = {}
      local function onUncaught(err) caught[#caught + 1] = err end
      process:on('uncaughtException', onUncaught)
      finally(function() process:off('uncaughtException', onUncaught) end)
      local chunks, ended = 0, false
      local server
      server = h.listen(function(socket)
        server:close()
        socket:on('data', function()
          chunks = chunks + 1
          error('data listener ' .. chunks)
        end)
        socket:on('end', function() ended = true end)
      end)
      local client
      client = net.connect(server:address().port, '127.0.0.1', function()
        client:write('one')
        timers.setTimeout(function()
          client:write('two')
          client:end_()
        end, 20)
        error('connect listener')
      end)
      client:resume()
      client:on('close', t.mustCall(function()
        assert.are.equal(2, chunks)
        assert.is_true(ended)
        assert.are.equal(3, #caught)
        assert.matches('connect listener', caught[1])
        assert.matches('data listener 1', caught[2])
      end))
    end)

  t.it('in a write callback, a timer or a tick, is uncaught the same way',
    function()
      local caught = 0
      local function onUncaught() caught = caught + 1 end
      process:on('uncaughtException', onUncaught)
      finally(function() process:off('uncaughtException', onUncaught) end)
      local server
      server = h.listen(function(socket)
        server:close()
        socket:resume()
      end)
      local client
      client = net.connect(server:address().port, '127.0.0.1', function()
        client:write('x', function() error('write callback') end)
        process.nextTick(function() error('tick') end)
        timers.setTimeout(function()
          error('timer')
        end, 5)
        timers.setTimeout(function() client:end_() end, 20)
      end)
      client:resume()
      client:on('close', t.mustCall(function()
        assert.are.equal(3, caught)
      end))
    end)
end)
