-- A netcat in seven lines, as Node's documentation writes one:
-- standard input goes to the connection, the connection to standard output.
--   build/luanet scripts/examples/netcat.lua PORT [HOST]
local net = require('node:net')
local client = net.connect(tonumber(process.argv[3]), process.argv[4] or
  'localhost')
process.stdin:pipe(client)
client:pipe(process.stdout)
client:on('error', function(err) console.error(err.message) end)
