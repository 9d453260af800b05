-- Node's test-net-server-close-before-calling-lookup-callback.js: a
-- server closed while it resolves its host name never listens, and the
-- process exits.
local common = require('common')
local net = require('node:net')
-- Process should exit because it does not create a real TCP server.
-- Pass localhost to ensure create TCP handle asynchronously because It
-- causes DNS resolution.
net.createServer():listen(0, 'localhost', common.mustNotCall()):close()
