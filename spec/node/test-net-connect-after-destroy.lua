-- Node's test-net-connect-after-destroy.js: destroying a socket while it
-- still resolves its host name (Node's issue 819) throws nothing, and the
-- lookup's late answer does not bring it back to life.
require('common')
local net = require('node:net')

-- Connect to something that we need to DNS resolve
local c = net.createConnection(80, 'google.com')
c:destroy()
