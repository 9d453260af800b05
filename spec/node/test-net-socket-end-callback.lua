-- Node's test-net-socket-end-callback.js: end_(cb), end_(data, cb) and
-- end_(data, encoding, cb) each call cb once the socket has finished.
local common = require('common')
local net = require('node:net')

local server = net.createServer(function(socket)
  socket:resume()
end):unref()

server:listen(common.mustCall(function()
  local function connect(...)
    local args = table.pack(...)
    local socket
    socket = net.createConnection(server:address().port, function()
      socket:end_(table.unpack(args, 1, args.n))
    end)
  end

  local cb = common.mustCall(function() end, 3)

  connect(cb)
  connect('foo', cb)
  connect('foo', 'utf8', cb)
end))
