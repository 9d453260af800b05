-- Node's test-net-socket-connect-invalid-autoselectfamilyattempttimeout.js:
-- connect and setDefaultAutoSelectFamilyAttemptTimeout refuse an attempt
-- timeout below 1 with ERR_OUT_OF_RANGE; a default set below 10 reads 10.
require('common')

local assert = require('node:assert')
local net = require('node:net')

for _, autoSelectFamilyAttemptTimeout in ipairs({ -10, 0 }) do
  assert.throws(function()
    net.connect({
      port = 8080,
      autoSelectFamily = true,
      autoSelectFamilyAttemptTimeout = autoSelectFamilyAttemptTimeout,
    })
  end, { code = 'ERR_OUT_OF_RANGE' })

  assert.throws(function()
    net.setDefaultAutoSelectFamilyAttemptTimeout(
      autoSelectFamilyAttemptTimeout)
  end, { code = 'ERR_OUT_OF_RANGE' })
end

-- Check the default value of autoSelectFamilyAttemptTimeout is 10
-- if passed number is less than 10
for _, autoSelectFamilyAttemptTimeout in ipairs({ 1, 9 }) do
  net.setDefaultAutoSelectFamilyAttemptTimeout(autoSelectFamilyAttemptTimeout)
  assert.strictEqual(net.getDefaultAutoSelectFamilyAttemptTimeout(), 10)
end
