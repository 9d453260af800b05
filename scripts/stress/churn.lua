-- The churn client: opens and closes TOTAL connections to a server,
-- CONCURRENCY at a time, each sending a byte, reading the echo and
-- ending. At every tenth of the way it lets the connections in flight
-- finish, waits for the server's descriptors to settle, and prints the
-- server's figures (process PID, read from /proc):
--   at CONNECTIONS rss KIB fds N
-- then "errors N" (connections that failed) and "done". After the first
-- tenth (warm-up) it sends the server SIGUSR2 (server.lua: a full
-- collection and its Lua heap).
--   luanet churn.lua PORT TOTAL CONCURRENCY PID
local net = require('net')
local port, total, concurrency, pid = tonumber(process.argv[3]),
  tonumber(process.argv[4]), tonumber(process.argv[5]), process.argv[6]

local function rss()
  local f = io.open('/proc/' .. pid .. '/status')
  local kib = f:read('a'):match('VmRSS:%s*(%d+)')
  f:close()
  return tonumber(kib)
end

local function fds()
  local p = io.popen('ls /proc/' .. pid .. '/fd | wc -l')
  local n = tonumber(p:read('a'))
  p:close()
  return n
end

local finished, errors = 0, 0
local step = total // 10
local phase -- connections started in this tenth

local checkpoint, one

-- Starts a tenth of the connections, CONCURRENCY at a time.
local function run()
  phase = 0
  for _ = 1, math.min(concurrency, step) do one() end
end

function one()
  phase = phase + 1
  local socket = net.connect(port, '127.0.0.1')
  socket:on('connect', function() socket:write('x') end)
  socket:on('data', function() socket:end_() end)
  socket:on('error', function() errors = errors + 1 end)
  socket:on('close', function()
    finished = finished + 1
    if phase < step then
      one()
    elseif finished % step == 0 then
      checkpoint()
    end
  end)
end

-- Prints the figures once the server has closed what it had open (its
-- descriptor count has stopped changing), then goes on.
function checkpoint()
  local last, same = fds(), 0
  local function settle()
    local n = fds()
    same = n == last and same + 1 or 0
    last = n
    if same < 5 then return setTimeout(settle, 20) end
    print(('at %d rss %d fds %d'):format(finished, rss(), n))
    if finished == step then process.kill(tonumber(pid), 'SIGUSR2') end
    if finished >= total then
      print('errors ' .. errors)
      print('done')
    else
      run()
    end
  end
  setTimeout(settle, 20)
end

run()
