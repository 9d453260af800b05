-- Node's test-net-dns-custom-lookup.js: connect()'s `lookup` option
-- replaces dns.lookup: its answer (127.0.0.1 family 4, then ::1 family 6)
-- is what 'lookup' reports and what is connected to; an answer with no
-- address fails with ERR_INVALID_IP_ADDRESS.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local function check(addressType, cb)
  local server
  server = net.createServer(function(client)
    client:end_()
    server:close()
    if cb then cb() end
  end)

  local address = addressType == 4 and common.localhostIPv4 or '::1'

  local function lookup(host, dnsopts, callback) -- luacheck: no unused
    dnsopts.family = addressType

    if addressType == 4 then
      process.nextTick(function()
        if dnsopts.all then
          callback(nil, { { address = common.localhostIPv4, family = 4 } })
        else
          callback(nil, common.localhostIPv4, 4)
        end
      end)
    else
      process.nextTick(function()
        if dnsopts.all then
          callback(nil, { { address = '::1', family = 6 } })
        else
          callback(nil, '::1', 6)
        end
      end)
    end
  end

  server:listen(0, address, common.mustCall(function()
    net.connect({
      port = server:address().port,
      host = 'localhost',
      family = addressType,
      lookup = lookup,
    }):on('lookup', common.mustCall(function(err, ip, family)
      assert.strictEqual(err, nil)
      assert.strictEqual(address, ip)
      assert.strictEqual(family, addressType)
    end))
  end))
end

check(4, function()
  if common.hasIPv6 then check(6) end
end)

-- Verify that bad lookup() IPs are handled.
do
  net.connect({
    host = 'localhost',
    port = 80,
    lookup = function(host, dnsopts, cb) -- luacheck: no unused
      if dnsopts.all then
        cb(nil, { { address = nil, family = 4 } })
      else
        cb(nil, nil, 4)
      end
    end,
  }):on('error', common.expectsError({ code = 'ERR_INVALID_IP_ADDRESS' }))
end
