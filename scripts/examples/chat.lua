-- 聊天工作室 (001, "Tcp聊天工作室"): the document's sketch of a TCP chat
-- room, completed. Run the server, then connect from other terminals:
--
--   build/luanet scripts/examples/chat.lua [port]    (port 8000 by default)
--   nc localhost 8000            (or: telnet localhost 8000)
--
-- A newcomer is told how many are online (server:getConnections, as in the
-- document) and asked for a nickname; from then on each line is sent to
-- everyone else as "nickname: text". Commands: /nick, /who, /help, /quit.
--
-- The room (names, commands, what a line does) is chat_room.lua, which
-- chat_co.lua shares; this file reads each client's lines with a 'data'
-- listener that splits them.
local net = require('net')
local room = require('chat_room') -- beside this file: found from anywhere

local port = tonumber(process.argv[3]) or 8000
local MAX_LINE, TOO_LONG = room.MAX_LINE, room.TOO_LONG
local send = room.send

-- TCP is a byte stream: one 'data' may hold part of a line or several lines.
-- Keep what follows the last "\n" for the next read (client.buffer), and
-- whether the start of the line there was refused (client.discarding).
local function onData(client, data)
  local buffer = client.buffer .. data
  local start = 1
  while client.socket.writable do -- not after /quit
    local nl = buffer:find('\n', start, true)
    if not nl then break end
    local line = buffer:sub(start, nl - 1)
    start = nl + 1
    if client.discarding then
      client.discarding = false -- the tail of a line already refused
    elseif #line > MAX_LINE then
      send(client, TOO_LONG)
    -- telnet ends lines "\r\n"
    elseif room.handleLine(client, (line:gsub('\r$', ''))) then
      client.socket:end_() -- /quit; its 'close' announces the leave
    end
  end
  buffer = buffer:sub(start)
  if #buffer > MAX_LINE then
    -- No newline in sight: refuse the line now, and drop the rest of it as
    -- it comes, rather than keep it all.
    if not client.discarding then send(client, TOO_LONG) end
    client.discarding, buffer = true, ''
  end
  client.buffer = buffer
end

local server
server = net.createServer(function(socket)
  local client = room.join({ socket = socket, buffer = '', discarding = false })
  socket:setEncoding('utf8') -- whole characters only: 中文 is never cut in two
  server:getConnections(function(err, count)
    if err then return end
    room.greet(client, count)
  end)
  -- 接收客户端发送的消息
  socket:on('data', function(data) onData(client, data) end)
  socket:on('error', function(err)
    -- A client that vanished (ECONNRESET...): without this listener the
    -- error would be uncaught and stop the server. 'close' follows.
    console.log('连接出错: ' .. err.message)
  end)
  socket:on('close', function() room.leave(client) end)
end)

server:on('connection', function(socket)
  console.log('新连接: ' .. socket.remoteAddress .. ' ' .. socket.remotePort)
end)

server:on('error', function(err)
  console.log('服务出错了: ' .. err.message)
  process.exitCode = 1
end)

server:listen(port, function()
  console.log('聊天工作室已启动, 端口: ' .. server:address().port)
end)
