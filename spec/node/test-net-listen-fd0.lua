-- Node's test-net-listen-fd0.js: listen({ fd = 0 }) on a descriptor that
-- is no listening socket fails with an asynchronous 'error' (EINVAL or
-- ENOTSOCK), and does not raise. (Node's `e instanceof Error`: luanet's
-- errors are tables named 'Error'.)
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

-- This should fail with an async EINVAL error, not throw an exception
net.createServer(common.mustNotCall())
  :listen({ fd = 0 })
  :on('error', common.mustCall(function(e)
    assert.strictEqual(e.name, 'Error')
    assert(e.code == 'EINVAL' or e.code == 'ENOTSOCK', e.code)
  end))
