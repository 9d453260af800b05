-- Node's test-net-blocklist.js: a connect to an address of the socket's
-- blockList fails with ERR_IP_BLOCKED: an IP host, then the addresses a
-- lookup function gives (one, one in a list, two in a list).
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local blockList = net.BlockList()
blockList:addAddress('127.0.0.1')
blockList:addAddress('127.0.0.2')

local function check(err)
  assert.ok(err.code == 'ERR_IP_BLOCKED', err)
end

-- Connect without calling dns.lookup
do
  local socket = net.connect({
    port = 9999,
    host = '127.0.0.1',
    blockList = blockList,
  })
  socket:on('error', common.mustCall(check))
end

-- Connect with single IP returned by dns.lookup
do
  local socket = net.connect({
    port = 9999,
    host = 'localhost',
    blockList = blockList,
    lookup = function(_, _, cb)
      cb(nil, '127.0.0.1', 4)
    end,
    autoSelectFamily = false,
  })

  socket:on('error', common.mustCall(check))
end

-- Connect with autoSelectFamily and single IP
do
  local socket = net.connect({
    port = 9999,
    host = 'localhost',
    blockList = blockList,
    lookup = function(_, _, cb)
      cb(nil, { { address = '127.0.0.1', family = 4 } })
    end,
    autoSelectFamily = true,
  })

  socket:on('error', common.mustCall(check))
end

-- Connect with autoSelectFamily and multiple IPs
do
  local socket = net.connect({
    port = 9999,
    host = 'localhost',
    blockList = blockList,
    lookup = function(_, _, cb)
      cb(nil, { { address = '127.0.0.1', family = 4 },
        { address = '127.0.0.2', family = 4 } })
    end,
    autoSelectFamily = true,
  })

  socket:on('error', common.mustCall(check))
end
