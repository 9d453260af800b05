-- Node's test-net-socket-local-address.js: one Socket connected twice in
-- turn, and each time the client's localPort is the port the server sees
-- as remotePort; connect() returns the socket.
local common = require('common')
-- skip test in FreeBSD jails
if common.inFreeBSDJail then
  common.skip('In a FreeBSD jail')
end

local assert = require('node:assert')
local net = require('node:net')

local conns = 0
local clientLocalPorts = {}
local serverRemotePorts = {}
local client = net.Socket()
local server = net.createServer(function(socket)
  serverRemotePorts[#serverRemotePorts + 1] = socket.remotePort
  socket:end_()
end)

local connect

server:on('close', common.mustCall(function()
  -- client and server should agree on the ports used
  assert.deepStrictEqual(serverRemotePorts, clientLocalPorts)
  assert.strictEqual(conns, 2)
end))

function connect()
  if conns == 2 then
    server:close()
    return
  end

  conns = conns + 1
  client:once('close', connect)
  assert.strictEqual(
    client,
    client:connect(server:address().port, common.localhostIPv4, function()
      clientLocalPorts[#clientLocalPorts + 1] = client.localPort
    end)
  )
end

server:listen(0, common.localhostIPv4, function() connect() end)
