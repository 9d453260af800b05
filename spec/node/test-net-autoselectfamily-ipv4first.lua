-- Node's test-net-autoselectfamily-ipv4first.js: with autoSelectFamily, an
-- answer listing IPv4 first is tried IPv4 first, so a server on ::1 is
-- not reached when 127.0.0.1 answers. Node's test answers `example.org`
-- from a DNS server of its own (a dgram socket and dns.Resolver, which
-- luanet does not have) through the `lookup` option; here the `lookup`
-- function gives the same fixed answer (127.0.0.1, then ::1, unsorted) at
-- once, which keeps what the test checks (what connect() does with the
-- answer).
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')
local createConnection, createServer,
  setDefaultAutoSelectFamilyAttemptTimeout = net.createConnection,
  net.createServer, net.setDefaultAutoSelectFamilyAttemptTimeout

-- Some of the windows machines in the CI need more time to establish
-- connection
setDefaultAutoSelectFamilyAttemptTimeout(common.platformTimeout(250))

-- Node's _lookup over its DNS server's answer (A 127.0.0.1, AAAA ::1), in
-- the server's order. Asked once, as the server is.
local function makeLookup()
  return common.mustCall(function(hostname, options, cb)
    assert.strictEqual(hostname, 'example.org')
    assert.notStrictEqual(options.family, 4)
    local hosts = {
      { address = '127.0.0.1', family = 4 },
      { address = '::1', family = 6 },
    }
    if options.all == true then
      return cb(nil, hosts)
    end
    return cb(nil, hosts[1].address, hosts[1].family)
  end)
end

-- Test that IPV6 is NOT reached if IPV4 is sorted first
if common.hasIPv6 then
  local lookup = makeLookup()
  local ipv4Server = createServer(function(socket)
    socket:on('data', common.mustCall(function()
      socket:write('response-ipv4')
      socket:end_()
    end))
  end)

  local ipv6Server = createServer(function(socket)
    socket:on('data', common.mustNotCall(function()
      socket:write('response-ipv6')
      socket:end_()
    end))
  end)

  ipv4Server:listen(0, '127.0.0.1', common.mustCall(function()
    local port = ipv4Server:address().port

    ipv6Server:listen(port, '::1', common.mustCall(function()
      local connection = createConnection({
        host = 'example.org',
        port = port,
        lookup = lookup,
        autoSelectFamily = true,
      })

      local response = ''
      connection:setEncoding('utf-8')

      connection:on('data', function(chunk)
        response = response .. chunk
      end)

      connection:on('end', common.mustCall(function()
        assert.strictEqual(response, 'response-ipv4')
        ipv4Server:close()
        ipv6Server:close()
      end))

      connection:write('request')
    end))
  end))
end
