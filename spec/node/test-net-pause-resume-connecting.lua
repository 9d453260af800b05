-- Node's test-net-pause-resume-connecting.js: pause() and resume() called
-- while a socket is still connecting decide whether it flows once
-- connected: the last call wins.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local connections = 0
local dataEvents = 0
local conn

-- Server
local server
server = net.createServer(function(c)
  connections = connections + 1
  c:end_('This was the year he fell to pieces.')

  if connections == 5 then
    server:close()
  end
end)

server:listen(0, function()
  local port = server:address().port

  local function onDataOk()
    dataEvents = dataEvents + 1
  end

  local function scheduleTearDown(c)
    setTimeout(function()
      c:removeAllListeners('data')
      c:resume()
    end, 100)
  end

  -- Client 1
  conn = net.createConnection(port, 'localhost')
  conn:resume()
  conn:on('data', onDataOk)


  -- Client 2
  conn = net.createConnection(port, 'localhost')
  conn:pause()
  conn:resume()
  conn:on('data', onDataOk)


  -- Client 3
  conn = net.createConnection(port, 'localhost')
  conn:pause()
  conn:on('data', common.mustNotCall())
  scheduleTearDown(conn)


  -- Client 4
  conn = net.createConnection(port, 'localhost')
  conn:resume()
  conn:pause()
  conn:resume()
  conn:on('data', onDataOk)


  -- Client 5
  conn = net.createConnection(port, 'localhost')
  conn:resume()
  conn:resume()
  conn:pause()
  conn:on('data', common.mustNotCall())
  scheduleTearDown(conn)
end)


-- Exit sanity checks
process:on('exit', function()
  assert.strictEqual(connections, 5)
  assert.strictEqual(dataEvents, 3)
end)
