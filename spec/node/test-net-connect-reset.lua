-- Node's test-net-connect-reset.js: resetAndDestroy() on a socket that is
-- neither connecting nor connected emits 'error' ERR_SOCKET_CLOSED.
local common = require('common')
local net = require('node:net')

local socket = net.Socket()
socket:resetAndDestroy()
-- Emit error if socket is not connecting/connected
socket:on('error', common.mustCall(
  common.expectsError({
    code = 'ERR_SOCKET_CLOSED',
    name = 'Error',
  }))
)
