-- Node's test-net-server-keepalive.js: a server made with keepAlive and
-- keepAliveInitialDelay turns keep-alive on for each connection it
-- accepts, with the server's keepAlive and keepAliveInitialDelay
-- (seconds). (Node wraps the internal server._handle.onconnection and
-- the client handle's setKeepAlive to see the call; luanet has no
-- _handle, so the kernel's word stands for it: /proc/net/tcp shows the
-- accepted socket's keepalive timer, which is only set when SO_KEEPALIVE
-- is on.)
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

-- The keepalive timer of the connection from local port lport to remote
-- port rport, in ms, or nil when it has none (keep-alive off): its timer
-- kind (2 is keep-alive) and time left, from /proc/net/tcp{,6}.
local function keepaliveTimer(lport, rport)
  local ends = (':%04X %%S+:%04X'):format(lport, rport)
  for _, name in ipairs({ '/proc/net/tcp', '/proc/net/tcp6' }) do
    for line in io.lines(name) do
      local tr, when = line:match('^%s*%d+:%s+%S+' .. ends ..
        '%s+%x+%s+%S+%s+(%x+):(%x+)')
      if tr then
        return tonumber(tr, 16) == 2 and tonumber(when, 16) * 10 or nil
      end
    end
  end
end

local server
server = net.createServer({
  keepAlive = true,
  keepAliveInitialDelay = 1000,
}, common.mustCall(function(socket)
  -- Node: clientHandle.setKeepAlive(enable, initialDelayMsecs) with
  -- enable === server.keepAlive, initialDelay === server.keepAliveInitialDelay
  assert.strictEqual(server.keepAlive, true)
  assert.strictEqual(server.keepAliveInitialDelay, 1)
  local timer = keepaliveTimer(server:address().port, socket.remotePort)
  assert.ok(timer ~= nil, 'keep-alive is off on the accepted socket')
  assert.ok(timer <= server.keepAliveInitialDelay * 1000, tostring(timer))
  socket:destroy()
  server:close()
end)):listen(0, common.mustCall(function()
  net.connect(server:address().port)
end))
