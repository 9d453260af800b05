-- repl_attach: a running script's REPL on a Unix socket (repl.listen),
-- and the terminal side of `luanet --attach PATH`. A client that sends
-- the line HELLO first speaks in frames; anything else (`nc -U PATH`) is
-- a session of plain lines. docs/repl.md describes the protocol:
--
--   client -> server   HELLO, then frames: l (a line), c (complete the
--                      word), i (Ctrl-C), d (Ctrl-D in editor mode)
--   server -> client   WELCOME, then frames: o (output), p (the prompt,
--                      after '-' or 'e' for editor mode: the session is
--                      ready for a line), c (the completions, one a line),
--                      x (the session ended)
--
-- A frame is its type (one letter), the payload's length in bytes in
-- decimal, ':', and the payload.
local net = require('net')
local process = require('process')

local type, tostring, tonumber, setmetatable = type, tostring, tonumber,
  setmetatable
local find, sub, match = string.find, string.sub, string.match
local concat = table.concat

local M = {}

local HELLO = '\27luanet-attach 1'
local WELCOME = '\27luanet-attached 1\n'
M.HELLO, M.WELCOME = HELLO, WELCOME

local function frame(kind, payload)
  return kind .. #payload .. ':' .. payload
end

-- A reader of frames: feed(data) calls onFrame(kind, payload) for each
-- whole frame; returns false on a malformed one.
local function frameReader(onFrame)
  local buf = ''
  return function(data)
    buf = buf .. data
    while true do
      local kind, len, at = match(buf, '^(%a)(%d+):()')
      if not kind then
        return #buf < 24 and find(buf, '^%a?%d*$') ~= nil
      end
      len = tonumber(len)
      if #buf < at + len - 1 then return true end
      local payload = sub(buf, at, at + len - 1)
      buf = sub(buf, at + len)
      onFrame(kind, payload)
    end
  end
end

-- ---- the script's side: repl.listen --------------------------------------

-- Serves session over socket in frames (an attached client).
local function serveFramed(session, socket)
  local function send(kind, payload)
    if not socket.destroyed and socket.writable then
      socket:write(frame(kind, payload))
    end
  end
  session.output = { write = function(_, s) send('o', s) end }
  session.displayPrompt = function(self)
    send('p', (self.editor and 'e' or '-') .. self:getPrompt())
  end
  local feed = frameReader(function(kind, payload)
    if kind == 'l' then
      session:_input(payload)
    elseif kind == 'c' then
      local ok, list = pcall(session.complete, session, payload)
      send('c', ok and concat(list, '\n') or '')
    elseif kind == 'i' then
      local busy = session.busy
      session:_interrupt()
      if not busy then session:displayPrompt() end
    elseif kind == 'd' and session.editor then
      session:_input('\4')
    end
  end)
  socket:write(WELCOME)
  session:displayPrompt()
  return feed
end

---repl.listen(path[, options]) -> Server: offers the REPL of the running
---script on a Unix socket at path (mode 0600: its owner only), one
---session per connection: `luanet --attach path` for a terminal with line
---editing, history and completion, or `nc -U path` for plain lines. A
---session that ends (.exit, the client leaves) ends its connection; the
---script goes on. options: prompt ('> '). Raises as server:listen does;
---'error' is emitted on the server.
function M.listen(path, options)
  local repl = require('repl')
  local prompt = type(options) == 'table' and options.prompt or nil
  local server = net.createServer(function(socket)
    local session = repl.start({ output = socket, prompt = prompt })
    local framed, feed, pending = false, nil, ''
    session:on('exit', function()
      if framed and socket.writable then socket:write(frame('x', '')) end
      if not socket.destroyed then socket:end_() end
    end)
    session:on('error', function() end)
    session:displayPrompt()
    local first = true
    socket:on('data', function(data)
      if framed then
        if not feed(data) then socket:destroy() end
        return
      end
      pending = pending .. data
      while not session.closed do
        local nl = find(pending, '\n', 1, true)
        if not nl then break end
        local line = sub(pending, 1, nl - 1)
        pending = sub(pending, nl + 1)
        if sub(line, -1) == '\r' then line = sub(line, 1, -2) end
        if first and line == HELLO then
          framed = true
          feed = serveFramed(session, socket)
          local rest = pending
          pending = ''
          if rest ~= '' and not feed(rest) then socket:destroy() end
          return
        end
        first = false
        session:_input(line)
      end
    end)
    socket:on('end', function() session:close() end)
    socket:on('error', function() session:close() end)
  end)
  -- mode 0600 (the socket is made as the umask says: 0755 by default,
  -- which lets no one else connect either, 0775 with umask 002)
  server:on('listening', function()
    os.execute("chmod 600 -- '" .. path:gsub("'", "'\\''") .. "'")
  end)
  server:listen(path)
  return server
