-- Node's test-net-connect-keepalive.js: connect's keepAlive option turns
-- TCP keep-alive on for a truthy value (JavaScript's truthiness), with
-- keepAliveInitialDelay in whole seconds (123 ms is 0, 456123 ms is 456,
-- a negative delay 0), and leaves it off for false, 0 and ''. Node
-- replaces client._handle.setKeepAlive to see it called with (true,
-- seconds) or not at all: luanet has no _handle, so the port reads what
-- that call leaves in the kernel, the client's keep-alive timer in
-- /proc/net/tcp (timer 2, its idle time; a delay of 0 keeps the system's
-- tcp_keepalive_time, as libuv refuses 0 under Node too). Node 22, with
-- the same reading, prints timer 2 and 7200, 455.97, 7199.99, 7200 s for
-- the four delays, and no timer for 0.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local truthyValues = { true, 1, 'true', {}, {} } -- Node's {} and []
local delays = { { 123, 0 }, { 456123, 456 }, { -123000, 0 }, { nil, 0 } }
local falseyValues = { false, 0, '' }

-- The system's idle time before the first probe, in seconds.
local function systemIdle()
  local f = io.open('/proc/sys/net/ipv4/tcp_keepalive_time')
  assert.ok(f)
  local seconds = f:read('n')
  f:close()
  return seconds
end

-- The kernel's timer of the TCP socket bound to local port: its kind
-- (2 is keep-alive) and the seconds left, from /proc/net/tcp{,6}: the
-- established connection (state 01) from local port lport to remote port
-- rport (an older one on the same local port may linger in TIME_WAIT).
local function kernelTimer(lport, rport)
  local ends = (':%04X %%S+:%04X 01 '):format(lport, rport)
  for _, name in ipairs({ '/proc/net/tcp', '/proc/net/tcp6' }) do
    for line in io.lines(name) do
      local tr, when = line:match('^%s*%d+:%s+%S+' .. ends ..
        '%S+%s+(%x+):(%x+)')
      if tr then return tonumber(tr, 16), tonumber(when, 16) / 100 end
    end
  end
end

-- Node's genSetKeepAlive(desiredEnable, desiredDelay), as the kernel
-- shows it.
local function assertKeepAlive(client, desiredEnable, desiredDelay)
  local tr, left = kernelTimer(client.localPort, client.remotePort)
  assert.ok(tr, 'no established connection in /proc/net/tcp')
  if not desiredEnable then
    assert.notStrictEqual(tr, 2)
    return
  end
  assert.strictEqual(tr, 2)
  local idle = desiredDelay > 0 and desiredDelay or systemIdle()
  assert.ok(left <= idle and left > idle - 5, ('%s s left of %s'):format(
    left, idle))
end

for _, value in ipairs(truthyValues) do
  for _, delay in ipairs(delays) do
    local server = net.createServer()

    server:listen(0, common.mustCall(function()
      local port = server:address().port

      local client
      client = net.connect(
        { port = port, keepAlive = value, keepAliveInitialDelay = delay[1] },
        common.mustCall(function()
          assertKeepAlive(client, true, delay[2])
          client:end_()
        end)
      )

      client:on('end', common.mustCall(function()
        server:close()
      end))
    end))
  end
end

for _, value in ipairs(falseyValues) do
  local server = net.createServer()

  server:listen(0, common.mustCall(function()
    local port = server:address().port

    local client
    client = net.connect(
      { port = port, keepAlive = value },
      common.mustCall(function()
        assertKeepAlive(client, false)
        client:end_()
      end)
    )

    client:on('end', common.mustCall(function()
      server:close()
    end))
  end))
end
