-- 聊天工作室 (001, "Tcp聊天工作室"): the document's sketch of a TCP chat
-- room, completed. Run the server, then connect from other terminals:
--
--   build/luanet scripts/examples/chat.lua [port]    (port 8000 by default)
--   nc localhost 8000            (or: telnet localhost 8000)
--
-- A newcomer is told how many are online (server:getConnections, as in the
-- document) and asked for a nickname; from then on each line is sent to
-- everyone else as "nickname: text". Commands: /nick, /who, /help, /quit.
local net = require('net')

local port = tonumber(process.argv[3]) or 8000
local MAX_LINE = 4096 -- bytes; a longer line is dropped: memory stays bounded
local MAX_NAME = 16   -- characters in a nickname

local HELP = table.concat({
  '可用命令:',
  '  /nick 昵称  修改昵称',
  '  /who        查看在线用户',
  '  /help       显示本帮助',
  '  /quit       退出聊天室',
  '其他输入都会作为消息发给所有人.',
}, '\n') .. '\n'
local TOO_LONG = '消息太长 (超过 ' .. MAX_LINE .. ' 字节), 已丢弃\n'

-- One entry per connection, keyed by its socket: { socket, name, buffer,
-- discarding }. name stays nil until the user has picked one; only named
-- users get the chat and are listed by /who.
local clients = {}

local function send(client, text)
  -- A socket that is ending (after /quit, or after the peer's FIN) is not
  -- writable any more: writing would be an ERR_STREAM_WRITE_AFTER_END error.
  if client.socket.writable then client.socket:write(text) end
end

local function broadcast(from, text)
  for _, other in pairs(clients) do
    if other ~= from and other.name then send(other, text) end
  end
end

local function findByName(name)
  for _, client in pairs(clients) do
    if client.name == name then return client end
  end
end

local function setName(client, name)
  name = name:match('^%s*(.-)%s*$')
  local again = client.name and '\n' or ', 请重新输入你的昵称:\n'
  local owner = findByName(name)
  if name == '' then
    return send(client, '昵称不能为空' .. again)
  elseif (utf8.len(name) or #name) > MAX_NAME then
    return send(client, '昵称太长 (最多 ' .. MAX_NAME .. ' 个字)' .. again)
  elseif owner == client then
    return send(client, '你的昵称已经是 ' .. name .. '\n')
  elseif owner then
    return send(client, '昵称 ' .. name .. ' 已被占用' .. again)
  end
  local old = client.name
  client.name = name
  if old then
    console.log(old .. ' 改名为 ' .. name)
    send(client, '你的昵称已改为 ' .. name .. '\n')
    broadcast(client, '*** ' .. old .. ' 改名为 ' .. name .. '\n')
  else
    console.log(name .. ' 加入了聊天室')
    send(client, '你好, ' .. name .. '! 直接输入文字即可发言, 输入 /help 查看命令\n')
    broadcast(client, '*** ' .. name .. ' 加入了聊天室\n')
  end
end

local commands = {}

function commands.nick(client, arg) setName(client, arg) end

function commands.who(client)
  local list = {}
  for _, other in pairs(clients) do list[#list + 1] = other.name end
  table.sort(list) -- pairs() has no order; sorted, the answer is stable
  send(client, '在线用户 (' .. #list .. '): ' .. table.concat(list, ', ') .. '\n')
end

function commands.help(client) send(client, HELP) end

function commands.quit(client)
  send(client, '再见!\n')
  client.socket:end_() -- its 'close' announces the leave
end

local function handleLine(client, line)
  local cmd, arg = line:match('^/(%S*)%s*(.-)%s*$')
  if cmd then
    local command = commands[cmd]
    if command then return command(client, arg) end
    send(client, '未知命令: /' .. cmd .. ', 输入 /help 查看可用命令\n')
  elseif not client.name then
    setName(client, line)
  elseif line:find('%S') then -- blank lines are not worth sending
    broadcast(client, client.name .. ': ' .. line .. '\n')
  end
end

-- TCP is a byte stream: one 'data' may hold part of a line or several lines.
-- Keep what follows the last "\n" for the next read.
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
    else
      handleLine(client, (line:gsub('\r$', ''))) -- telnet ends lines "\r\n"
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
  local client = { socket = socket, buffer = '', discarding = false }
  clients[socket] = client
  socket:setEncoding('utf8') -- whole characters only: 中文 is never cut in two
  server:getConnections(function(err, count)
    if err then return end
    send(client, '欢迎来到聊天工作室! 当前在线人数: ' .. count .. '\n请输入你的昵称:\n')
  end)
  -- 接收客户端发送的消息
  socket:on('data', function(data) onData(client, data) end)
  socket:on('error', function(err)
    -- A client that vanished (ECONNRESET...): without this listener the
    -- error would be uncaught and stop the server. 'close' follows.
    console.log('连接出错: ' .. err.message)
  end)
  socket:on('close', function()
    clients[socket] = nil
    if client.name then
      console.log(client.name .. ' 离开了聊天室')
      broadcast(client, '*** ' .. client.name .. ' 离开了聊天室\n')
    end
  end)
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
