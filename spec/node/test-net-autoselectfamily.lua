-- Node's test-net-autoselectfamily.js: the happy eyeballs of
-- autoSelectFamily: a name's addresses are tried in turn, IPv6 and IPv4
-- alternating, until one connects; autoSelectFamilyAttemptedAddresses
-- lists them; every failure is an AggregateError; with the option off,
-- only the first address is tried. Node's test answers `example.org`
-- from a DNS server of its own (a dgram socket and dns.Resolver, which
-- luanet does not have) through the `lookup` option; here the `lookup`
-- function gives the same fixed addresses at once, which keeps what the
-- test checks (what connect() does with the answer). The addresses that
-- cannot connect are documentation ones (2001:db8::, 192.0.2.0/24)
-- instead of Node's real ones of example.org, so that nothing leaves the
-- machine.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')
local createConnection, createServer = net.createConnection,
  net.createServer

-- Purposely not using setDefaultAutoSelectFamilyAttemptTimeout here to test
-- the parameter is correctly used in options.
--
-- Some of the machines in the CI need more time to establish connection
local autoSelectFamilyAttemptTimeout =
  common.defaultAutoSelectFamilyAttemptTimeout

-- Node's _lookup over its DNS server's answer: every AAAA record, then
-- every A record, sorted IPv6 first. Asked once, as the server is.
local function makeLookup(ipv6Addrs, ipv4Addrs)
  if type(ipv6Addrs) ~= 'table' then ipv6Addrs = { ipv6Addrs } end
  if type(ipv4Addrs) ~= 'table' then ipv4Addrs = { ipv4Addrs } end
  return common.mustCall(function(hostname, options, cb)
    assert.strictEqual(hostname, 'example.org')
    assert.notStrictEqual(options.family, 4)
    local hosts = {}
    for _, address in ipairs(ipv6Addrs) do
      hosts[#hosts + 1] = { address = address, family = 6 }
    end
    for _, address in ipairs(ipv4Addrs) do
      hosts[#hosts + 1] = { address = address, family = 4 }
    end
    if options.all == true then
      return cb(nil, hosts)
    end
    return cb(nil, hosts[1].address, hosts[1].family)
  end)
end

-- Test that IPV4 is reached if IPV6 is not reachable
do
  local lookup = makeLookup('::1', '127.0.0.1')
  local ipv4Server = createServer(function(socket)
    socket:on('data', common.mustCall(function()
      socket:write('response-ipv4')
      socket:end_()
    end))
  end)

  ipv4Server:listen(0, '127.0.0.1', common.mustCall(function()
    local port = ipv4Server:address().port

    local connection = createConnection({
      host = 'example.org',
      port = port,
      lookup = lookup,
      autoSelectFamily = true,
      autoSelectFamilyAttemptTimeout = autoSelectFamilyAttemptTimeout,
    })

    local response = ''
    connection:setEncoding('utf-8')

    connection:on('ready', common.mustCall(function()
      assert.deepStrictEqual(connection.autoSelectFamilyAttemptedAddresses,
        { '::1:' .. port, '127.0.0.1:' .. port })
    end))

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

-- Test that only the last successful connection is established.
do
  local lookup = makeLookup(
    { '2001:db8::6810:85e5', '2001:db8::6810:84e5', '::1' },
    { '192.0.2.46', '192.0.2.47', '127.0.0.1' })
  local ipv4Server = createServer(function(socket)
    socket:on('data', common.mustCall(function()
      socket:write('response-ipv4')
      socket:end_()
    end))
  end)

  ipv4Server:listen(0, '127.0.0.1', common.mustCall(function()
    local port = ipv4Server:address().port

    local connection = createConnection({
      host = 'example.org',
      port = port,
      lookup = lookup,
      autoSelectFamily = true,
      autoSelectFamilyAttemptTimeout = autoSelectFamilyAttemptTimeout,
    })

    local response = ''
    connection:setEncoding('utf-8')

    connection:on('ready', common.mustCall(function()
      assert.deepStrictEqual(
        connection.autoSelectFamilyAttemptedAddresses,
        {
          '2001:db8::6810:85e5:' .. port,
          '192.0.2.46:' .. port,
          '2001:db8::6810:84e5:' .. port,
          '192.0.2.47:' .. port,
          '::1:' .. port,
          '127.0.0.1:' .. port,
        }
      )
    end))

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

-- Test that IPV4 is NOT reached if IPV6 is reachable
if common.hasIPv6 then
  local lookup = makeLookup('::1', '127.0.0.1')
  local ipv4Server = createServer(function(socket)
    socket:on('data', common.mustNotCall(function()
      socket:write('response-ipv4')
      socket:end_()
    end))
  end)

  local ipv6Server = createServer(function(socket)
    socket:on('data', common.mustCall(function()
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
        autoSelectFamilyAttemptTimeout = autoSelectFamilyAttemptTimeout,
      })

      local response = ''
      connection:setEncoding('utf-8')

      connection:on('ready', common.mustCall(function()
        assert.deepStrictEqual(connection.autoSelectFamilyAttemptedAddresses,
          { '::1:' .. port })
      end))

      connection:on('data', function(chunk)
        response = response .. chunk
      end)

      connection:on('end', common.mustCall(function()
        assert.strictEqual(response, 'response-ipv6')
        ipv4Server:close()
        ipv6Server:close()
      end))

      connection:write('request')
    end))
  end))
end

-- Test that when all errors are returned when no connections succeeded
do
  local lookup = makeLookup('::1', '127.0.0.1')
  local connection = createConnection({
    host = 'example.org',
    port = 10,
    lookup = lookup,
    autoSelectFamily = true,
    autoSelectFamilyAttemptTimeout = autoSelectFamilyAttemptTimeout,
  })

  connection:on('ready', common.mustNotCall())
  connection:on('error', common.mustCall(function(error)
    assert.deepStrictEqual(connection.autoSelectFamilyAttemptedAddresses,
      { '::1:10', '127.0.0.1:10' })
    assert.strictEqual(error.name, 'AggregateError')
    assert.strictEqual(#error.errors, 2)

    local errors = {}
    for _, e in ipairs(error.errors) do errors[e.message] = true end
    assert.ok(errors['connect ECONNREFUSED 127.0.0.1:10'])

    if common.hasIPv6 then
      assert.ok(errors['connect ECONNREFUSED ::1:10'])
    end
  end))
end

-- Test that the option can be disabled
do
  local lookup = makeLookup('::1', '127.0.0.1')
  local ipv4Server = createServer(function(socket)
    socket:on('data', common.mustCall(function()
      socket:write('response-ipv4')
      socket:end_()
    end))
  end)

  ipv4Server:listen(0, '127.0.0.1', common.mustCall(function()
    local port = ipv4Server:address().port

    local connection = createConnection({
      host = 'example.org',
      port = port,
      lookup = lookup,
      autoSelectFamily = false,
    })

    connection:on('ready', common.mustNotCall())
    connection:on('error', common.mustCall(function(error)
      assert.strictEqual(connection.autoSelectFamilyAttemptedAddresses, nil)

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
