-- Node's test-net-autoselectfamily-default.js: net.setDefaultAutoSelectFamily
-- decides for a connect() without the option: on, IPv4 is reached when
-- IPv6 refuses; off, only the first address (IPv6) is tried. Node's test
-- answers `example.org` from a DNS server of its own (a dgram socket and
-- dns.Resolver, which luanet does not have) through the `lookup` option;
-- here the `lookup` function gives the same fixed answer (::1, then
-- 127.0.0.1) at once, which keeps what the test checks (what connect()
-- does with the answer).
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')
local createConnection, createServer, setDefaultAutoSelectFamily =
  net.createConnection, net.createServer, net.setDefaultAutoSelectFamily

local autoSelectFamilyAttemptTimeout =
  common.defaultAutoSelectFamilyAttemptTimeout

-- Node's _lookup over its DNS server's answer (AAAA ::1, A 127.0.0.1),
-- sorted IPv6 first. Asked once, as the server is.
local function makeLookup()
  return common.mustCall(function(hostname, options, cb)
    assert.strictEqual(hostname, 'example.org')
    assert.notStrictEqual(options.family, 4)
    local hosts = {
      { address = '::1', family = 6 },
      { address = '127.0.0.1', family = 4 },
    }
    if options.all == true then
      return cb(nil, hosts)
    end
    return cb(nil, hosts[1].address, hosts[1].family)
  end)
end

-- Test that IPV4 is reached by default if IPV6 is not reachable and the
-- default is enabled
do
  local lookup = makeLookup()
  local ipv4Server = createServer(function(socket)
    socket:on('data', common.mustCall(function()
      socket:write('response-ipv4')
      socket:end_()
    end))
  end)

  ipv4Server:listen(0, '127.0.0.1', common.mustCall(function()
    setDefaultAutoSelectFamily(true)

    local connection = createConnection({
      host = 'example.org',
      port = ipv4Server:address().port,
      lookup = lookup,
      autoSelectFamilyAttemptTimeout = autoSelectFamilyAttemptTimeout,
    })

    local response = ''
    connection:setEncoding('utf-8')

    connection:on('data', function(chunk)
      response = response .. chunk
    end)

    connection:on('end', common.mustCall(function()
      assert.strictEqual(response, 'response-ipv4')
      ipv4Server:close()
    end))

    connection:write('request')
  end))
end

-- Test that IPV4 is not reached by default if IPV6 is not reachable and the
-- default is disabled
do
  local lookup = makeLookup()
  local ipv4Server = createServer(function(socket)
    socket:on('data', common.mustCall(function()
      socket:write('response-ipv4')
      socket:end_()
    end))
  end)

  ipv4Server:listen(0, '127.0.0.1', common.mustCall(function()
    setDefaultAutoSelectFamily(false)

    local port = ipv4Server:address().port

    local connection = createConnection({
      host = 'example.org',
      port = port,
      lookup = lookup,
    })

    connection:on('ready', common.mustNotCall())
    connection:on('error', common.mustCall(function(error)
      if common.hasIPv6 then
        assert.strictEqual(error.code, 'ECONNREFUSED')
        assert.strictEqual(error.message,
          'connect ECONNREFUSED ::1:' .. port)
      elseif error.code == 'EAFNOSUPPORT' then
        assert.strictEqual(error.message, 'connect EAFNOSUPPORT ::1:' ..
          port .. ' - Local (undefined:undefined)')
      elseif error.code == 'EADDRNOTAVAIL' or error.code == 'EUNATCH' then
        assert.strictEqual(error.message, 'connect ' .. error.code ..
          ' ::1:' .. port .. ' - Local (:::0)')
      end

      ipv4Server:close()
    end))
  end))
end
