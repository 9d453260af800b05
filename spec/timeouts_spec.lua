-- socket:setTimeout: 'timeout' after idleness, restarted by every read and
-- write, turned off by 0, and its bad input.
local h = require('spec.helpers')
local t = require('luanet.test')
local net, timers = h.net, h.timers

local function now()
  local hr = h.process.hrtime()
  return hr[1] * 1000 + hr[2] / 1e6
end

-- A client connected to a server that hands its socket to onconn.
local function connected(onconn, onclient)
  local server
  server = h.listen(function(socket)
    server:close()
    onconn(socket)
  end)
  local client
  client = net.connect(server:address().port, '127.0.0.1', function()
    if onclient then onclient(client) end
  end)
  client:resume()
  return client
end

describe('socket:setTimeout', function()
  t.it('emits timeout after the idle time, runs the callback once, and ' ..
    'leaves the socket open', function()
      local start = now()
      local order = {}
      connected(function(socket)
        socket:resume()
        assert.are.equal(socket, socket:setTimeout(50, function()
          order[#order + 1] = 'callback'
        end))
        socket:on('timeout', t.mustCall(function()
          order[#order + 1] = 'listener'
          local waited = now() - start
          assert.is_true(waited >= 45, 'fired after ' .. waited .. ' ms')
          assert.is_false(socket.destroyed)
          assert.are.equal(50, socket.timeout)
          assert.are.same({ 'callback', 'listener' }, order)
          socket:destroy()
        end))
      end)
    end)

  t.it('restarts the idle time on every read', function()
    local start
    connected(function(socket)
      socket:resume()
      start = now()
      socket:setTimeout(80)
      socket:on('timeout', t.mustCall(function()
        -- the client wrote every 20 ms for 200 ms
        local waited = now() - start
        assert.is_true(waited >= 250, 'fired after ' .. waited .. ' ms')
        socket:destroy()
      end))
    end, function(client)
      local n = 0
      local ticker
      ticker = timers.setInterval(function()
        n = n + 1
        client:write('.')
        if n == 10 then timers.clearInterval(ticker) end
      end, 20)
    end)
  end)

  t.it('restarts the idle time on every write', function()
    local start
    connected(function(socket)
      socket:resume()
      start = now()
      socket:setTimeout(80)
      local n = 0
      local ticker
      ticker = timers.setInterval(function()
        n = n + 1
        socket:write('.')
        if n == 10 then timers.clearInterval(ticker) end
      end, 20)
      socket:on('timeout', t.mustCall(function()
        local waited = now() - start
        assert.is_true(waited >= 250, 'fired after ' .. waited .. ' ms')
        socket:destroy()
      end))
    end)
  end)

  t.it('fires again after new activity', function()
    local fired = 0
    connected(function(socket)
      socket:resume()
      socket:setTimeout(30)
      socket:on('timeout', t.mustCall(function()
        fired = fired + 1
        if fired == 1 then
          socket:write('wake up')
        else
          socket:destroy()
        end
      end, 2))
    end)
  end)

  t.it('is turned off by 0, which also removes the callback', function()
    connected(function(socket)
      socket:resume()
      local cb = t.mustNotCall()
      socket:setTimeout(20, cb)
      socket:setTimeout(0, cb)
      assert.are.equal(0, socket:listenerCount('timeout'))
      assert.is_nil(socket.timeout)
      timers.setTimeout(function() socket:destroy() end, 80)
    end)
  end)

  t.it('applies the timeout option of net.connect', function()
    local server
    server = h.listen(function(socket)
      server:close()
      socket:resume()
    end)
    local client = net.connect({ port = server:address().port,
      host = '127.0.0.1', timeout = 30 })
    assert.are.equal(30, client.timeout)
    client:on('timeout', t.mustCall(function() client:destroy() end))
  end)

  t.it('does not keep the process alive by itself', function()
    local out, _, code = h.exec({ '-e', [[
      local net = require('net')
      local server
      -- Paused before reading, as in Node 22 (a socket that began reading
      -- goes on up to its high-water mark, which keeps the process alive).
      server = net.createServer({ pauseOnConnect = true }, function(socket)
        server:close()
        socket:setTimeout(5000, function() console.log('timeout') end)
      end):listen(0, '127.0.0.1')
      local c = net.connect(server:address().port, '127.0.0.1')
      c:on('connect', function() c:pause() console.log('idle') end)
    ]] })
    assert.are.equal(0, code)
    assert.are.equal('idle\n', out)
  end)

  t.it('raises Node errors for bad arguments', function()
    local socket = net.Socket()
    local cases = {
      { -1, 'ERR_OUT_OF_RANGE', 'The value of "msecs" is out of range. ' ..
        'It must be a non-negative finite number. Received -1' },
      { 0 / 0, 'ERR_OUT_OF_RANGE', nil },
      { math.huge, 'ERR_OUT_OF_RANGE', nil },
      { 'x', 'ERR_INVALID_ARG_TYPE', 'The "msecs" argument must be of type ' ..
        "number. Received type string ('x')" },
    }
    for _, case in ipairs(cases) do
      local ok, err = pcall(socket.setTimeout, socket, case[1])
      assert.is_false(ok)
      assert.are.equal(case[2], err.code)
      if case[3] then assert.are.equal(case[3], err.message) end
    end
    local ok, err = pcall(socket.setTimeout, socket, 1, 5)
    assert.is_false(ok)
    assert.are.equal('The "callback" argument must be of type function. ' ..
      'Received type number (5)', err.message)
  end)
end)
