-- Hostile use of the bindings: objects collected while libuv can still call
-- back about them, errors raised where C looks things up, metamethods
-- called by hand with the wrong object, and descriptors that belong to the
-- loop. Each case crashed, leaked or corrupted memory once; now each one
-- behaves as a user would expect (and as Node does, where Node can say).
local h = require('spec.helpers')
local t = require('luanet.test')
local net, timers = h.net, h.timers

describe('a socket collected while its idle timer is armed', function()
  t.it("is kept until its 'timeout', which fires as in Node", function()
    -- Node 22: new net.Socket().setTimeout(50, cb) calls cb after 50 ms,
    -- connected or not (the timer list holds the socket).
    for _ = 1, 200 do
      net.Socket():setTimeout(20, t.mustCall(nil, 1))
    end
    collectgarbage()
    collectgarbage()
    -- Socket timers do not keep the loop alive (Node's are unref'd too).
    timers.setTimeout(function() end, 60)
  end)

  t.it('lets a socket whose timer expired go, and closes that timer',
    function()
      local fired = 0
      for _ = 1, 200 do
        local s = net.Socket()
        s:setTimeout(10, function() fired = fired + 1 end)
      end
      timers.setTimeout(t.mustCall(function()
        assert.equal(200, fired)
      end), 40)
      -- Every timer goes with its socket: the harness finds none open.
    end)

  t.it('fires nothing once the socket is destroyed, collected or not',
    function()
      for _ = 1, 200 do
        local s = net.Socket()
        s:setTimeout(10, t.mustNotCall())
        s:destroy()
      end
      collectgarbage()
      timers.setTimeout(function() end, 40)
    end)
end)

