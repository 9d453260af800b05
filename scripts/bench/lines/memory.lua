-- What a task waiting on a read holds: N connections, each read by a task
-- that waits for a line, measured with collectgarbage('count'). Prints the
-- bytes per waiting task (its coroutine and record), per socket for the
-- reader state a socket gets at its first read by a task (its record and
-- listeners, kept for its life), and a bare Lua coroutine's for scale;
-- then a task waiting in `for line in socket:lines()`, as a server's is.
-- luanet memory.lua [N]
local net = require('net')

local N = tonumber((...)) or 1000

local function count()
  collectgarbage()
  collectgarbage()
  return collectgarbage('count') * 1024
end

local function readLine(socket) return socket:read() end
local function eachLine(socket)
  for line in socket:lines() do print(line) end
end

local server <close> = net.createServer()
server:listen(0, '127.0.0.1')
local clients, peers, tasks = {}, {}, {}
for i = 1, N do clients[i] = net.connect(server:address().port, '127.0.0.1') end
for i = 1, N do peers[i] = server:accept() end

local before = count()
for i = 1, N do tasks[i] = net.spawn(readLine, clients[i]) end
local first = count()
for i = 1, N do tasks[i]:cancel() end
tasks = {}
local reader = count()
for i = 1, N do tasks[i] = net.spawn(readLine, clients[i]) end
local waiting = count()
for i = 1, N do
  tasks[i]:cancel()
  tasks[i] = nil
end

local coroutines = {}
local base = count()
for i = 1, N do
  coroutines[i] = coroutine.create(coroutine.yield)
  coroutine.resume(coroutines[i])
end
local bare = count()
for i = 1, N do coroutines[i] = nil end

for i = 1, N do tasks[i] = net.spawn(eachLine, clients[i]) end
for i = 1, N do
  tasks[i]:cancel()
  tasks[i] = nil
end
local beforeLines = count()
for i = 1, N do tasks[i] = net.spawn(eachLine, clients[i]) end
local lines = count()
for i = 1, N do
  tasks[i]:cancel()
  tasks[i] = nil
end

print(('%d tasks waiting on a read:'):format(N))
local function show(what, bytes, note)
  print(('  %-29s %5.0f bytes%s'):format(what .. ':', bytes / N, note or ''))
end
show('per waiting task', waiting - reader)
show('per socket, its reader state', reader - before,
  ' (once, at its first read)')
show('together, beyond the socket', first - before)
show('a bare Lua coroutine', bare - base)
show('per task in socket:lines()', lines - beforeLines)
for i = 1, N do
  clients[i]:destroy()
  peers[i]:destroy()
end
