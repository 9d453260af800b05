-- Node's test-net-socket-connect-without-cb.js: socket:connect takes no
-- callback (here an options table, the server's address()). That address
-- is { address = '::', family = 'IPv6', port }, so the socket looks up
-- 'localhost' for IPv6 only: where 'localhost' has no IPv6 address (as in
-- this project's /etc/hosts), Node 22 fails the test as written with
-- 'error' getaddrinfo ENOTFOUND localhost and no 'connect', and the port
-- asserts that instead.
local common = require('common')
local assert = require('node:assert')

-- This test ensures that socket.connect can be called without callback
-- which is optional.

local net = require('node:net')

-- Whether 'localhost' resolves for IPv6 here (found by a lookup, which
-- runs the loop).
local function localhostHasIPv6()
  local found = false
  local probe = net.connect({ host = 'localhost', family = 6, port = 9 })
  probe:on('lookup', function(err)
    found = err == nil
    probe:destroy()
  end)
  probe:on('error', function() end)
  require('luanet').run()
  return found
end

local server
if localhostHasIPv6() then
  server = net.createServer(common.mustCall(function(conn)
    conn:end_()
    server:close()
  end)):listen(0, common.mustCall(function()
    local client = net.Socket()

    client:on('connect', common.mustCall(function()
      client:end_()
    end))

    client:connect(server:address())
  end))
else
  -- What Node 22 printed here: Error: getaddrinfo ENOTFOUND localhost
  -- { errno: -3008, code: 'ENOTFOUND', syscall: 'getaddrinfo',
  -- hostname: 'localhost' }, emitted on the Socket.
  server = net.createServer(common.mustNotCall()):listen(0,
    common.mustCall(function()
      local client = net.Socket()

      client:on('connect', common.mustNotCall())
      client:on('error', common.mustCall(function(err)
        assert.strictEqual(err.code, 'ENOTFOUND')
        assert.strictEqual(err.errno, -3008)
        assert.strictEqual(err.syscall, 'getaddrinfo')
        assert.strictEqual(err.hostname, 'localhost')
        server:close()
      end))

      client:connect(server:address())
    end))
end
