-- Node's test-net-throttle.js: a server writes until write() returns
-- false and then two chunks more, ends, and the client, pausing for 100 ms
-- at each first 'data' after a resume, gets nothing while paused, every
-- byte in the end, and pauses more than once. luanet's util has no
-- debuglog: the local one below stands for util.debuglog('test') (it
-- writes to stderr when NODE_DEBUG names test).
require('common')
local assert = require('node:assert')
local net = require('node:net')
local debugOn = (os.getenv('NODE_DEBUG') or ''):lower():find('test')
local function debuglog(msg)
  if debugOn then io.stderr:write('TEST ', process.pid, ': ', msg, '\n') end
end

local chars_recved = 0
local npauses = 0
local totalLength = 0

local server
server = net.createServer(function(connection)
  local body = string.rep('C', 1024)
  local n = 1
  debuglog('starting write loop')
  while connection:write(body) do
    n = n + 1
  end
  debuglog('ended write loop')
  -- Now that we're throttled, do some more writes to make sure the data isn't
  -- lost.
  connection:write(body)
  connection:write(body)
  n = n + 2
  totalLength = n * #body
  assert.ok(connection.bufferSize >= 0, 'bufferSize: ' ..
    connection.bufferSize)
  assert.ok(
    connection.writableLength <= totalLength,
    'writableLength: ' .. connection.writableLength .. ', totalLength: ' ..
      totalLength
  )
  connection:end_()
end)

server:listen(0, function()
  local port = server:address().port
  debuglog('server started on port ' .. port)
  local paused = false
  local client = net.createConnection(port)
  client:setEncoding('ascii')
  client:on('data', function(d)
    chars_recved = chars_recved + #d
    debuglog('got ' .. chars_recved)
    if not paused then
      client:pause()
      npauses = npauses + 1
      paused = true
      debuglog('pause')
      local x = chars_recved
      setTimeout(function()
        assert.strictEqual(chars_recved, x)
        client:resume()
        debuglog('resume')
        paused = false
      end, 100)
    end
  end)

  client:on('end', function()
    server:close()
    client:end_()
  end)
end)


process:on('exit', function()
  assert.strictEqual(chars_recved, totalLength)
  assert.ok(npauses > 1, npauses .. ' > 1')
end)
