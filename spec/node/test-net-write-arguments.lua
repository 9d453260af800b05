-- Node's test-net-write-arguments.js: write(null) raises
-- ERR_STREAM_NULL_VALUES and write() of anything but a string (Node: or a
-- Buffer) raises ERR_INVALID_ARG_TYPE, at once and without 'error'. The
-- message is Node 22's ("Buffer, TypedArray, or DataView"; newer Nodes say
-- "Buffer or Uint8Array"). nil is both null and undefined, so it stands
-- for null and Node's undefined case has no Lua counterpart; [] and {} are
-- both a table, which luanet's messages call "type table" (Node: "an
-- instance of Array/Object"), as common.invalidArgTypeHelper says.
local common = require('common')
local net = require('node:net')
local assert = require('node:assert')
local huge = math.huge

local socket = net.Stream({ highWaterMark = 0 })

-- Make sure that anything besides a buffer or a string throws.
socket:on('error', common.mustNotCall())
assert.throws(function()
  socket:write(nil)
end, {
  code = 'ERR_STREAM_NULL_VALUES',
  name = 'TypeError',
  message = 'May not write null values to stream',
})

for _, value in ipairs({
  true,
  false,
  1,
  1.0,
  huge,
  -huge,
  {},
  {},
}) do
  local s = net.Stream({ highWaterMark = 0 })
  -- We need to check the callback since 'error' will only
  -- be emitted once per instance.
  assert.throws(function()
    s:write(value)
  end, {
    code = 'ERR_INVALID_ARG_TYPE',
    name = 'TypeError',
    message = 'The "chunk" argument must be of type string or an instance ' ..
      'of Buffer, TypedArray, or DataView.' ..
      common.invalidArgTypeHelper(value),
  })
end
