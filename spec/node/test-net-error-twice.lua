-- Node's test-net-error-twice.js: a server socket writing 10 MiB to a
-- client that was destroyed gets one 'error', not the same error twice.
require('common')
local assert = require('node:assert')
local net = require('node:net')

local buf = string.rep('b', 10 * 1024 * 1024)

local errs = {}
local clientSocket
local serverSocket

local function ready()
  if clientSocket and serverSocket then
    clientSocket:destroy()
    serverSocket:write(buf)
  end
end

local server
server = net.createServer(function(conn)
  conn:on('error', function(err)
    errs[#errs + 1] = err
    if #errs > 1 and rawequal(errs[1], errs[2]) then
      assert.fail('Should not emit the same error twice')
    end
  end)
  conn:on('close', function()
    server:unref()
  end)
  serverSocket = conn
  ready()
end):listen(0, function()
  local client = net.connect({ port = server:address().port })

  client:on('connect', function()
    clientSocket = client
    ready()
  end)
end)

process:on('exit', function()
  console.log(errs)
  assert.strictEqual(#errs, 1)
end)
