-- Node's test-net-server-max-connections.js: with maxConnections = 10, of
-- 20 connections the first 10 get through (and their data) and the last
-- 10 are closed at once. (Node's retry on SmartOS's ECONNREFUSED is left
-- out: this runs on Linux.)
local common = require('common')
local assert = require('node:assert')

local net = require('node:net')

-- This test creates 20 connections to a server and sets the server's
-- maxConnections property to 10. The first 10 connections make it through
-- and the last 10 connections are rejected.

local N = 20
local closes = 0
local waits = {}

local makeConnection

local server = net.createServer(common.mustCall(function(connection)
  connection:write('hello')
  waits[#waits + 1] = function() connection:end_() end
end, N // 2))

server:listen(0, function()
  makeConnection(0)
end)

server.maxConnections = N // 2


function makeConnection(index)
  local c = net.createConnection(server:address().port)
  local gotData = false

  c:on('connect', function()
    if index + 1 < N then
      makeConnection(index + 1)
    end

    c:on('close', function()
      io.stderr:write(('closed %d\n'):format(index))
      closes = closes + 1

      if closes < N // 2 then
        assert.ok(
          server.maxConnections <= index,
          index .. ' should not have been one of the first closed connections'
        )
      end

      if closes == N // 2 then
        io.stderr:write('calling wait callback.\n')
        local cb = table.remove(waits, 1)
        while cb ~= nil do
          cb()
          cb = table.remove(waits, 1)
        end
        server:close()
      end

      if index < server.maxConnections then
        assert.strictEqual(gotData, true,
                           index .. " didn't get data, but should have")
      else
        assert.strictEqual(gotData, false,
                           index .. " got data, but shouldn't have")
      end
    end)
  end)

  c:on('end', function() c:end_() end)

  c:on('data', function(b)
    gotData = true
    assert.ok(#b > 0)
  end)

  c:on('error', function(e)
    io.stderr:write(('error %d: %s\n'):format(index, tostring(e)))
  end)
end


process:on('exit', function()
  assert.strictEqual(closes, N)
end)
