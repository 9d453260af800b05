-- Node's test-net-write-fully-async-hex-string.js: the bytes write(data,
-- 'hex') decodes stay alive until the kernel has them, though a full
-- garbage collection runs meanwhile (20 rounds of writing 1 MB until
-- write() returns false, then waiting for 'drain'; Node's issue 8251).
-- collectgarbage() stands for global.gc(true) (--expose-gc).
local common = require('common')
local net = require('node:net')

local data = string.rep('00', 1000000)

local server
server = net.createServer(common.mustCall(function(conn)
  conn:resume()
end)):listen(0, common.mustCall(function()
  local conn
  conn = net.createConnection(server:address().port, common.mustCall(
    function()
      local count = 0

      local function writeLoop()
        count = count + 1
        if count - 1 == 20 then
          conn:destroy()
          server:close()
          return
        end

        while conn:write(data, 'hex') do end
        collectgarbage()
        -- The buffer allocated inside the .write() call should still be
        -- alive.
      end

      conn:on('drain', writeLoop)

      writeLoop()
    end))
end))
