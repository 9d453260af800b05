-- Node's test-net-autoselectfamily-attempt-timeout-default-value.js: the
-- default attempt timeout is 250 ms, as Node's test/common leaves it:
-- multiplied by 10 and scaled by platformTimeout (common.lua does the
-- same).
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local getDefaultAutoSelectFamilyAttemptTimeout =
  net.getDefaultAutoSelectFamilyAttemptTimeout

assert.strictEqual(getDefaultAutoSelectFamilyAttemptTimeout(),
  common.platformTimeout(2500))
