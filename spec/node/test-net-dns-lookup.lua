-- Node's test-net-dns-lookup.js: connecting to 'localhost' emits
-- 'lookup' (at least once: once per address tried) with no error, the
-- address (127.0.0.1 or ::1), its family (4 or 6) and the host name.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local server
server = net.createServer(function(client)
  client:end_()
  server:close()
end)

server:listen(0, common.mustCall(function()
  net.connect(server:address().port, 'localhost')
    :on('lookup', common.mustCallAtLeast(function(err, ip, family, host)
      assert.strictEqual(err, nil)
      assert(ip == '127.0.0.1' or ip == '::1', ip)
      assert(family == 4 or family == 6, family)
      assert.strictEqual(host, 'localhost')
    end, 1))
end))
