-- repl_net: the REPL's socket-testing commands (.connect, .listen, .send,
-- .raw, .hex, .log, .replay, .sockets...), loaded the first time one of
-- them is typed. Each session numbers its connections and servers (1, 2,
-- ...; `sockets[n]` in Lua), prints what they receive above the prompt,
-- and records or replays it. lua/repl.lua hands it the commands it does
-- not know, and the lines typed in raw mode.
local net = require('net')
local process = require('process')

local setTimeout = require('timers').setTimeout

local type, tostring, tonumber, pairs, ipairs, pcall, select =
  type, tostring, tonumber, pairs, ipairs, pcall, select
local byte, char, format, find, sub, match, gsub, rep =
  string.byte, string.char, string.format, string.find, string.sub,
  string.match, string.gsub, string.rep
local concat, floor, max = table.concat, math.floor, math.max
local utf8char = utf8.char
local open = io.open
local clock = process.hrtime.bigint

local M = {}

---One line per command, for .help.
M.HELP = [[
.connect  Open a connection: .connect HOST PORT, or .connect PATH
.listen   Listen: .listen PORT [HOST], or .listen PATH; connections are numbered
.use      Make a connection the current one: .use ID
.send     Write to the current connection: .send TEXT (\r \n \t \0 \\ \xHH)
.crlf     Whether .send ends with \r\n: .crlf on|off (raw mode: on)
.raw      Raw mode: lines go to the current connection (.lua or Ctrl-] ends it)
.end      Half-close (send FIN, keep receiving): .end [ID]
.destroy  Close at once: .destroy [ID]
.reset    Close with a TCP RST: .reset [ID]
.hex      Hex dumps of what passes: .hex on|off, .hex ID on|off
.trace    Time stamps on what passes: .trace on|off
.log      Record every chunk as JSON lines: .log FILE, .log off
.replay   Send a log's > chunks again: .replay FILE [ID] [--fast]
.save     Save the lines typed in this session: .save FILE
.sockets  List the process's live handles (net.handles())
]]

-- ---- bytes as text -------------------------------------------------------

local NAMED = { ['\r'] = '\\r', ['\n'] = '\\n', ['\t'] = '\\t',
  ['\0'] = '\\0', ['\\'] = '\\\\' }

---repl_net.escape(s) -> s with every byte that is not printable ASCII
---written as a Lua escape: \r \n \t \0 \\ and \xHH (what .send reads).
---@param s string
---@return string
function M.escape(s)
  return (gsub(s, '[%c\\\128-\255]', function(c)
    return NAMED[c] or format('\\x%02X', byte(c))
  end))
end

local UNESCAPE = { r = '\r', n = '\n', t = '\t', ['0'] = '\0', ['\\'] = '\\' }

