-- Node's test-net-pipe-connect-errors.js: connecting to a path that is a
-- plain file fails with ENOTSOCK (or ECONNREFUSED), to a missing path with
-- ENOENT, and to a socket one may not access with EACCES. (fs has no
-- luanet counterpart: io.open writes the empty file and chmod(1) stands
-- for fs.chmodSync; `id -u` for process.getuid().)
local common = require('common')
local net = require('node:net')
local assert = require('node:assert')

-- Test if ENOTSOCK is fired when trying to connect to a file which is not
-- a socket.

local tmpdir = common.tmpdir
tmpdir.refresh()
-- Keep the file name very short so that we don't exceed the 108 char limit
-- on CI for a POSIX socket. Even though this isn't actually a socket file,
-- the error will be different from the one we are expecting if we exceed the
-- limit.
local emptyTxt = tmpdir.path .. '/0.txt'

local function cleanup()
  os.remove(emptyTxt) -- nil, 'No such file or directory' when none
end
process:on('exit', cleanup)
cleanup()
local file = io.open(emptyTxt, 'w')
assert.ok(file)
file:close()

local notSocketClient = net.createConnection(emptyTxt, function()
  assert.fail('connection callback should not run')
end)

notSocketClient:on('error', common.mustCall(function(err)
  assert(err.code == 'ENOTSOCK' or err.code == 'ECONNREFUSED',
    'received ' .. tostring(err.code) .. ' instead of ENOTSOCK or ECONNREFUSED')
end))


-- Trying to connect to not-existing socket should result in ENOENT error
local noEntSocketClient = net.createConnection('no-ent-file', function()
  assert.fail('connection to non-existent socket, callback should not run')
end)

noEntSocketClient:on('error', common.mustCall(function(err)
  assert.strictEqual(err.code, 'ENOENT')
end))


-- When running as root, a chmod has no effect on named pipes
local uid = io.popen('id -u'):read('n')
if uid ~= 0 then
  -- Trying to connect to a socket one has no access to should result in EACCES
  local accessServer = net.createServer(
    common.mustNotCall('server callback should not run'))
  accessServer:listen(common.PIPE, common.mustCall(function()
    assert(os.execute("chmod 0 '" .. common.PIPE .. "'"))

    local accessClient = net.createConnection(common.PIPE, function()
      assert.fail('connection should get EACCES, callback should not run')
    end)

    accessClient:on('error', common.mustCall(function(err)
      assert.strictEqual(err.code, 'EACCES')
      accessServer:close()
    end))
  end))
end
