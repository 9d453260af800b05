-- Node's test-net-better-error-messages-listen-path.js: the error of a
-- listen on a Unix socket path that cannot be made names the path.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')
local fp = '/blah/fadfa'
local server = net.createServer(common.mustNotCall())
server:listen(fp, common.mustNotCall())
server:on('error', common.mustCall(function(e)
  assert.strictEqual(e.address, fp)
end))
