-- Node's test-net-end-without-connect.js: end() on a socket that never
-- connected calls its callback, and the socket is no longer writable.
local common = require('common')
local net = require('node:net')
local assert = require('node:assert')

local sock = net.Socket()
sock:end_(common.mustCall(function()
  assert.strictEqual(sock.writable, false)
end))
