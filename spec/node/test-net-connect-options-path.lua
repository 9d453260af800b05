-- Node's test-net-connect-options-path.js: the twelve ways to connect to a
-- Unix socket path (net.connect, net.createConnection, socket:connect; the
-- path alone or in options; the callback given or a 'connect' listener)
-- each connect.
local common = require('common')
local net = require('node:net')

-- This file tests the option handling of net.connect,
-- net.createConnect, and new Socket().connect

common.tmpdir.refresh()

local CLIENT_VARIANTS = 12

-- Test connect(path)
do
  local prefix = common.PIPE .. '-net-connect-options-path'
  local serverPath = prefix .. '-server'
  local counter = 0
  local server
  server = net.createServer()
  :on('connection', common.mustCall(function(socket)
    socket:end_('ok')
  end, CLIENT_VARIANTS))
  :listen(serverPath, common.mustCall(function()
    -- Node's `this` in the callback: the client, here got from the caller.
    local function getConnectCb(getClient)
      return common.mustCall(function()
        local client = getClient()
        client:end_()
        client:on('close', common.mustCall(function()
          counter = counter + 1
          if counter == CLIENT_VARIANTS then
            server:close()
          end
        end))
      end)
    end
    local c = {}
    local function variant(i, make)
      c[i] = make(getConnectCb(function() return c[i] end)):resume()
    end

    -- CLIENT_VARIANTS depends on the following code
    variant(1, function(cb) return net.connect(serverPath, cb) end)
    variant(2, function(cb)
      return net.connect(serverPath):on('connect', cb)
    end)
    variant(3, function(cb) return net.createConnection(serverPath, cb) end)
    variant(4, function(cb)
      return net.createConnection(serverPath):on('connect', cb)
    end)
    variant(5, function(cb) return net.Socket():connect(serverPath, cb) end)
    variant(6, function(cb)
      return net.Socket():connect(serverPath):on('connect', cb)
    end)
    variant(7, function(cb)
      return net.connect({ path = serverPath }, cb)
    end)
    variant(8, function(cb)
      return net.connect({ path = serverPath }):on('connect', cb)
    end)
    variant(9, function(cb)
      return net.createConnection({ path = serverPath }, cb)
    end)
    variant(10, function(cb)
      return net.createConnection({ path = serverPath }):on('connect', cb)
    end)
    variant(11, function(cb)
      return net.Socket():connect({ path = serverPath }, cb)
    end)
    variant(12, function(cb)
      return net.Socket():connect({ path = serverPath }):on('connect', cb)
    end)
  end))
end
