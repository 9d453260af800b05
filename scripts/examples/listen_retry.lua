-- 000 (Net), server.listen(): on EADDRINUSE, wait 1 s, close() and listen
-- again.
-- Run: build/luanet scripts/examples/listen_retry.lua
--   (retries while 127.0.0.1:8888 is taken)
-- (added: the document shows only the 'error' listener; the server, PORT and
-- HOST, and the first listen at the end, are filled in so that it runs)
local net = require('net')
local PORT, HOST = 8888, '127.0.0.1'
local server = net.createServer()

server:on('error', function(e)
  if e.code == 'EADDRINUSE' then
    console.log('Address in use, retrying...')
    setTimeout(function()
      server:close()
      server:listen(PORT, HOST)
    end, 1000)
  end
end)

server:listen(PORT, HOST, function() -- (added: says when it finally listens)
  console.log('opened server on', server:address())
end)
