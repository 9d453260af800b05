-- Node's test-net-connect-nodelay.js: connect's noDelay option turns
-- Nagle's algorithm off (setNoDelay(true)) for a truthy value (JavaScript's
-- truthiness) and does nothing for false, 0 and ''. Node replaces
-- client._handle.setNoDelay to see it called once with true, or never:
-- luanet has no _handle, and TCP_NODELAY cannot be read back, so the port
-- wraps the nearest hook, net.Socket.setNoDelay (which luanet's connect
-- calls for the option), and counts each client's calls.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local truthyValues = { true, 1, 'true', {}, {} } -- Node's {} and []
local falseyValues = { false, 0, '' }

-- Each client's setNoDelay arguments, in the order of the calls.
local calls = setmetatable({}, { __mode = 'k' })
local setNoDelay = net.Socket.setNoDelay
net.Socket.setNoDelay = function(self, enable)
  calls[self] = calls[self] or {}
  table.insert(calls[self], enable)
  return setNoDelay(self, enable)
end

for _, value in ipairs(truthyValues) do
  local server = net.createServer()

  server:listen(0, common.mustCall(function()
    local port = server:address().port

    local client
    client = net.connect(
      { port = port, noDelay = value },
      common.mustCall(function()
        -- Node: client._handle.setNoDelay called once, with true
        assert.deepStrictEqual(calls[client], { true })
        client:end_()
      end)
    )

    client:on('end', common.mustCall(function()
      server:close()
    end))
  end))
end

for _, value in ipairs(falseyValues) do
  local server = net.createServer()

  server:listen(0, common.mustCall(function()
    local port = server:address().port

    local client
    client = net.connect(
      { port = port, noDelay = value },
      common.mustCall(function()
        -- Node: client._handle.setNoDelay = common.mustNotCall()
        assert.strictEqual(calls[client], nil, 'noDelay = ' ..
          require('util').inspect(value))
        client:end_()
      end)
    )

    client:on('end', common.mustCall(function()
      server:close()
    end))
  end))
end
