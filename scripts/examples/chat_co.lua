-- 聊天工作室 as sequential code: the chat room of chat.lua, with one task
-- per client that reads `for line in socket:lines()` instead of a 'data'
-- listener that splits lines. Same commands, messages and limits:
--
--   build/luanet scripts/examples/chat_co.lua [port]    (port 8000 by default)
--   nc localhost 8000            (or: telnet localhost 8000)
--
-- The main chunk is a task too: it waits for 'listening', then accepts
-- the connections one by one with server:accept().
--
-- The room (names, commands, what a line does) is chat_room.lua, which
-- chat.lua shares; this file only reads each client's lines.
local net = require('net')
local room = require('chat_room') -- beside this file: found from anywhere

local port = tonumber(process.argv[3]) or 8000
local MAX_LINE = room.MAX_LINE

-- Drops the rest of a line too long to keep, a piece at a time.
local function skipLine(socket)
  while true do
    local _, err = socket:readUntil('\n', { max = MAX_LINE })
    if not (err and err.code == 'ERR_READ_TOO_LONG') then return end
    socket:read(MAX_LINE)
  end
end

-- A line is at most MAX_LINE bytes before its '\n' (opts.max counts it).
local LINE = { max = MAX_LINE + 1 }

-- The lines of one client until /quit or the end of its stream. A failed
-- read is raised by the iterator: a line too long is refused and skipped,
-- and the reading goes on; a lost connection (ECONNRESET...) ends it.
local function chat(client)
  while true do
    local ok, err = pcall(function()
      for line in client.socket:lines(LINE) do
        if room.handleLine(client, line) then return end -- /quit
      end
    end)
    if ok then return end
    if type(err) ~= 'table' or err.code ~= 'ERR_READ_TOO_LONG' then
      return console.log('连接出错: ' .. tostring(err.message or err))
    end
    room.send(client, room.TOO_LONG)
    skipLine(client.socket)
  end
end

-- One client's task, from its greeting to its leave.
local function serve(socket)
  local client = room.join({ socket = socket })
  room.greet(client, room.size())
  chat(client)
  room.leave(client)
  socket:end_() -- after what was written (再见!)
end

local server = net.createServer()
server:listen(port)
local ok, err = server:wait('listening')
if not ok then
  console.log('服务出错了: ' .. err.message)
  process.exitCode = 1
  return
end
console.log('聊天工作室已启动, 端口: ' .. server:address().port)

while true do
  local socket = assert(server:accept())
  console.log('新连接: ' .. socket.remoteAddress .. ' ' .. socket.remotePort)
  net.spawn(serve, socket)
end
