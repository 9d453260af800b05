-- Node's test-net-server-listen-path.js: listen(path), listen({ path })
-- with and without a callback; readableAll and writableAll give others
-- read and write access to the socket file; a path in use is an
-- EADDRINUSE 'error'. (stat(1) stands for fs.statSync's mode.)
local common = require('common')
local net = require('node:net')
local assert = require('node:assert')

local tmpdir = common.tmpdir
tmpdir.refresh()

-- Node's closeServer(): a listener calling `this.close()`; the server is
-- given as it is made.
local function closeServer(server)
  return common.mustCall(function()
    server:close()
  end)
end

local counter = 0

-- Avoid conflict with listen-handle
local function randomPipePath()
  counter = counter + 1
  return common.PIPE .. '-listen-path-' .. (counter - 1)
end

-- Test listen(path)
do
  local handlePath = randomPipePath()
  local server = net.createServer()
  server:listen(handlePath)
    :on('listening', closeServer(server))
end

-- Test listen({path})
do
  local handlePath = randomPipePath()
  local server = net.createServer()
  server:listen({ path = handlePath })
    :on('listening', closeServer(server))
end

-- Test listen(path, cb)
do
  local handlePath = randomPipePath()
  local server = net.createServer()
  server:listen(handlePath, closeServer(server))
end

-- Test listen(path, cb)
do
  local handlePath = randomPipePath()
  local server = net.createServer()
  server:listen({ path = handlePath }, closeServer(server))
end

-- Test pipe chmod
do
  local handlePath = randomPipePath()

  local server
  server = net.createServer()
    :listen({
      path = handlePath,
      readableAll = true,
      writableAll = true,
    }, common.mustCall(function()
      local stat = io.popen("stat -c %a '" .. handlePath .. "'")
      local mode = tonumber(stat:read('l'), 8)
      stat:close()
      assert.notStrictEqual(mode & 4, 0) -- fs.constants.S_IROTH
      assert.notStrictEqual(mode & 2, 0) -- fs.constants.S_IWOTH
      server:close()
    end))
end

-- Test should emit "error" events when listening fails.
do
  local handlePath = randomPipePath()
  local server1
  server1 = net.createServer():listen({ path = handlePath }, function()
    -- As the handlePath is in use, binding to the same address again should
    -- make the server emit an 'EADDRINUSE' error.
    local server2 = net.createServer()
      :listen({
        path = handlePath,
        writableAll = true,
      }, common.mustNotCall())

    server2:on('error', common.mustCall(function(err)
      server1:close()
      assert.strictEqual(err.code, 'EADDRINUSE')
      assert.ok(err.message:match('^listen EADDRINUSE: address already in use'),
        err.message) -- Node: assert.match
    end))
  end)
end
