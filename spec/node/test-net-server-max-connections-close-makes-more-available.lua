-- Node's test-net-server-max-connections-close-makes-more-available.js:
-- once a connection of a server at its maxConnections closes, the next
-- one is accepted again. (Node chains the steps with Promises; here each
-- step gets a resolve function and the next step runs on the next tick
-- after it is first called, as a Promise's then would.)
require('common')
local assert = require('node:assert')

local net = require('node:net')

-- Sets the server's maxConnections property to 1.
-- Open 2 connections (connection 0 and connection 1).
-- Connection 0  should be accepted.
-- Connection 1 should be rejected.
-- Closes connection 0.
-- Open 2 more connections (connection 2 and 3).
-- Connection 2 should be accepted.
-- Connection 3 should be rejected.

local connections = {}
local received = {}
local sent = {}
local server

-- Runs steps[1](resolve), then each next step once the one before called
-- its resolve (later calls of a resolve do nothing, as a Promise's).
local function chain(steps)
  local i = 0
  local function nextStep()
    i = i + 1
    local step = steps[i]
    if step == nil then return end
    local resolved = false
    step(function()
      if resolved then return end
      resolved = true
      process.nextTick(nextStep)
    end)
  end
  nextStep()
end

local function createConnection(index)
  return function(resolve)
    io.stderr:write(('creating connection %d\n'):format(index))

    local connection
    connection = net.createConnection(server:address().port, function()
      local msg = tostring(index)
      io.stderr:write(('sending message: %s\n'):format(msg))
      connection:write(msg)
      sent[#sent + 1] = msg
    end)

    connection:on('error', function(err)
      assert.strictEqual(err.code, 'ECONNRESET')
      resolve()
    end)

    connection:on('data', function()
      io.stderr:write(('connection %d received response\n'):format(index))
      resolve()
    end)

    connection:on('end', function()
      io.stderr:write(('ending %d\n'):format(index))
      resolve()
    end)

    connections[index] = connection
  end
end

local function closeConnection(index)
  return function(resolve)
    io.stderr:write(('closing connection %d\n'):format(index))
    connections[index]:on('end', function()
      resolve()
    end)
    connections[index]:end_()
  end
end

server = net.createServer(function(socket)
  socket:on('data', function(data)
    io.stderr:write(('received message: %s\n'):format(data))
    received[#received + 1] = tostring(data)
    socket:write('acknowledged')
  end)
end)

server.maxConnections = 1

server:listen(0, function()
  chain({
    createConnection(0),
    createConnection(1),
    closeConnection(0),
    createConnection(2),
    createConnection(3),
    function(resolve) server:close(); resolve() end,
    closeConnection(2),
  })
end)

process:on('exit', function()
  -- Confirm that all connections tried to send data...
  assert.deepStrictEqual(sent, { '0', '1', '2', '3' })
  -- ...but that only connections 0 and 2 were successful.
  assert.deepStrictEqual(received, { '0', '2' })
end)
