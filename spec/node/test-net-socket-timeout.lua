-- Node's test-net-socket-timeout.js: setTimeout() validates its delay
-- (ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE) and its callback, returns the
-- socket, fires 'timeout' on an idle connection, and still returns the
-- socket on a destroyed one without arming its callback. JavaScript's
-- undefined and null are both nil here (a nil callback is an absent one,
-- as undefined is, so Node's null callback has no Lua counterpart); a
-- coroutine stands for Symbol('test'), a value of another type.
local common = require('common')
local net = require('node:net')
local assert = require('node:assert')
local huge = math.huge

-- Verify that invalid delays throw
local s = net.Socket()
local nonNumericDelays = table.pack(
  '100', true, false, nil, '', {}, function() end, {}
)
local badRangeDelays = { -0.001, -1, -huge, huge, 0 / 0 }
local validDelays = { 0, 0.001, 1, 1e6 }
local invalidCallbacks = {
  1, '100', true, false, {}, {}, coroutine.create(function() end),
}


for i = 1, nonNumericDelays.n do
  assert.throws(function()
    s:setTimeout(nonNumericDelays[i], function() end)
  end, { code = 'ERR_INVALID_ARG_TYPE' }, tostring(nonNumericDelays[i]))
end

for i = 1, #badRangeDelays do
  assert.throws(function()
    s:setTimeout(badRangeDelays[i], function() end)
  end, { code = 'ERR_OUT_OF_RANGE' }, tostring(badRangeDelays[i]))
end

for i = 1, #validDelays do
  s:setTimeout(validDelays[i], function() end)
end

for i = 1, #invalidCallbacks do
  for _, msec in ipairs({ 0, 1 }) do
    assert.throws(
      function() s:setTimeout(msec, invalidCallbacks[i]) end,
      {
        code = 'ERR_INVALID_ARG_TYPE',
        name = 'TypeError',
      }
    )
  end
end

local server = net.Server()
server:listen(0, common.mustCall(function()
  local socket = net.createConnection(server:address().port)
  assert.strictEqual(
    socket:setTimeout(1, common.mustCall(function()
      socket:destroy()
      assert.strictEqual(socket:setTimeout(1, common.mustNotCall()), socket)
      server:close()
    end)),
    socket
  )
end))
