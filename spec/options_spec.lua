-- Socket options a script cannot read back (TCP_NODELAY, SO_KEEPALIVE and
-- its delay, SO_REUSEADDR, the listen backlog), checked where a user would
-- check them: in the system calls build/luanet makes, seen by strace. The
-- tests run on the harness (t.it) like the others, though their sockets
-- are in the child.
local h = require('spec.helpers')
local t = require('luanet.test')

-- Runs the script (text) in build/luanet under strace and returns its
-- setsockopt and listen calls, in order (see helpers.syscalls).
local function syscalls(script)
  local log = os.tmpname()
  local _, err, code = h.exec({ '-e', script }, nil, {
    'strace', '-f', '-qq', '-o', log, '-e', 'trace=setsockopt,listen' })
  assert.are.equal(0, code, err)
  local calls = h.syscalls(log)
  os.remove(log)
  return calls
end

-- The calls whose name is a key of names, in order.
local function only(calls, names)
  local kept = {}
  for _, c in ipairs(calls) do
    if names[c:match('^%S+')] then kept[#kept + 1] = c end
  end
  return kept
end

local KEEPALIVE = {
  TCP_NODELAY = true, SO_KEEPALIVE = true, TCP_KEEPIDLE = true,
}

local describeTraced = h.canTrace and describe or function(name)
  describe(name, function()
    pending('strace cannot trace here, so ' .. name .. ' goes unchecked')
  end)
end

describeTraced('listening sockets', function()
  t.it('get SO_REUSEADDR and a backlog of 511 by default', function()
    local calls = syscalls([[
      local net = require('net')
      local s = net.createServer()
      s:listen(0, '127.0.0.1', function() s:close() end)
    ]])
    assert.are.same({ 'SO_REUSEADDR 1', 'listen 511' }, calls)
  end)

  t.it('take the backlog as an argument, an option, or with a path or a ' ..
    'handle', function()
      local path = os.tmpname()
      os.remove(path)
      local calls = syscalls(([[
        local net = require('net')
        local a, b = net.Server(), net.Server()
        local c, d = net.Server(), net.Server()
        a:listen(0, '127.0.0.1', 7, function()
          b:listen({ port = 0, host = '127.0.0.1', backlog = 9 }, function()
            c:listen(%q, 5, function()
              d:listen(a, 3, function()
                a:close() b:close() c:close() d:close()
              end)
            end)
          end)
        end)
      ]]):format(path))
      assert.are.same({ 'listen 7', 'listen 9', 'listen 5', 'listen 3' },
        only(calls, { listen = true }))
    end)
end)

describeTraced('connection options', function()
  t.it('noDelay, keepAlive and keepAliveInitialDelay of net.connect apply ' ..
    'once connected', function()
      local calls = syscalls([[
        local net = require('net')
        local server
        server = net.createServer(function(c) c:destroy() server:close() end)
        server:listen(0, '127.0.0.1', function()
          net.connect({ port = server:address().port, host = '127.0.0.1',
            noDelay = true, keepAlive = true, keepAliveInitialDelay = 5000,
          }):resume()
        end)
      ]])
      assert.are.same({ 'TCP_NODELAY 1', 'SO_KEEPALIVE 1', 'TCP_KEEPIDLE 5' },
        only(calls, KEEPALIVE))
    end)

  t.it('the server options apply to every accepted connection', function()
    local calls = syscalls([[
      local net = require('net')
      local server, n = nil, 0
      server = net.createServer({ noDelay = true, keepAlive = true,
        keepAliveInitialDelay = 3000 }, function(c)
          c:destroy()
          n = n + 1
          if n == 2 then server:close() end
        end)
      server:listen(0, '127.0.0.1', function()
        net.connect(server:address().port, '127.0.0.1'):resume()
        net.connect(server:address().port, '127.0.0.1'):resume()
      end)
    ]])
    assert.are.same({
      'TCP_NODELAY 1', 'SO_KEEPALIVE 1', 'TCP_KEEPIDLE 3',
      'TCP_NODELAY 1', 'SO_KEEPALIVE 1', 'TCP_KEEPIDLE 3',
    }, only(calls, KEEPALIVE))
  end)

  t.it('setNoDelay and setKeepAlive change a connected socket; the delay is ' ..
    'in ms, rounded down to seconds', function()
      local calls = syscalls([[
        local net = require('net')
        local server
        server = net.createServer(function(c) c:resume() server:close() end)
        server:listen(0, '127.0.0.1', function()
          local c
          c = net.connect(server:address().port, '127.0.0.1', function()
            c:setNoDelay()        -- true when omitted
            c:setNoDelay(false)
            c:setKeepAlive(true, 1500)
            c:setKeepAlive(false)
            c:destroy()
          end)
        end)
      ]])
      assert.are.same({ 'TCP_NODELAY 1', 'TCP_NODELAY 0', 'SO_KEEPALIVE 1',
        'TCP_KEEPIDLE 1', 'SO_KEEPALIVE 0' }, only(calls, KEEPALIVE))
    end)

  -- Node 22 under strace, for the same calls: TCP_NODELAY 1, SO_KEEPALIVE
  -- 1, TCP_KEEPIDLE 1, SO_KEEPALIVE 1, TCP_KEEPIDLE 2, TCP_NODELAY 0,
  -- SO_KEEPALIVE 0 (and its newer libuv's TCP_KEEPINTVL, TCP_KEEPCNT).
  t.it('setNoDelay and setKeepAlive make no system call when they change ' ..
    'nothing, as Node', function()
      local calls = syscalls([[
        local net = require('net')
        local server
        server = net.createServer(function(c) c:resume() server:close() end)
        server:listen(0, '127.0.0.1', function()
          local c
          c = net.connect(server:address().port, '127.0.0.1', function()
            for _, v in ipairs({ true, 1, 'true', {}, {} }) do
              c:setNoDelay(v)
            end
            c:setKeepAlive(true, 1000)
            c:setKeepAlive(true, 1000)
            c:setKeepAlive(true, 2000)
            for _, v in ipairs({ false, 0, '' }) do c:setNoDelay(v) end
            c:setKeepAlive(false)
            c:setKeepAlive(false)
            c:destroy()
          end)
        end)
      ]])
      assert.are.same({ 'TCP_NODELAY 1', 'SO_KEEPALIVE 1', 'TCP_KEEPIDLE 1',
        'SO_KEEPALIVE 1', 'TCP_KEEPIDLE 2', 'TCP_NODELAY 0',
        'SO_KEEPALIVE 0' }, only(calls, KEEPALIVE))
    end)

  t.it('are left alone on a Unix domain socket, where they mean nothing',
    function()
      local path = os.tmpname()
      os.remove(path)
      local calls = syscalls(([[
        local net = require('net')
        local server
        server = net.createServer(function(c) c:resume() server:close() end)
        server:listen(%q, function()
          local c
          c = net.connect(%q, function()
            assert(c:setNoDelay(true) == c)
            assert(c:setKeepAlive(true, 1000) == c)
            c:destroy()
          end)
        end)
      ]]):format(path, path))
      assert.are.same({}, only(calls, KEEPALIVE))
    end)
end)
