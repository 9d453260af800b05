-- Node's test-net-socket-setnodelay.js: setNoDelay() with no argument
-- means true, takes any value by its truthiness, and returns the socket.
-- Node watches what reaches a fake `handle` given to the constructor (an
-- internal luanet has not), so the value set is not seen here; what is
-- kept is that every call, on every socket, returns that socket. The
-- truthy and falsy values are JavaScript's (1, 'true', {} and false, 0,
-- '').
require('common')
local assert = require('node:assert')
local net = require('node:net')

local truthyValues = { true, 1, 'true', {}, {} }
local falseyValues = { false, 0, '' }

-- setNoDelay should default to true
local socket = net.Socket()
assert.strictEqual(socket:setNoDelay(), socket)

socket = net.Socket()
for _, testVal in ipairs(truthyValues) do
  assert.strictEqual(socket:setNoDelay(testVal), socket)
end

socket = net.Socket()
for _, testVal in ipairs(falseyValues) do
  assert.strictEqual(socket:setNoDelay(testVal), socket)
end

socket = net.Socket()
for _, list in ipairs({ truthyValues, falseyValues, truthyValues }) do
  for _, testVal in ipairs(list) do
    assert.strictEqual(socket:setNoDelay(testVal), socket)
  end
end

socket = net.Socket()
local returned = socket:setNoDelay(true)
assert.strictEqual(returned, socket) -- Node: returned instanceof net.Socket
