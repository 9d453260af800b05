-- Node's test-net-reuseport.js: with reusePort, a second server listens on
-- the port of the first, on 127.0.0.1 and on '::'. (Node's
-- common/net.js checkSupportReusePort returns a Promise: here it takes
-- the two callbacks of its then.)
local common = require('common')
local net = require('node:net')

local options = { port = 0, reusePort = true }

-- Node's common/net.js: ok() once a reusePort server could listen and
-- has closed, else failed(err).
local function checkSupportReusePort(ok, failed)
  local server = net.createServer():listen(options)
  server:on('listening', function()
    server:close(ok)
  end)
  server:on('error', function(err)
    console.log('The `reusePort` option is not supported:', err.message)
    server:close()
    failed(err)
  end)
end

-- Node's { ...options, host, port }.
local function with(fields)
  local t = {}
  for k, v in pairs(options) do t[k] = v end
  for k, v in pairs(fields) do t[k] = v end
  return t
end

local function test(host)
  local server1 = net.createServer()
  local server2 = net.createServer()
  server1:listen(with({ host = host }), common.mustCall(function()
    local port = server1:address().port
    server2:listen(with({ host = host, port = port }),
      common.mustCall(function()
        server1:close()
        server2:close()
      end))
  end))
  server1:on('error', common.mustNotCall())
  server2:on('error', common.mustNotCall())
end

checkSupportReusePort(function()
  test('127.0.0.1')
  if common.hasIPv6 then test('::') end
end, function()
  common.skip('The `reusePort` option is not supported')
end)