describe("end(callback) on a socket that never connected (Node 22)", function()
  t.it("calls back without an error and emits 'finish' at once", function()
    -- Node 22: new net.Socket().end(cb): cb(null), then 'finish'.
    local s = net.Socket()
    local order = {}
    s:on('finish', t.mustCall(function()
      order[#order + 1] = 'finish'
      assert.same({ 'callback', 'finish' }, order)
    end))
    s:end_(t.mustCall(function(err)
      assert.is_nil(err)
      order[#order + 1] = 'callback'
    end))
  end)

  t.it('calls back even when the socket is dropped at once, and leaks nothing',
    function()
      for _ = 1, 100 do
        net.Socket():end_(t.mustCall(nil, 1))
      end
      collectgarbage()
      collectgarbage()
    end)
end)

-- A script for the host that ends with what process's 'exit' saw.
local function runScript(source)
  local path = h.script(source)
  local out, err, code = h.exec({ path })
  os.remove(path)
  return out, err, code
end

describe("an error raised where C looks up a socket's listeners", function()
  local replaceEvents = [[
    local net = require('net')
    local server
    server = net.createServer(function(s)
      server:close()
      s:end_('data')
    end)
    server:listen(0, '127.0.0.1', function()
      local c = net.connect(server:address().port, '127.0.0.1')
      c:on('data', function() end)
      -- _events replaced by a table whose lookup of 'data' raises.
      c._events = setmetatable({}, { __index = function(_, k)
        if k == 'data' then error('no ' .. k, 0) end
      end })
    end)
  ]]

  t.it("is an uncaught error: 'uncaughtException' sees it, 'exit' runs",
    function()
      local out, err, code = runScript([[
        process:on('uncaughtException', function(e)
          print('caught ' .. tostring(e))
        end)
        process:on('exit', function(c) print('exit ' .. c) end)
      ]] .. replaceEvents)
      assert.equal('', err)
      assert.matches('caught no data', out, 1, true)
      assert.matches('exit 0\n', out, 1, true)
      assert.equal(0, code)
    end)

  t.it('without a listener, is printed and exits 1 after the exit event',
    function()
      local out, err, code = runScript([[
        process:on('exit', function(c) print('exit ' .. c) end)
      ]] .. replaceEvents)
      assert.matches('Uncaught Error: no data', err, 1, true)
      assert.equal('exit 1\n', out)
      assert.equal(1, code)
    end)

  -- What is checked is how the loop ends: t.run runs it, in busted's it.
  it('in the module, reaches the process listener and the loop goes on',
    function()
      local process, seen = h.process, {}
      local function onError(e) seen[#seen + 1] = tostring(e) end
      process:on('uncaughtException', onError)
      finally(function() process:off('uncaughtException', onError) end)
      local c
      t.run(function()
        local server
        server = h.listen(function(s)
          server:close()
          s:end_('data')
        end)
        c = net.connect(server:address().port, '127.0.0.1')
        c:on('data', function() end)
        c._events = setmetatable({}, { __index = function(_, k)
          if k == 'data' then error('no ' .. k, 0) end
        end })
      end)
      assert.same({ 'no data' }, seen)
      assert.is_true(c.destroyed)
    end)
end)

describe('metamethods and methods called by hand with the wrong object',
  function()
    local socket = net.Socket()
    local server = net.createServer()
    local timeout = timers.setTimeout(function() end, 1000)
    timers.clearTimeout(timeout)
    local immediate = timers.setImmediate(function() end)
    timers.clearImmediate(immediate)
    local objects = { socket = socket, server = server, timeout = timeout,
      immediate = immediate }
    local strangers = { socket, server, timeout, immediate, io.stdout, 5,
      'text', {}, true, print, coroutine.create(print) }

    -- A computed field of each class: reading it casts the object.
    local getters = { socket = 'bytesRead', server = 'listening',
      timeout = '_idleTimeout', immediate = '_destroyed' }
    for kind, object in pairs(objects) do
      local mt = getmetatable(object)
      for _, event in ipairs({ '__index', '__newindex', '__tostring', '__gc',
        '__close' }) do
        local f = mt[event]
        if f then
          t.it(kind .. "'s " .. event .. ' refuses any other object', function()
            for _, other in ipairs(strangers) do
              if getmetatable(other) ~= mt then
                local ok, err = pcall(f, other, getters[kind], 1)
                if event == '__close' and kind ~= 'socket' and
                    kind ~= 'server' then
                  assert.is_true(ok) -- clearTimeout(x) ignores a non-timer
                else
                  assert.is_false(ok, tostring(err))
                end
              end
            end
          end)
        end
      end
    end

    local names = { 'write', 'end_', 'destroy', 'resetAndDestroy', 'pause',
      'resume', 'isPaused', 'setEncoding', 'setTimeout', 'setNoDelay',
      'setKeepAlive', 'ref', 'unref', 'address', 'connect', 'listen', 'close',
      'getConnections', 'hasRef', 'refresh', 'on', 'once', 'emit' }
    t.it('every method refuses any other object', function()
      for _, object in pairs(objects) do
        for _, name in ipairs(names) do
          local method = object[name]
          if type(method) == 'function' then
            for _, other in ipairs(strangers) do
              if getmetatable(other) ~= getmetatable(object) then
                -- A raise or a plain answer; never a crash.
                pcall(method, other, 'x')
              end
            end
          end
        end
      end
    end)
end)

describe("net.Socket({ fd }) over the loop's own descriptors", function()
  t.it('refuses each of them, and the loop goes on working', function()
    local out, err, code = runScript([[
      local net = require('net')
      process:on('SIGUSR2', function() end) -- the signal pipe, too
      local server = net.createServer(function(s) s:end_('pong') end)
      server:listen(0, '127.0.0.1')
      -- The descriptors the loop opened: those the parent did not give.
      local function fds(pid)
        local set, ls = {}, io.popen('ls /proc/' .. pid .. '/fd')
        for name in ls:lines() do set[tonumber(name)] = true end
        ls:close()
        return set
      end
      local inherited = fds(process.ppid)
      for fd in pairs(fds(process.pid)) do
        if not inherited[fd] then
          local ok, e = pcall(net.Socket, { fd = fd })
          if ok then
            io.stderr:write('fd ' .. fd .. ' was taken\n')
            e:destroy()
          end
        end
      end
      local c = net.connect(server:address().port, '127.0.0.1')
      c:setEncoding('utf8')
      c:on('data', function(d)
        print(d)
        server:close()
      end)
      setTimeout(function() print('timer') end, 10)
    ]])
    assert.equal('', err)
    assert.equal('pong\ntimer\n', out)
    assert.equal(0, code)
  end)

  t.it('raises EEXIST for the descriptor of a live server', function()
    local server = h.listen(function() end)
    local ok, err = pcall(net.Socket, { fd = server:_fileno() })
    assert.is_false(ok)
    assert.equal('EEXIST', err.code)
    server:close()
  end)
end)

describe('a server closed in its own listening listener', function()
  it('is let go once closed, and collected', function()
    local weak = setmetatable({}, { __mode = 'v' })
    t.run(function()
      local server = net.createServer()
      server:listen(0, '127.0.0.1', t.mustCall(function() server:close() end))
      server:on('close', t.mustCall())
      weak[1] = server
    end)
    collectgarbage()
    collectgarbage()
    assert.is_nil(weak[1])
  end)
end)
