-- Node's test-net-write-fully-async-buffer.js: a chunk handed to write()
-- stays alive until the kernel has it, though the script drops it and a
-- full garbage collection runs (200 rounds of writing 1 MB until write()
-- returns false, then waiting for 'drain'). string.rep makes a new 1 MB
-- string for each write as Buffer.from(data) makes a new Buffer, and
-- collectgarbage() stands for global.gc(true) (--expose-gc).
local common = require('common')
local net = require('node:net')

local KB = string.rep('\0', 1000)

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
        if count - 1 == 200 then
          conn:destroy()
          server:close()
          return
        end

        while conn:write(string.rep(KB, 1000)) do end
        collectgarbage()
        -- The buffer allocated above should still be alive.
      end

      conn:on('drain', writeLoop)

      writeLoop()
    end))
end))
