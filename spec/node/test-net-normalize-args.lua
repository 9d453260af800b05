-- Node's test-net-normalize-args.js: connect() given a plain list of its
-- arguments (not one net._normalizeArgs made) takes it for an options
-- object without port or path, and throws ERR_MISSING_ARGS. (The rest of
-- Node's test calls net._normalizeArgs and reads internal/net's
-- normalizedArgsSymbol under --expose-internals; luanet has neither, so
-- only this part is ported.)
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

-- Connecting to the server should fail with a standard array.
do
  local server = net.createServer(common.mustNotCall('should not connect'))

  server:listen(common.mustCall(function()
    local port = server:address().port
    local socket = net.Socket()

    assert.throws(function()
      socket:connect({ { port = port }, assert.fail })
    end, {
      code = 'ERR_MISSING_ARGS',
    })
    server:close()
  end))
end
