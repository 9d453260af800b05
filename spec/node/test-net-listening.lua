-- Node's test-net-listening.js: server.listening is false before
-- listen(), true in its callback, false again in close()'s callback.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local server = net.createServer()

assert.strictEqual(server.listening, false)

server:listen(0, common.mustCall(function()
  assert.strictEqual(server.listening, true)

  server:close(common.mustCall(function()
    assert.strictEqual(server.listening, false)
  end))
end))
