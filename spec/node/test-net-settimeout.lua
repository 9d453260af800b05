-- Node's test-net-settimeout.js: setTimeout(0) right after setTimeout(T,
-- fn) turns the timeout off before it fires; setTimeout returns the
-- socket. (`s instanceof net.Socket` becomes: s has the metatable of a
-- net.Socket.)
local common = require('common')
local net = require('node:net')
local assert = require('node:assert')

local T = 100

local server = net.createServer(common.mustCall(function(c)
  c:write('hello')
end))

server:listen(0, function()
  local socket = net.createConnection(server:address().port, 'localhost')

  local s = socket:setTimeout(T, common.mustNotCall())
  assert.ok(getmetatable(s) == getmetatable(net.Socket()))

  socket:on('data', common.mustCall(function()
    setTimeout(function()
      socket:destroy()
      server:close()
    end, T * 2)
  end))

  socket:setTimeout(0)
end)
