-- Node's test-net-remote-address-port.js: remoteAddress, remoteFamily and
-- remotePort on both ends of connections to 127.0.0.1 and to 'localhost',
-- and still readable after 'close'.
local common = require('common')
local assert = require('node:assert')

local net = require('node:net')

local conns_closed = 0

local remoteAddrCandidates = { [common.localhostIPv4] = true,
                               ['::1'] = true,
                               ['::ffff:127.0.0.1'] = true }

local remoteFamilyCandidates = { IPv4 = true, IPv6 = true }

local server
server = net.createServer(common.mustCall(function(socket)
  assert.ok(remoteAddrCandidates[socket.remoteAddress],
    'Invalid remoteAddress: ' .. tostring(socket.remoteAddress))
  assert.ok(remoteFamilyCandidates[socket.remoteFamily],
    'Invalid remoteFamily: ' .. tostring(socket.remoteFamily))
  assert.ok(socket.remotePort)
  assert.notStrictEqual(socket.remotePort, server:address().port)
  socket:on('end', function()
    conns_closed = conns_closed + 1
    if conns_closed == 2 then server:close() end
  end)
  socket:on('close', function()
    assert.ok(remoteAddrCandidates[socket.remoteAddress])
    assert.ok(remoteFamilyCandidates[socket.remoteFamily])
  end)
  socket:resume()
end, 2))

server:listen(0, function()
  local client = net.createConnection(server:address().port, '127.0.0.1')
  local client2 = net.createConnection(server:address().port)
  client:on('connect', function()
    assert.ok(remoteAddrCandidates[client.remoteAddress])
    assert.ok(remoteFamilyCandidates[client.remoteFamily])
    assert.strictEqual(client.remotePort, server:address().port)
    client:end_()
  end)
  client:on('close', function()
    assert.ok(remoteAddrCandidates[client.remoteAddress])
    assert.ok(remoteFamilyCandidates[client.remoteFamily])
  end)
  client2:on('connect', function()
    assert.ok(remoteAddrCandidates[client2.remoteAddress])
    assert.ok(remoteFamilyCandidates[client2.remoteFamily])
    assert.strictEqual(client2.remotePort, server:address().port)
    client2:end_()
  end)
  client2:on('close', function()
    assert.ok(remoteAddrCandidates[client2.remoteAddress])
    assert.ok(remoteFamilyCandidates[client2.remoteFamily])
  end)
end)
