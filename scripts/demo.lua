-- The main demo: the TCP server and client of scripts/examples/ in one
-- process. The client talks to the server, ends, and the server closes
-- once the client is gone, so the process exits by itself.
--
--   build/luanet scripts/demo.lua
local here = (process.argv[2] or ''):match('^(.*)/[^/]*$') or '.'

local server = dofile(here .. '/examples/tcp_server.lua')
server:on('listening', function()
  local client = dofile(here .. '/examples/tcp_client.lua')
  client:on('close', function()
    server:close(function()
      console.log('demo: server closed, bye')
    end)
  end)
end)
