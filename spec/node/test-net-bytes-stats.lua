-- Node's test-net-bytes-stats.js: bytesRead and bytesWritten count every
-- byte of a connection, and start again from 0 when the same socket
-- connects anew after 'close'.
local assert = require('node:assert')
local net = require('node:net')

local bytesRead = 0
local bytesWritten = 0
local count = 0

local tcp
tcp = net.Server(function(s)
  console.log('tcp server connection')

  -- trigger old mode.
  s:resume()

  s:on('end', function()
    bytesRead = bytesRead + s.bytesRead
    console.log('tcp socket disconnect #' .. count)
  end)
end)

tcp:listen(0, function()
  console.error('listening')
  local socket = net.createConnection(tcp:address().port)

  socket:on('connect', function()
    count = count + 1
    console.error('CLIENT connect #%d', count)

    socket:write('foo', function()
      console.error('CLIENT: write cb')
      socket:end_('bar')
    end)
  end)

  socket:on('finish', function()
    bytesWritten = bytesWritten + socket.bytesWritten
    console.error('CLIENT end event #%d', count)
  end)

  socket:on('close', function()
    console.error('CLIENT close event #%d', count)
    console.log('Bytes read: ' .. bytesRead)
    console.log('Bytes written: ' .. bytesWritten)
    if count < 2 then
      console.error('RECONNECTING')
      socket:connect(tcp:address().port)
    else
      tcp:close()
    end
  end)
end)

process:on('exit', function()
  assert.strictEqual(bytesRead, 12)
  assert.strictEqual(bytesWritten, 12)
end)
