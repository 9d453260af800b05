-- Node's test-net-dns-lookup-skip.js: connecting to an address (not a
-- name) emits no 'lookup', on 127.0.0.1 and, where there is IPv6, ::1.
local common = require('common')
local net = require('node:net')

local function check(addressType)
  local server
  server = net.createServer(function(client)
    client:end_()
    server:close()
  end)

  local address = addressType == 4 and '127.0.0.1' or '::1'
  server:listen(0, address, function()
    net.connect(server:address().port, address)
      :on('lookup', common.mustNotCall())
  end)
end

check(4)
if common.hasIPv6 then check(6) end
