-- 聊天工作室 as sequential code: the chat room of chat.lua, with one task
-- per client that reads `for line in socket:lines()` instead of a 'data'
-- listener that splits lines. Same commands, messages and limits:
--
--   build/luanet scripts/examples/chat_co.lua [port]    (port 8000 by default)
--   nc localhost 8000            (or: telnet localhost 8000)
--
-- The main chunk is a task too: it waits for 'listening', then accepts
-- the connections one by one with server:accept().
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

-- One entry per connection, keyed by its socket: { socket, name }. name
-- stays nil until the user has picked one; only named users get the chat
-- and are listed by /who.
local clients = {}

local function send(client, text)
  -- A socket that is ending (after /quit) or destroyed is not writable.
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

-- The commands; one that returns true ends the connection.
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
  return true
end

-- Returns true when the client is done (/quit).
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
        if handleLine(client, line) then return end
      end
    end)
    if ok then return end
    if type(err) ~= 'table' or err.code ~= 'ERR_READ_TOO_LONG' then
      return console.log('连接出错: ' .. tostring(err.message or err))
    end
    send(client, TOO_LONG)
    skipLine(client.socket)
  end
end

-- One client's task, from its greeting to its leave.
local function serve(socket, count)
  local client = { socket = socket }
  clients[socket] = client
  send(client, '欢迎来到聊天工作室! 当前在线人数: ' .. count .. '\n请输入你的昵称:\n')
  chat(client)
  clients[socket] = nil
  if client.name then
    console.log(client.name .. ' 离开了聊天室')
    broadcast(client, '*** ' .. client.name .. ' 离开了聊天室\n')
  end
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
  local online = 1
  for _ in pairs(clients) do online = online + 1 end
  net.spawn(serve, socket, online)
end
