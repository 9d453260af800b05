-- A Lua error raised in one kind of listener or callback, with or
-- without a process 'uncaughtException' listener.
--   luanet listeners.lua list           the kinds, one a line
--   luanet listeners.lua KIND plain     no handler: Node prints the error
--                                       and exits with 1
--   luanet listeners.lua KIND handled   a handler takes the error; the
--                                       program goes on and ends, printing
--                                       "handled N" and "done" at 'exit'
-- Every kind starts the same small program (a server, a client connecting
-- to it); an ender closes everything 200 ms later, so that a handled
-- error still lets the process end by itself.
local net = require('net')
local kind, mode = process.argv[3], process.argv[4]
local things = {}

local function boom()
  error('boom in ' .. kind)
end

-- Keeps x for the ender; returns x.
local function keep(x)
  things[#things + 1] = x
  return x
end

local function ender()
  setTimeout(function()
    for _, x in ipairs(things) do
      if x.listening ~= nil then
        if x.listening then x:close() end
      else
        x:destroy()
      end
    end
  end, 200)
end

-- Each kind: a function that sets the program up with the raising
-- listener in its place.
local kinds = {}

local function serve(onConnection, options)
  local server = keep(net.createServer(options or {}, function(s)
    keep(s)
    s:on('error', function() end)
    if onConnection then onConnection(s) end
  end))
  return server
end

local function client(server, setup)
  local c = keep(net.connect(server:address().port, '127.0.0.1'))
  c:on('error', function() end)
  if setup then setup(c) end
  return c
end

function kinds.connection()
  local server = serve(boom)
  server:listen(0, '127.0.0.1', function() client(server) end)
end

function kinds.listening()
  serve():listen(0, '127.0.0.1', boom)
end

function kinds.serverClose()
  local server = serve()
  server:on('close', boom)
  server:listen(0, '127.0.0.1', function() server:close() end)
end

function kinds.serverCloseCallback()
  local server = serve()
  server:listen(0, '127.0.0.1', function() server:close(boom) end)
end

function kinds.serverError()
  local first = serve()
  first:listen(0, '127.0.0.1', function()
    local second = keep(net.createServer())
    second:on('error', boom)
    second:listen(first:address().port, '127.0.0.1')
  end)
end

function kinds.getConnections()
  local server = serve()
  server:listen(0, '127.0.0.1', function() server:getConnections(boom) end)
end

function kinds.connect()
  local server = serve()
  server:listen(0, '127.0.0.1', function()
    client(server, function(c) c:on('connect', boom) end)
  end)
end

function kinds.ready()
  local server = serve()
  server:listen(0, '127.0.0.1', function()
    client(server, function(c) c:on('ready', boom) end)
  end)
end

function kinds.lookup()
  local server = serve()
  server:listen(0, '127.0.0.1', function()
    local c = keep(net.connect(server:address().port, 'localhost'))
    c:on('error', function() end)
    c:on('lookup', boom)
  end)
end

function kinds.data()
  local server = serve(function(s) s:write('x') end)
  server:listen(0, '127.0.0.1', function()
    client(server, function(c) c:on('data', boom) end)
  end)
end

function kinds.serverData()
  local server = serve(function(s) s:on('data', boom) end)
  server:listen(0, '127.0.0.1', function()
    client(server, function(c) c:write('x') end)
  end)
end

kinds['end'] = function()
  local server = serve(function(s) s:end_() end)
  server:listen(0, '127.0.0.1', function()
    client(server, function(c)
      c:on('data', function() end)
      c:on('end', boom)
    end)
  end)
end

function kinds.close()
  local server = serve(function(s) s:destroy() end)
  server:listen(0, '127.0.0.1', function()
    client(server, function(c) c:on('close', boom) end)
  end)
end

function kinds.error()
  local server = serve()
  server:listen(0, '127.0.0.1', function()
    local p = server:address().port
    server:close(function()
      local c = keep(net.connect(p, '127.0.0.1'))
      c:on('error', boom) -- ECONNREFUSED
    end)
  end)
end

function kinds.timeout()
  local server = serve()
  server:listen(0, '127.0.0.1', function()
    client(server, function(c)
      c:setTimeout(20)
      c:on('timeout', boom)
    end)
  end)
end

function kinds.drain()
  local server = serve(function(s) s:on('data', function() end) end)
  server:listen(0, '127.0.0.1', function()
    client(server, function(c)
      c:on('drain', boom)
      c:write(string.rep('d', 1024 * 1024))
    end)
  end)
end

function kinds.finish()
  local server = serve()
  server:listen(0, '127.0.0.1', function()
    client(server, function(c)
      c:on('finish', boom)
      c:end_('x')
    end)
  end)
end

function kinds.writeCallback()
  local server = serve()
  server:listen(0, '127.0.0.1', function()
    client(server, function(c) c:write('x', boom) end)
  end)
end

function kinds.endCallback()
  local server = serve()
  server:listen(0, '127.0.0.1', function()
    client(server, function(c) c:end_('x', boom) end)
  end)
end

function kinds.setTimeout()
  serve():listen(0, '127.0.0.1')
  setTimeout(boom, 1)
end

function kinds.setInterval()
  serve():listen(0, '127.0.0.1')
  local t
  t = setInterval(function()
    clearInterval(t)
    boom()
  end, 1)
end

function kinds.setImmediate()
  serve():listen(0, '127.0.0.1')
  setImmediate(boom)
end

function kinds.nextTick()
  serve():listen(0, '127.0.0.1')
  process.nextTick(boom)
end

-- The two whose exit codes are Node's own (checked against Node 22):
-- a throwing 'exit' listener exits with 1, a throwing
-- 'uncaughtException' listener with 7.
function kinds.exit()
  serve():listen(0, '127.0.0.1')
  process:on('exit', boom)
end

function kinds.uncaughtException()
  serve():listen(0, '127.0.0.1')
  process:on('uncaughtException', boom)
  setTimeout(function() error('first') end, 1)
end

if kind == 'list' then
  local names = {}
  for name in pairs(kinds) do names[#names + 1] = name end
  table.sort(names)
  print(table.concat(names, '\n'))
  return
end
if not kinds[kind] then
  io.stderr:write('unknown kind: ', tostring(kind), '\n')
  os.exit(2)
end
local handled = 0
if mode == 'handled' then
  process:on('uncaughtException', function() handled = handled + 1 end)
  process:on('exit', function()
    print('handled ' .. handled)
    print('done')
  end)
end
kinds[kind]()
ender()