end

-- ---- the terminal's side: luanet --attach --------------------------------

local Attached = {}
Attached.__index = Attached

-- Ends the session: the terminal REPL (bindings/repl.c) stops.
function Attached:_end(message)
  if self.closed then return end
  self.closed = true
  if message then process.stderr:write(message .. '\n') end
  if not self.socket.destroyed then self.socket:destroy() end
  if self._onIdle then self._onIdle() end
end

function Attached:_send(kind, payload)
  if not self.closed then self.socket:write(frame(kind, payload)) end
end

---attached:_line(line): sends a line to the remote session (`.exit`
---detaches here); the REPL waits for the remote's next prompt.
function Attached:_line(line)
  if find(line, '^%s*%.exit%s*$') then return self:_end() end
  local busy = { cancel = function() self:_send('i', '') end }
  self.busy = busy
  self:_send('l', line)
end

---attached:_finishEditor(): Ctrl-D in editor mode, sent on.
function Attached:_finishEditor()
  if self.editor then
    self.busy = {}
    self:_send('d', '')
  end
end

---attached:_interrupt() -> whether there was anything to clear: Ctrl-C,
---sent on to the remote session.
function Attached:_interrupt()
  if self.busy then
    self:_send('i', '')
    return true
  end
  local had = self.prompt ~= self.basePrompt or self.editor ~= nil
  self.prompt, self.editor = self.basePrompt, nil
  self:_send('i', '')
  return had
end

---attached:_leaveRaw() -> whether the remote was in raw mode (its
---prompt says so): Ctrl-] sends `.lua`, which leaves it.
function Attached:_leaveRaw()
  if self.busy or not find(self.prompt, 'raw> $') then return false end
  self:_line('.lua')
  return true
end

---attached:getPrompt() -> the remote session's prompt.
function Attached:getPrompt()
  return self.prompt
end

---attached:displayPrompt(): without a terminal, writes the prompt.
function Attached:displayPrompt()
  process.stdout:write(self.prompt)
end

---attached:complete(word) -> nil: asks the remote session; its answer
---goes to self._completed(word, list) (bindings/repl.c).
function Attached:complete(word)
  self._word = word
  self:_send('c', word)
  return nil
end

function Attached:_frame(kind, payload)
  if kind == 'o' then
    process.stdout:write(payload)
  elseif kind == 'p' then
    self.editor = sub(payload, 1, 1) == 'e' or nil
    self.prompt = sub(payload, 2)
    if not self.basePrompt then self.basePrompt = self.prompt end
    if self.busy then
      self.busy = nil
      if self._onIdle then self._onIdle() end
    end
  elseif kind == 'c' then
    local list = {}
    for name in payload:gmatch('[^\n]+') do list[#list + 1] = name end
    if self._completed then self._completed(self._word or '', list) end
  elseif kind == 'x' then
    self:_end()
  end
end

---repl_attach.connect(path) -> a session for the terminal REPL
---(bindings/repl.c) whose lines run in the REPL that a script offers at
---path with repl.listen. It ends when the remote session does, or when
---the connection fails (a line on standard error, exit status 1).
function M.connect(path)
  local self = setmetatable({ prompt = '> ', basePrompt = nil }, Attached)
  local socket = net.connect(path)
  self.socket = socket
  local welcomed, before = false, ''
  local feed = frameReader(function(kind, payload)
    self:_frame(kind, payload)
  end)
  socket:on('data', function(data)
    if not welcomed then
      before = before .. data
      local at = find(before, WELCOME, 1, true)
      if not at then return end
      welcomed = true
      data = sub(before, at + #WELCOME)
      before = nil
    end
    if not feed(data) then
      self:_end('luanet: the attached REPL sent garbage')
    end
  end)
  socket:on('error', function(err)
    process.exitCode = 1
    self:_end('luanet: cannot attach to ' .. path .. ': ' ..
      tostring(err.message or err))
  end)
  socket:on('close', function() self:_end() end)
  socket:write(HELLO .. '\n')
  self.busy = {} -- until the remote's first prompt
  return self
end

return M
