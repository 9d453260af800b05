-- Node's test-net-server-async-dispose.mjs: disposing of a listening
-- server closes it (address() is nil, 'close' follows), and disposing of
-- it again once closed is no error. (Node's server[Symbol.asyncDispose]()
-- is `local server <close>` in luanet; it returns nothing to await, so
-- leaving the scope without an error stands for the Promise resolving.
-- node:test's describe/it are two blocks.)
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

-- net.Server[Symbol.asyncDispose]()
do
  -- should close the server
  local server = net.createServer()
  local timeoutRef = setTimeout(common.mustNotCall(), 2 ^ 31 - 1)

  server:listen(0, common.mustCall(function()
    do
      local disposed <close> = server -- luacheck: ignore disposed
    end
    assert.strictEqual(server:address(), nil)
    clearTimeout(timeoutRef)
  end))

  server:on('close', common.mustCall())
end

do
  -- should resolve even if the server is already closed
  local server = net.createServer()
  local timeoutRef = setTimeout(common.mustNotCall(), 2 ^ 31 - 1)

  server:listen(0, common.mustCall(function()
    do
      local disposed <close> = server -- luacheck: ignore disposed
    end
    assert.doesNotThrow(function()
      local again <close> = server -- luacheck: ignore again
    end)
    clearTimeout(timeoutRef)
  end))
end
