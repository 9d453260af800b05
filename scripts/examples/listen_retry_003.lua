-- 003 (net(网络)), server.listen(): on EADDRINUSE, retry after 1 s
-- (0.0.0.0:6666).
-- Run: build/luanet scripts/examples/listen_retry_003.lua
--   (e.g. while close_server.lua still holds 6666)
-- (added: the document shows only the 'error' listener; the server, PORT and
-- HOST (those of its later examples), and the first listen at the end, are
-- filled in so that it runs)
local net = require('net')
local PORT, HOST = 6666, '0.0.0.0'
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
