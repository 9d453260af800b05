-- Node's test-net-server-listen-remove-callback.js: a listen callback is
-- a once('listening') listener: gone after it ran, so a second listen()
-- after close() does not call the first callback again.
require('common')
local assert = require('node:assert')
local net = require('node:net')

-- Server should only fire listen callback once
local server = net.createServer()

server:on('close', function()
  local listeners = server:listeners('listening')
  console.log('Closed, listeners:', #listeners)
  assert.strictEqual(#listeners, 0)
end)

server:listen(0, function()
  server:close()
end)

server:once('close', function()
  server:listen(0, function()
    server:close()
  end)
end)
