-- Node's test-net-connect-options-allowhalfopen.js: a client made with
-- allowHalfOpen, by each of the six ways to connect, stays writable after
-- the server's FIN ('end'; not readable any more) and can still write and
-- end; each side's 'end' comes once. (Node's `this` in the listeners: the
-- socket, captured here.)
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

-- Test allowHalfOpen
do
  local clientReceivedFIN = 0
  local serverConnections = 0
  local clientSentFIN = 0
  local serverReceivedFIN = 0
  local host = '127.0.0.1'
  local CLIENT_VARIANTS = 6
  local server

  local function serverOnConnection(socket)
    serverConnections = serverConnections + 1
    console.log(("'connection' %d emitted on server"):format(
      serverConnections))
    local srvConn = serverConnections
    socket:resume()
    socket:on('data', common.mustCall(function(data)
      socket.clientId = tostring(data)
      console.log(('server connection %d is started by client %s'):format(
        srvConn, socket.clientId))
    end))
    -- 'end' on each socket must not be emitted twice
    socket:on('end', common.mustCall(function()
      console.log('Server received FIN sent by client ' ..
        tostring(socket.clientId))
      serverReceivedFIN = serverReceivedFIN + 1
      if serverReceivedFIN < CLIENT_VARIANTS then return end
      setTimeout(function()
        server:close()
        console.log(('connection %s is closing the server: FIN %d ' ..
          'received by server, FIN %d received by client, FIN %d sent ' ..
          'by client, FIN %d sent by server'):format(socket.clientId,
          serverReceivedFIN, clientReceivedFIN, clientSentFIN,
          serverConnections))
      end, 50)
    end, 1))
    socket:end_()
    console.log(('Server has sent %d FIN'):format(serverConnections))
  end

  -- getClient gives the socket (Node binds it as `this`).
  local function clientOnConnect(index, getClient)
    return common.mustCall(function()
      local client = getClient()
      console.log(("'connect' emitted on Client %d"):format(index))
      client:resume()
      client:on('end', common.mustCall(function()
        setTimeout(function()
          -- when allowHalfOpen is true, client must still be writable
          -- after the server closes the connections, but not readable
          console.log(('client %d received FIN'):format(index))
          assert(not client.readable)
          assert(client.writable)
          assert(client:write(tostring(index)))
          client:end_()
          clientSentFIN = clientSentFIN + 1
          console.log(('client %d sent FIN, %d have been sent'):format(
            index, clientSentFIN))
        end, 50)
      end))
      client:on('close', common.mustCall(function()
        clientReceivedFIN = clientReceivedFIN + 1
        console.log(('connection %d has been closed by both sides, %d ' ..
          'clients have closed'):format(index, clientReceivedFIN))
      end))
    end)
  end

  local function serverOnClose()
    console.log(('Server has been closed: FIN %d received by server, FIN ' ..
      '%d received by client, FIN %d sent by client, FIN %d sent by ' ..
      'server'):format(serverReceivedFIN, clientReceivedFIN, clientSentFIN,
      serverConnections))
  end

  local function serverOnListen()
    local port = server:address().port
    console.log(('Server started listening at %s:%d'):format(host, port))
    local opts = { allowHalfOpen = true, host = host, port = port }
    local c = {}
    local function get(i) return function() return c[i] end end
    -- 6 variations == CLIENT_VARIANTS
    c[1] = net.connect(opts, clientOnConnect(1, get(1)))
    c[2] = net.connect(opts)
    c[2]:on('connect', clientOnConnect(2, get(2)))
    c[3] = net.createConnection(opts, clientOnConnect(3, get(3)))
    c[4] = net.createConnection(opts)
    c[4]:on('connect', clientOnConnect(4, get(4)))
    c[5] = net.Socket(opts):connect(opts, clientOnConnect(5, get(5)))
    c[6] = net.Socket(opts):connect(opts)
    c[6]:on('connect', clientOnConnect(6, get(6)))
  end

  -- The trigger
  server = net.createServer({ allowHalfOpen = true })
    :on('connection', common.mustCall(serverOnConnection, CLIENT_VARIANTS))
    :on('close', common.mustCall(serverOnClose))
    :listen(0, host, common.mustCall(serverOnListen))
end
