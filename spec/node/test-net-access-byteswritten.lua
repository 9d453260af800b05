-- Node's test-net-access-byteswritten.js: reading bytesWritten from the
-- class rather than from a socket does not raise, and gives nothing.
-- (Node reads net.Socket.prototype.bytesWritten: luanet's net.Socket, the
-- table of the methods, stands for the prototype. Node's skip without
-- crypto and its lines for tls.TLSSocket and tty.ReadStream/WriteStream
-- are left out: luanet has no tls nor tty classes.)
local assert = require('node:assert')
local net = require('node:net')

-- Check that the bytesWritten getter doesn't crash if object isn't
-- constructed.
assert.strictEqual(net.Socket.bytesWritten, nil)
