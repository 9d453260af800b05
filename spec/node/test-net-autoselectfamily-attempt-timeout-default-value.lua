-- Node's test-net-autoselectfamily-attempt-timeout-default-value.js: the
-- default attempt timeout is 250 ms, as Node's test/common leaves it:
-- multiplied by 10 and scaled by platformTimeout. (luanet's common.lua
-- does not do that yet: the lines below do what Node's common does, unless
-- common.lua has done it, as its defaultAutoSelectFamilyAttemptTimeout
-- then tells.)
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

if common.defaultAutoSelectFamilyAttemptTimeout == nil then
  -- Node's test/common/index.js: "When using high concurrency or in the CI
  -- we need much more time for each connection attempt".
  net.setDefaultAutoSelectFamilyAttemptTimeout(common.platformTimeout(
    net.getDefaultAutoSelectFamilyAttemptTimeout() * 10))
end

local getDefaultAutoSelectFamilyAttemptTimeout =
  net.getDefaultAutoSelectFamilyAttemptTimeout

assert.strictEqual(getDefaultAutoSelectFamilyAttemptTimeout(),
  common.platformTimeout(2500))
