-- Node's test-net-connect-options-ipv6.js: connect honours family 6 with
-- allowHalfOpen: the client reaches a server on ::1 only, sees its FIN and
-- is still writable after it. (Node resolves a dummy host name through a
-- lookup option, asserting the name and family 6 it is given: luanet's
-- connect takes no lookup, so the host is ::1 itself and those two checks
-- have no stand-in.)
local common = require('common')
if not common.hasIPv6 then
  common.skip('no IPv6 support')
end

local assert = require('node:assert')
local net = require('node:net')

local hostAddrIPv6 = '::1'

local server = net.createServer({ allowHalfOpen = true },
  common.mustCall(function(socket)
    socket:resume()
    socket:on('end', common.mustCall())
    socket:end_()
  end))

local function tryConnect()
  local connectOpt = {
    host = hostAddrIPv6,
    port = server:address().port,
    family = 6,
    allowHalfOpen = true,
  }
  -- No `mustCall`, since test could skip, and it's the only path to `close`.
  local client
  client = net.connect(connectOpt, common.mustCall(function()
    client:resume()
    client:on('end', common.mustCall(function()
      -- Wait for next uv tick and make sure the socket stream is writable.
      setTimeout(common.mustCall(function()
        assert(client.writable)
        client:end_()
      end), 10)
    end))
    client:on('close', function() server:close() end)
  end))
end

server:listen(0, hostAddrIPv6, tryConnect)
