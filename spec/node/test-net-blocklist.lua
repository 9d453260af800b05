-- Node's test-net-blocklist.js: a connect to an address of the socket's
-- blockList fails with ERR_IP_BLOCKED. (Only Node's first case, the one
-- without a lookup, is ported: the three others give a host name a lookup
-- function as an option, which luanet does not have.)
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
