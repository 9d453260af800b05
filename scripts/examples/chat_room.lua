-- The room of 聊天工作室, shared by chat.lua (a 'data' listener that splits
-- lines) and chat_co.lua (a task per client, `for line in socket:lines()`):
-- who is in it, their nicknames, the commands, and what a line does. The
-- two examples only read lines and hand each one to room.handleLine.
--
--   local room = require('chat_room') -- found beside the script
--
-- A newcomer is asked for a nickname; from then on each line is sent to
-- everyone else as "nickname: text". Commands: /nick, /who, /help, /quit.
local console, pairs, table, utf8 = console, pairs, table, utf8

local M = {}

---The longest line a client may send, in bytes (without its "\n"); a
---longer one is refused with TOO_LONG, so that memory stays bounded.
M.MAX_LINE = 4096
---What a client gets for a line longer than MAX_LINE.
M.TOO_LONG = '消息太长 (超过 ' .. M.MAX_LINE .. ' 字节), 已丢弃\n'

local MAX_NAME = 16 -- characters in a nickname

local HELP = table.concat({
  '可用命令:',
  '  /nick 昵称  修改昵称',
  '  /who        查看在线用户',
  '  /help       显示本帮助',
  '  /quit       退出聊天室',
  '其他输入都会作为消息发给所有人.',
}, '\n') .. '\n'

---@class chat.Client
---@field socket net.Socket
---@field name string|nil nil until the user has picked one

-- One entry per connection, keyed by its socket. Only named users get the
-- chat and are listed by /who.
local clients = {}

---Writes text to the client, unless its socket is ending (after /quit, or
---after the peer's FIN) or destroyed: writing then would be an
---ERR_STREAM_WRITE_AFTER_END error.
---@param client chat.Client
---@param text string
function M.send(client, text)
  if client.socket.writable then client.socket:write(text) end
end
local send = M.send

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

---Adds a new connection to the room (unnamed: it gets no chat yet).
---@param client chat.Client a table with its socket; the caller may keep
---its own fields in it
---@return chat.Client client
function M.join(client)
  clients[client.socket] = client
  return client
end

---How many connections the room holds, named or not.
---@return integer
function M.size()
  local n = 0
  for _ in pairs(clients) do n = n + 1 end
  return n
end

---Welcomes a newcomer: how many are online (count, it included), and asks
---for its nickname.
---@param client chat.Client
---@param count integer
function M.greet(client, count)
  send(client, '欢迎来到聊天工作室! 当前在线人数: ' .. count .. '\n请输入你的昵称:\n')
end

---Takes the client out of the room, and tells the others it left if it
---had a name.
---@param client chat.Client
function M.leave(client)
  clients[client.socket] = nil
  if client.name then
    console.log(client.name .. ' 离开了聊天室')
    broadcast(client, '*** ' .. client.name .. ' 离开了聊天室\n')
  end
end

---Does what one line from the client says: a command, the client's
---nickname while it has none, else a message to everyone else.
---@param client chat.Client
---@param line string without its line ending
---@return boolean|nil quit true when the client is done (/quit, after
---"再见!"): the caller ends its connection
function M.handleLine(client, line)
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

return M
