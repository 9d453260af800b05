-- Node's test-net-sync-cork.js: cork(), two writes and uncork() a hundred
-- times on a connected socket never fill it (the second write returns
-- true each time), and the peer sees no error and closes.
local common = require('common')
local assert = require('node:assert')
local net = require('node:net')

local server

local N = 100
local buf = string.rep('a', 2)

local function handle(socket)
  socket:resume()
  socket:on('error', common.mustNotCall())
        :on('close', common.mustCall(function() server:close() end))
end

server = net.createServer(handle)

server:listen(0, function()
  local conn = net.connect(server:address().port)

  conn:on('connect', function()
    local res = true
    local i = 0
    while i < N and res do
      conn:cork()
      conn:write(buf)
      res = conn:write(buf)
      conn:uncork()
      i = i + 1
    end
    assert.strictEqual(i, N)
    conn:end_()
  end)
end)