---repl_net.unescape(text) -> the bytes of text with its escapes \r \n \t
---\0 \\ \xHH read, or nil and a message naming the first bad escape.
---@param text string
---@return string|nil bytes
---@return string|nil err
function M.unescape(text)
  local out, i = {}, 1
  while true do
    local k = find(text, '\\', i, true)
    if not k then break end
    out[#out + 1] = sub(text, i, k - 1)
    local e = sub(text, k + 1, k + 1)
    if e == 'x' and find(text, '^%x%x', k + 2) then
      out[#out + 1] = char(tonumber(sub(text, k + 2, k + 3), 16))
      i = k + 4
    elseif UNESCAPE[e] then
      out[#out + 1] = UNESCAPE[e]
      i = k + 2
    else
      return nil, 'bad escape \\' .. (e == 'x' and sub(text, k + 1, k + 3)
        or e) .. ' (use \\r \\n \\t \\0 \\\\ \\xHH)'
    end
  end
  out[#out + 1] = sub(text, i)
  return concat(out)
end

-- The lines of a hex dump of s: offset, 16 bytes in hex, the printable.
local function hexdump(s)
  local lines = {}
  for at = 1, #s, 16 do
    local chunk = sub(s, at, at + 15)
    local hex = gsub(chunk, '.', function(c)
      return format('%02x ', byte(c))
    end)
    if #chunk > 8 then hex = sub(hex, 1, 24) .. ' ' .. sub(hex, 25) end
    lines[#lines + 1] = format('%08x  %-49s |%s|', at - 1, hex,
      (gsub(chunk, '[^\32-\126]', '.')))
  end
  return lines
end

-- ---- JSON lines ----------------------------------------------------------

-- A JSON string of the bytes of s: each byte is the character of the same
-- code (U+0000 to U+00FF), so that any bytes come back as they were.
local JSON_NAMED = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n',
  ['\r'] = '\\r', ['\t'] = '\\t' }

local function jsonString(s)
  return '"' .. gsub(s, '[%c"\\\127-\255]', function(c)
    return JSON_NAMED[c] or format('\\u%04x', byte(c))
  end) .. '"'
end

local JSON_ESC = { b = '\b', f = '\f', n = '\n', r = '\r', t = '\t',
  ['"'] = '"', ['\\'] = '\\', ['/'] = '/' }

-- The bytes of the JSON string that starts at s[i] (a quote), and the
-- index after it; nil when it is not one. \uXXXX up to 00FF is that byte
-- (as jsonString writes it), above it the character's UTF-8.
local function readJsonString(s, i)
  if sub(s, i, i) ~= '"' then return nil end
  local out, j = {}, i + 1
  while true do
    local k = find(s, '["\\]', j)
    if not k then return nil end
    out[#out + 1] = sub(s, j, k - 1)
    if sub(s, k, k) == '"' then return concat(out), k + 1 end
    local e = sub(s, k + 1, k + 1)
    if e == 'u' then
      local code = tonumber(sub(s, k + 2, k + 5), 16)
      if not code then return nil end
      out[#out + 1] = code < 256 and char(code) or utf8char(code)
      j = k + 6
    elseif JSON_ESC[e] then
      out[#out + 1] = JSON_ESC[e]
      j = k + 2
    else
      return nil
    end
  end
end

-- One record of a log line: { t, id, dir, data }, or nil.
local function readRecord(line)
  local t = tonumber(match(line, '"t"%s*:%s*(%-?[%d%.eE+%-]+)'))
  local dir = match(line, '"dir"%s*:%s*"([<>])"')
  local at = select(2, find(line, '"data"%s*:%s*'))
  local data = at and readJsonString(line, at + 1)
  if t and dir and data then
    return { t = t, id = tonumber(match(line, '"id"%s*:%s*(%d+)')),
      dir = dir, data = data }
  end
end

-- ---- a session's connections ---------------------------------------------

-- The state of session self: its entries by id ({ object, kind, t0, last,
-- hex }), the current id, the modes, the log file.
local function state(self)
  local st = self._net
  if not st then
    st = { entries = {}, n = 0, hex = false, trace = false }
    self._net = st
  end
  return st
end

local function now()
  return tonumber(clock()) / 1e6
end

local function say(self, text)
  self:_write(text .. '\n')
end

local function fmtMs(ms)
  return format('%.3f ms', ms)
end

-- Appends an object to the log, if one is open.
local function record(st, fields)
  if not st.log then return end
  local parts = { '"t": ' .. format('%.3f', fields.t) }
  for _, k in ipairs({ 'id', 'dir', 'event', 'data', 'address' }) do
    local v = fields[k]
    if v ~= nil then
      parts[#parts + 1] = '"' .. k .. '": ' ..
        (type(v) == 'number' and tostring(v) or jsonString(v))
    end
  end
  st.log:write('{', concat(parts, ', '), '}\n')
  st.log:flush()
end

-- Shows a chunk that passed on entry e in direction dir ('<' or '>'):
-- escaped text lines (with a heading in trace mode), or a hex dump.
local function show(self, st, e, dir, data)
  local t = now()
  local ms, gap = t - e.t0, e.last and t - e.last or 0
  e.last = t
  record(st, { t = ms, id = e.id, dir = dir, data = data })
  local hex = e.hex
  if hex == nil then hex = st.hex end
  local prefix = '[' .. e.id .. '] ' .. dir .. ' '
  local out = {}
  if hex or st.trace then
    out[1] = prefix .. fmtMs(ms) .. (st.trace and ' (+' .. fmtMs(gap) .. ')'
      or '') .. ', ' .. #data .. ' bytes'
  elseif dir == '>' then
    return -- what was sent is on the screen already
  end
  if hex then
    for _, line in ipairs(hexdump(data)) do out[#out + 1] = line end
  else
    local from = 1
    while from <= #data do
      local nl = find(data, '\n', from, true) or #data
      out[#out + 1] = prefix .. M.escape(sub(data, from, nl))
      from = nl + 1
    end
  end
  say(self, concat(out, '\n'))
end

local function hostPort(address, port)
  if not address then return '?' end
  if find(address, ':', 1, true) then address = '[' .. address .. ']' end
  return port and address .. ':' .. port or address
end

-- Numbers object (a Socket or a Server) in session self and makes it the
-- current one when it is a socket. Returns its entry.
local function add(self, object, kind)
  local st = state(self)
  st.n = st.n + 1
  local e = { id = st.n, object = object, kind = kind, t0 = now() }
  st.entries[e.id] = e
  self.sockets[e.id] = object
  if kind == 'socket' then st.current = e.id end
  return e
end

-- Announces what happens to a numbered socket.
local function watch(self, e, how)
  local st, s = state(self), e.object
  local function event(name, text)
    record(st, { t = now() - e.t0, id = e.id, event = name })
    say(self, '[' .. e.id .. '] ' .. text)
  end
  if how then
    record(st, { t = 0, id = e.id, event = 'open' })
  else
    s:on('connect', function()
      record(st, { t = now() - e.t0, id = e.id, event = 'open',
        address = hostPort(s.remoteAddress, s.remotePort) })
      say(self, '[' .. e.id .. '] connected to ' ..
        (s.remoteAddress and hostPort(s.remoteAddress, s.remotePort) or
          e.path))
    end)
  end
  s:on('data', function(data) show(self, st, e, '<', data) end)
  s:on('end', function()
    event('end', 'end: the peer will send no more (ours stays open: .end)')
  end)
  s:on('error', function(err)
    event('error', 'error: ' .. tostring(err.message or err))
  end)
  s:on('close', function() event('close', 'closed') end)
end

-- The entry of id (a string typed, or nil for the current one), or nil
-- after saying why there is none.
local function entry(self, id, kind)
  local st = state(self)
  local n = id and id ~= '' and tonumber(match(id, '^%[?(%d+)%]?$'))
  if id and id ~= '' and not n then
    say(self, 'Not a connection id: ' .. id .. ' (.sockets lists them)')
    return nil
  end
  n = n or st.current
  local e = n and st.entries[n]
  if not e then
    say(self, n and 'No connection [' .. n .. '] (.sockets lists them)' or
      'No connection yet: .connect HOST PORT or .listen PORT first')
    return nil
  end
  if kind and e.kind ~= kind then
    say(self, '[' .. n .. '] is a server, not a connection')
    return nil
  end
  return e
end

-- Writes data to entry e, or says why it cannot.
local function send(self, e, data)
  local s = e.object
  if s.destroyed or not s.writable then
    say(self, '[' .. e.id .. '] is ' .. (s.destroyed and 'closed' or
      'ended: it cannot write') .. ' (.use another)')
    return
  end
  show(self, state(self), e, '>', data)
  s:write(data)
end

local function onOff(self, word, what)
  if word == 'on' then return true end
  if word == 'off' then return false end
  say(self, 'Usage: ' .. what .. ' on|off')
end

-- ---- the commands --------------------------------------------------------

local commands = {}
M.commands = commands

-- .connect HOST PORT, .connect PORT (localhost), .connect PATH
function commands.connect(self, arg)
  local a, b = match(arg, '^(%S+)%s+(%S+)$')
  local options
  if a then
    options = { host = a, port = tonumber(b), allowHalfOpen = true }
    if not options.port then
      return say(self, 'Not a port: ' .. b)
    end
  elseif find(arg, '^%d+$') then
    options = { port = tonumber(arg), allowHalfOpen = true }
  elseif find(arg, '^%S+$') then
    options = { path = arg, allowHalfOpen = true }
  else
    return say(self, 'Usage: .connect HOST PORT, or .connect PATH')
  end
  local ok, s = pcall(net.connect, options)
  if not ok then
    return say(self, 'Cannot connect: ' .. tostring(s.message or s))
  end
  local e = add(self, s, 'socket')
  e.path = options.path
  watch(self, e)
end

-- .listen PORT [HOST], .listen PATH
function commands.listen(self, arg)
  local port, host = match(arg, '^(%d+)%s*(%S*)$')
  if not port and not find(arg, '^%S+$') then
    return say(self, 'Usage: .listen PORT [HOST], or .listen PATH')
  end
  local server = net.createServer({ allowHalfOpen = true })
  local e = add(self, server, 'server')
  server:on('connection', function(s)
    local c = add(self, s, 'socket')
    say(self, '[' .. c.id .. '] accepted from ' ..
      (s.remoteAddress and hostPort(s.remoteAddress, s.remotePort) or
        'a Unix socket') .. ' (by [' .. e.id .. '])')
    watch(self, c, 'accepted')
  end)
  server:on('listening', function()
    local a = server:address()
    say(self, '[' .. e.id .. '] listening on ' .. (type(a) == 'table' and
      hostPort(a.address, a.port) or tostring(a)))
  end)
  server:on('error', function(err)
    say(self, '[' .. e.id .. '] error: ' .. tostring(err.message or err))
  end)
  server:on('close', function() say(self, '[' .. e.id .. '] closed') end)
  local ok, err
  if port then
    ok, err = pcall(server.listen, server, tonumber(port),
      host ~= '' and host or nil)
  else
    ok, err = pcall(server.listen, server, arg)
  end
  if not ok then -- (the server is not kept: its number goes unused)
    state(self).entries[e.id], self.sockets[e.id] = nil, nil
    say(self, 'Cannot listen: ' .. tostring(err.message or err))
  end
end

-- .use ID: the current connection.
function commands.use(self, arg)
  local e = entry(self, arg ~= '' and arg or '?', 'socket')
  if e then
    state(self).current = e.id
    say(self, '[' .. e.id .. '] is the current connection')
  end
end

-- .send TEXT: its escapes read, then .crlf's ending, to the current one.
function commands.send(self, arg)
  local data, err = M.unescape(arg)
  if not data then return say(self, err) end
  local e = entry(self, nil, 'socket')
  if not e then return end
  if state(self).crlf then data = data .. '\r\n' end
  send(self, e, data)
end

-- .crlf on|off: whether .send (off) and raw mode (on) end with \r\n.
function commands.crlf(self, arg)
  local v = onOff(self, arg, '.crlf')
  if v ~= nil then state(self).crlf = v end
end

-- .raw: raw mode (M.rawLine), on the current connection.
function commands.raw(self)
  local st = state(self)
  if not entry(self, nil, 'socket') then return end
  self._raw = true
  say(self, '// Raw mode: lines go to [' .. st.current .. ']' ..
    (st.crlf == false and '' or ' with \\r\\n') .. '; .lua or Ctrl-] returns')
end

-- .end [ID]: FIN (socket:end_()); the connection still receives.
commands['end'] = function(self, arg)
  local e = entry(self, arg, 'socket')
  if not e then return end
  record(state(self), { t = now() - e.t0, id = e.id, event = 'fin' })
  e.object:end_()
  say(self, '[' .. e.id .. '] FIN sent: this side will write no more; ' ..
    'it still receives')
end

-- .destroy [ID]: a socket's destroy(), a server's close().
function commands.destroy(self, arg)
  local e = entry(self, arg)
  if not e then return end
  if e.kind == 'server' then e.object:close() else e.object:destroy() end
end

-- .reset [ID]: an RST (socket:resetAndDestroy()).
function commands.reset(self, arg)
  local e = entry(self, arg, 'socket')
  if not e then return end
  local ok, err = pcall(e.object.resetAndDestroy, e.object)
  if not ok then say(self, 'Cannot reset: ' .. tostring(err.message or err)) end
end

-- .hex on|off (every connection), .hex ID on|off (one).
function commands.hex(self, arg)
  local id, word = match(arg, '^(%S+)%s+(%S+)$')
  if id then
    local e = entry(self, id)
    local v = e and onOff(self, word, '.hex ID')
    if v ~= nil then e.hex = v end
  else
    local v = onOff(self, arg, '.hex')
    if v ~= nil then state(self).hex = v end
  end
end

-- .trace on|off: a heading with times on every chunk.
function commands.trace(self, arg)
  local v = onOff(self, arg, '.trace')
  if v ~= nil then state(self).trace = v end
end

-- .log FILE (appended to), .log off.
function commands.log(self, arg)
  local st = state(self)
  if st.log then st.log:close() end
  st.log = nil
  if arg == 'off' then return end
  if arg == '' then return say(self, 'Usage: .log FILE, or .log off') end
  local f, err = open(arg, 'ab')
  if not f then return say(self, 'Cannot log: ' .. err) end
  st.log = f
  say(self, 'Logging to ' .. arg .. ' (.log off stops)')
end

-- .replay FILE [ID] [--fast]: the > chunks of the log, with their gaps.
function commands.replay(self, arg)
  local fast = false
  arg = gsub(arg, '%s*%-%-fast%f[%s%z]', function() fast = true return '' end)
  local path, id = match(arg, '^(%S+)%s*(%S*)$')
  if not path then return say(self, 'Usage: .replay FILE [ID] [--fast]') end
  local f, err = open(path, 'rb')
  if not f then return say(self, 'Cannot replay: ' .. err) end
  local text = f:read('a') -- (nil for a directory)
  f:close()
  if not text then
    return say(self, 'Cannot replay: ' .. path .. ': not a file')
  end
  local chunks, bytes = {}, 0
  for line in text:gmatch('[^\n]+') do
    local r = readRecord(line)
    if r and r.dir == '>' then
      chunks[#chunks + 1] = r
      bytes = bytes + #r.data
    end
  end
  local e = entry(self, id, 'socket')
  if not e then return end
  say(self, '[' .. e.id .. '] replaying ' .. #chunks .. ' chunks, ' ..
    bytes .. ' bytes' .. (fast and '' or ' with their gaps'))
  local i = 0
  local function step()
    i = i + 1
    local r = chunks[i]
    if not r then return say(self, '[' .. e.id .. '] replay done') end
    send(self, e, r.data)
    local nextOne = chunks[i + 1]
    if fast or not nextOne then return step() end
    setTimeout(step, max(0, nextOne.t - r.t))
  end
  step()
end

-- .save FILE: the lines typed in this session, as Node's .save.
function commands.save(self, arg)
  local f = arg ~= '' and open(arg, 'wb')
  if not f then return say(self, 'Failed to save: ' .. arg) end
  local lines = self._lines or {}
  f:write(concat(lines, '\n', 1, max(0, #lines - 1)), '\n')
  f:close()
  say(self, 'Session saved to: ' .. arg)
end

-- ---- .sockets ----------------------------------------------------------

local function ago(ms)
  if not ms then return '-' end
  if ms < 1000 then return floor(ms) .. 'ms' end
  return format('%.1fs', ms / 1000)
end

-- .sockets: net.handles() as a table, with each handle's number.
function commands.sockets(self)
  local st = state(self)
  local ids = {}
  for id, e in pairs(st.entries) do ids[e.object] = id end
  local rows = { { 'id', 'kind', 'state', 'local', 'remote', 'read',
    'written', 'age', 'ref' } }
  for _, h in ipairs(net.handles()) do
    local id = ids[h.object]
    local age = h.age
    if id and not age then age = now() - st.entries[id].t0 end
    rows[#rows + 1] = { id and tostring(id) or '-', h.kind,
      h.state or '-', h.localAddress or '-', h.remoteAddress or '-',
      h.bytesRead and tostring(h.bytesRead) or '-',
      h.bytesWritten and tostring(h.bytesWritten) or '-', ago(age),
      h.ref == nil and '?' or h.ref and 'yes' or 'no' }
  end
  local widths = {}
  for _, row in ipairs(rows) do
    for i, v in ipairs(row) do
      widths[i] = max(widths[i] or 0, #v)
    end
  end
  local out = {}
  for _, row in ipairs(rows) do
    local cells = {}
    for i, v in ipairs(row) do
      cells[i] = v .. rep(' ', widths[i] - #v)
    end
    out[#out + 1] = (gsub(concat(cells, '  '), '%s+$', ''))
  end
  say(self, concat(out, '\n'))
end

-- ---- raw mode ----------------------------------------------------------

---repl_net.rawLine(session, line): a line typed in raw mode: `.lua`
---leaves it, anything else goes to the current connection with the
---.crlf ending (on unless `.crlf off`).
function M.rawLine(self, line)
  if find(line, '^%s*%.lua%s*$') then return M.leaveRaw(self) end
  local st = state(self)
  local e = entry(self, nil, 'socket')
  if not e then
    self._raw = nil
    return
  end
  send(self, e, line .. (st.crlf == false and '' or '\r\n'))
end

---repl_net.leaveRaw(session): back to Lua (`.lua`, Ctrl-]).
function M.leaveRaw(self)
  self._raw = nil
  say(self, '// Back to Lua')
end

---repl_net.rawPrompt(session) -> the prompt of raw mode: `[ID] raw> `.
function M.rawPrompt(self)
  return '[' .. tostring(state(self).current) .. '] raw> '
end

return M
