-- repl: read-eval-print sessions, as Node's repl module. A session takes
-- lines and evaluates them as Lua 5.4's own interpreter does (a line is
-- tried first as an expression, so `1 + 1` prints 2; an unfinished chunk
-- waits for more lines) and prints every value with util.inspect.
-- Sessions share the globals; each has its own `_` and its own top-level
-- locals. The terminal REPL (bindings/repl.c) feeds a session the lines
-- libedit reads; repl.start({ input = socket, output = socket }) serves one
-- over any stream.
local EventEmitter = require('events')
local errors = require('errors')
local task = require('task')
local util = require('util')

local type, tostring, select, pcall, xpcall, load = type, tostring, select,
  pcall, xpcall, load
local setmetatable, getmetatable, rawget, rawset, pairs, ipairs, next =
  setmetatable, getmetatable, rawget, rawset, pairs, ipairs, next
local find, sub, match = string.find, string.sub, string.match
local concat, sort = table.concat, table.sort
local inspect = util.inspect

local M = {}

local KEYWORDS = {}
for k in ([[and break do else elseif end false for function goto if in
  local nil not or repeat return then true until while]]):gmatch('%a+') do
  KEYWORDS[k] = true
end

local function isName(s)
  return find(s, '^[%a_][%w_]*$') ~= nil and not KEYWORDS[s]
end

-- ---- top-level locals -----------------------------------------------------

-- Calls fn(token, first, last) for each token of the Lua source s that
-- can matter to finding its top-level `local` statements: names,
-- keywords and punctuation. Strings, comments and numbers are skipped.
local function scan(s, fn)
  local i, n = 1, #s
  while i <= n do
    local c = sub(s, i, i)
    local e
    if find(c, '%s') then
      e = i
    elseif c == '-' and sub(s, i + 1, i + 1) == '-' then
      local eq = match(s, '^%[(=*)%[', i + 2)
      e = eq and select(2, find(s, ']' .. eq .. ']', i + 2, true))
        or find(s, '\n', i, true) or n
    elseif c == '[' and find(s, '^%[=*%[', i) then
      local eq = match(s, '^%[(=*)%[', i)
      e = select(2, find(s, ']' .. eq .. ']', i, true)) or n
    elseif c == '"' or c == "'" then
      -- to the closing quote (or the line's end), leaping over escapes
      local stop = c == '"' and '[\\"\n]' or "[\\'\n]"
      e = find(s, stop, i + 1) or n
      while e < n and sub(s, e, e) == '\\' do
        e = find(s, stop, e + 2) or n
      end
    elseif find(c, '[%a_]') then
      e = select(2, find(s, '^[%w_]*', i + 1))
      fn(sub(s, i, e), i, e)
    elseif find(s, '^%.?%d', i) then
      e = select(2, find(s, '^%.?[%w_%.]*', i))
    else
      local op = match(s, '^%.%.%.', i) or match(s, '^[=~<>:/%.]=?', i) or c
      if op == '<' or op == '>' then op = match(s, '^[<>][<>]?', i) end
      e = i + #op - 1
      fn(op, i, e)
    end
    i = e + 1
  end
end

-- The name under which a chunk's hoisted locals are stored.
local LOCALS = '_REPL_LOCALS'

local OPENS = { ['function'] = true, ['do'] = true, ['if'] = true,
  ['repeat'] = true }
local CLOSES = { ['end'] = true, ['until'] = true }

-- s with its top-level `local` statements turned into assignments to the
-- session's own fields, so that later lines still see them, as Node's REPL
-- keeps a line's `let` for the next: `local a, b <const> = 1, 2` becomes
-- `_REPL_LOCALS.a, _REPL_LOCALS.b = 1, 2`, `local x` becomes
-- `_REPL_LOCALS.x = nil` and `local function f` becomes
-- `function _REPL_LOCALS.f`.
local function hoist(s)
  local toks = {}
  scan(s, function(t, first, last) toks[#toks + 1] = { t, first, last } end)
  local out, from, depth, k = {}, 1, 0, 1
  while k <= #toks do
    local t = toks[k][1]
    if OPENS[t] then
      depth = depth + 1
    elseif CLOSES[t] then
      depth = depth - 1
    elseif t == 'local' and depth == 0 then
      local at = toks[k][2]
      local f, name = toks[k + 1], toks[k + 2]
      if f and f[1] == 'function' and name and isName(name[1]) then
        out[#out + 1] = sub(s, from, at - 1) .. 'function ' .. LOCALS .. '.'
        from = name[2]
        depth = depth + 1
        k = k + 2
      else
        local names, j, stop = {}, k + 1, nil
        while toks[j] and isName(toks[j][1]) do
          names[#names + 1] = LOCALS .. '.' .. toks[j][1]
          stop = toks[j][3]
          j = j + 1
          if toks[j] and toks[j][1] == '<' and toks[j + 2] then -- <const>
            stop = toks[j + 2][3]
            j = j + 3
          end
          if not (toks[j] and toks[j][1] == ',') then break end
          j = j + 1
        end
        if stop then
          out[#out + 1] = sub(s, from, at - 1) .. concat(names, ', ')
          if toks[j] and toks[j][1] == '=' then
            from = stop + 1
          else
            out[#out + 1] = ' = nil'
            from = stop + 1
          end
          k = j - 1
        end
      end
    end
    k = k + 1
  end
  if from == 1 then return s end -- no local: not a copy of a long line
  out[#out + 1] = sub(s, from)
  return concat(out)
end
M._hoist = hoist

-- ---- evaluation ------------------------------------------------------------

-- Node's REPL has its built-in modules as globals: `net.createServer`
-- works at the prompt without a require.
local BUILTINS = { 'assert', 'events', 'net', 'repl', 'timers', 'util' }

local function global(_, k)
  local v = _G[k]
  if v == nil then
    for _, name in ipairs(BUILTINS) do
      if k == name then return require(name) end
    end
  end
  return v
end

-- A session's environment: its own fields (`_`, hoisted locals) first,
-- then the globals and the built-in modules; assignments to any other
-- name go to the globals.
local function newEnv()
  local env = setmetatable({}, { __index = global, __newindex = _G })
  rawset(env, LOCALS, setmetatable({}, {
    __index = env,
    __newindex = function(_, k, v) rawset(env, k, v) end,
  }))
  return env
end

-- The function of chunk, or nil and the error, or nil and true when the
-- chunk is unfinished: its error is at its end, as lua.c's incomplete()
-- says, read as an expression (`1 +`) or as statements (`x = 1 +`).
local function compile(chunk, env)
  local source = hoist(chunk)
  local f, asExpression = load('return ' .. source, '=repl', 't', env)
  if f then return f end
  local err
  f, err = load(source, '=repl', 't', env)
  if f then return f end
  if sub(err, -5) == '<eof>' or sub(asExpression, -5) == '<eof>' then
    return nil, true
  end
  return nil, err
end

local REPLServer = setmetatable({ __name = 'REPLServer' },
  { __index = EventEmitter })
REPLServer.__index = REPLServer

local HELP = [[
.break    Leave the unfinished chunk
.editor   Enter editor mode: a chunk of several lines, ended by Ctrl-D
.exit     Exit the REPL
.help     Print this help message
.load     Load a Lua file into the session: .load FILE
]]

-- The socket-testing commands (lua/repl_net.lua), loaded when first used.
local function netCommands()
  return require('repl_net')
end

function REPLServer:_write(s)
  if not self.closed then self.output:write(s) end
end

-- Prints the results of an evaluation and keeps the first in `_`.
function REPLServer:_print(n, ...)
  if n == 0 then return end
  local shown = {}
  for i = 1, n do shown[i] = inspect((select(i, ...))) end
  rawset(self.env, '_', (...))
  self:_write(concat(shown, '\t') .. '\n')
end

-- Runs f as a task (lua/task.lua), so that the line may wait: its values
-- are printed when it ends, or its error as Node's REPL prints an uncaught
-- one. While it waits it is self.busy; the prompt and the lines that came
-- meanwhile wait for its end (self:_idle()).
function REPLServer:_run(f)
  local line
  line = task.spawnWith(function(ok, ...)
    local waited = line ~= nil and self.busy == line
    if waited then self.busy = nil end
    if ok then
      self:_print(select('#', ...), ...)
    elseif ok == false then
      self:_write(require('host').describe(...))
    end -- (nil: cancelled, by Ctrl-C)
    if waited then self:_idle() end
  end, f)
  if not line.done then self.busy = line end
end

-- The line that waited has ended: the terminal (bindings/repl.c) is told,
-- or a stream's session writes the prompt and takes the lines that came
-- meanwhile.
function REPLServer:_idle()
  if self._onIdle then return self._onIdle() end
  if self.closed then return end
  self:displayPrompt()
  local queue = self._queue
  while queue and queue.first <= queue.last and not self.busy and
      not self.closed do
    local line = queue[queue.first]
    queue[queue.first] = nil
    queue.first = queue.first + 1
    self:_input(line)
  end
end

-- Evaluates chunk, or keeps it when unfinished. Returns whether it was.
-- A chunk of several lines that ends in an expression (from .editor or
-- .load) gives that expression's values, as Node's editor mode does.
function REPLServer:_eval(chunk)
  local f, err = compile(chunk, self.env)
  if err == true then return false end
  if not f then -- the last line, trimmed, as an expression
    local nl = match(chunk, '^.*()\n')
    local last = nl and match(chunk, '^%s*(.*%S)', nl + 1)
    if last then
      f = compile(sub(chunk, 1, nl) .. 'return ' .. last, self.env)
    end
  end
  if f then
    self:_run(f)
  else -- and the fix of a Node slip such as socket:end(), if it is one
    local hint = errors.keywordHint(err, chunk)
    self:_write(require('host').describe(err) .. (hint and hint .. '\n' or ''))
  end
  return true
end

local commands = {}

function commands.help(self)
  self:_write(HELP .. netCommands().HELP)
end

function commands.exit(self)
  self:close()
end

commands['break'] = function(self)
  self.buffer = nil
end

function commands.editor(self)
  self.editor = {}
  self:_write('// Entering editor mode (Ctrl+D to finish, Ctrl+C to cancel)\n')
end

-- .load FILE, with Node's messages: "Failed to load: FILE" when it cannot
-- be opened, "... is not a valid file" when it cannot be read (a
-- directory opens, but does not read).
function commands.load(self, path)
  local f = path ~= '' and io.open(path, 'rb')
  if not f then
    self:_write('Failed to load: ' .. path .. '\n')
    return
  end
  local chunk = f:read('a')
  f:close()
  if not chunk then
    self:_write('Failed to load: ' .. path .. ' is not a valid file\n')
    return
  end
  if not self:_eval(chunk) then
    self:_write('Failed to load: ' .. path .. ': unfinished chunk\n')
  end
end

---repl:_line(line): one line of input (without its newline): a command
---(.help, .exit, .load FILE, .editor, .break), or Lua, evaluated once the
---chunk it ends is complete.
function REPLServer:_line(line)
  local lines = self._lines
  lines[#lines + 1] = line
  if self._raw then return netCommands().rawLine(self, line) end
  if self.editor then
    self.editor[#self.editor + 1] = line
    return
  end
  local name, arg = match(line, '^%s*%.(%a+)()')
  arg = name and (match(line, '^%s*(.*%S)', arg) or '')
  if name and commands[name] then return commands[name](self, arg) end
  local command = name and not self.buffer and netCommands().commands[name]
  if command then return command(self, arg) end
  if name and not self.buffer then
    self:_write('Invalid REPL keyword\n')
    return
  end
  local chunk = self.buffer and self.buffer .. '\n' .. line or line
  if find(chunk, '^%s*$') then return end
  self.buffer = not self:_eval(chunk) and chunk or nil
end

-- One line read from a stream: Ctrl-D ends editor mode, anything else is
-- a line; then the prompt. What the session's own code raises is written
-- as an uncaught error, as Node's REPL domain catches it: it never
-- reaches the stream's listener, and so never ends the process.
function REPLServer:_input(line)
  if self.busy then -- after the line that waits
    local queue = self._queue or { first = 1, last = 0 }
    self._queue = queue
    queue.last = queue.last + 1
    queue[queue.last] = line
    return
  end
  local trace
  local ok, err = xpcall(function()
    if self.editor and line == '\4' then
      self:_finishEditor()
    else
      self:_line(line)
    end
  end, function(e)
    trace = debug.traceback('', 2)
    return e
  end)
  if not ok then self:_write(require('host').describe(err, trace)) end
  if not self.busy then self:displayPrompt() end
end

---repl:_finishEditor(): evaluates what editor mode collected (Ctrl-D).
function REPLServer:_finishEditor()
  local lines = self.editor
  self.editor = nil
  if lines and #lines > 0 then self:_eval(concat(lines, '\n')) end
end

---repl:_interrupt() -> whether there was anything to clear: Ctrl-C
---cancels the line that waits, or drops the unfinished chunk or editor
---mode.
function REPLServer:_interrupt()
  if self.busy then
    self.busy:cancel()
    return true
  end
  local had = self.buffer ~= nil or self.editor ~= nil
  self.buffer, self.editor = nil, nil
  return had
end

---repl:_leaveRaw() -> whether raw mode was on: Ctrl-] leaves it.
function REPLServer:_leaveRaw()
  if not self._raw then return false end
  self._raw = nil
  return true
end

---repl:getPrompt() -> the prompt for the next line: the session's, or
---'... ' inside an unfinished chunk, or '' in editor mode.
function REPLServer:getPrompt()
  if self._raw then return netCommands().rawPrompt(self) end
  if self.editor then return '' end
  return self.buffer and '... ' or self.prompt
end

---repl:displayPrompt(): writes the prompt to the output.
function REPLServer:displayPrompt()
  self:_write(self:getPrompt())
end

---repl:close(): ends the session; 'exit' follows. The input and output
---are left as they are (Node's REPLServer.close).
function REPLServer:close()
  if self.closed then return end
  self.closed = true
  if self._detach then self._detach() end
  self:emit('exit')
end

-- ---- completion ------------------------------------------------------------

-- The methods table and the getters of a userdata class of the bindings
-- (lnb_class: __index is a C closure over both), or of a table class.
local function classTables(v)
  local mt = getmetatable(v)
  if type(mt) ~= 'table' then return end
  local index = rawget(mt, '__index')
  if type(index) == 'table' then return index end
  if type(index) == 'function' then
    local _, methods = debug.getupvalue(index, 1)
    local _, getters = debug.getupvalue(index, 2)
    return type(methods) == 'table' and methods or nil,
      type(getters) == 'table' and getters or nil
  end
end

-- Adds to names the identifier keys of t and of its __index chain.
local function addKeys(names, t, methodsOnly, seen)
  seen = seen or {}
  if type(t) ~= 'table' or seen[t] then return end
  seen[t] = true
  for k, v in next, t do
    if type(k) == 'string' and isName(k) and
        (not methodsOnly or type(v) == 'function' or (type(v) == 'table'
          and getmetatable(v) and getmetatable(v).__call)) then
      names[k] = true
    end
  end
  local methods = classTables(t)
  addKeys(names, methods, methodsOnly, seen)
end

-- The names reachable after `value.` (or `value:` for methods only).
local function members(value, methodsOnly)
  local names = {}
  if type(value) == 'table' then
    addKeys(names, value, methodsOnly)
  elseif type(value) == 'userdata' then
    local methods, getters = classTables(value)
    addKeys(names, methods, methodsOnly)
    if not methodsOnly and getters then
      for k in pairs(getters) do
        if isName(k) then names[k] = true end
      end
    end
  elseif type(value) == 'string' then
    addKeys(names, string, methodsOnly)
  end
  return names
end

---repl:complete(word) -> a sorted list of the completions of word: a
---name (`pri`), a field path (`net.cr`) or a method (`socket:se`), each
---the whole word completed.
function REPLServer:complete(word)
  local path, sep, prefix = match(word, '^(.-)([%.:])([%w_]*)$')
  local names
  if path and path ~= '' then
    local value = self.env
    for part in path:gmatch('[^%.]+') do
      if not isName(part) then return {} end
      local ok, v = pcall(function() return value[part] end)
      if not ok or v == nil then return {} end
      value = v
    end
    names = members(value, sep == ':')
  else
    prefix, path, sep = word, '', ''
    names = {}
    addKeys(names, self.env)
    addKeys(names, _G)
    for _, k in ipairs(BUILTINS) do names[k] = true end
    for k in pairs(KEYWORDS) do names[k] = true end
  end
  local list = {}
  for name in pairs(names) do
    if sub(name, 1, #prefix) == prefix and name ~= LOCALS then
      list[#list + 1] = path .. sep .. name
    end
  end
  sort(list)
  return list
end

-- ---- sessions -----------------------------------------------------------

---repl.start([options]) -> REPLServer: a session. options: prompt ('> '),
---input (a stream with 'data' and 'end', e.g. a Socket: lines are read
---from it), output (anything with write(s); defaults to input or
---process.stdout). A string is taken as the prompt. Several sessions may
---run at once; they share the globals, each with its own `_` and locals.
---Raises ERR_INVALID_ARG_TYPE for options that are not a table.
function M.start(options)
  if type(options) == 'string' then options = { prompt = options } end
  if options == nil then options = {} end
  errors.validateTable(options, 'options')
  local input = options.input
  local self = setmetatable({
    prompt = options.prompt ~= nil and tostring(options.prompt) or '> ',
    input = input,
    output = options.output or input or require('process').stdout,
    env = newEnv(),
    sockets = {}, -- its numbered connections (lua/repl_net.lua)
    _lines = {},  -- the lines typed, for .save
  }, REPLServer)
  rawset(self.env, 'sockets', self.sockets)
  if input ~= nil then
    -- The line being received, in pieces: each piece is searched once and
    -- joined once, so a long line costs its length, however it arrives.
    local pieces, n = {}, 0
    local function ondata(data)
      local from = 1
      while not self.closed do
        local nl = find(data, '\n', from, true)
        if not nl then break end
        local line = sub(data, from, nl - 1)
        if n > 0 then
          pieces[n + 1] = line
          line = concat(pieces, '', 1, n + 1)
          pieces, n = {}, 0
        end
        from = nl + 1
        if sub(line, -1) == '\r' then line = sub(line, 1, -2) end
        self:_input(line)
      end
      if not self.closed and from <= #data then
        n = n + 1
        pieces[n] = from == 1 and data or sub(data, from)
      end
    end
    local function onend() self:close() end
    -- The stream's errors (a client that left: EPIPE, ECONNRESET) are the
    -- session's, as Node's REPL takes them: its 'error' listeners get
    -- them, or, without any, they are written as uncaught errors to the
    -- output, and the process goes on.
    local function onerror(err)
      if self:listenerCount('error') > 0 then
        self:emit('error', err)
      else
        self:_write(require('host').describe(err))
      end
    end
    input:on('data', ondata)
    input:on('end', onend)
    input:on('error', onerror)
    self._detach = function()
      input:off('data', ondata)
      input:off('end', onend)
      input:off('error', onerror)
    end
    self:displayPrompt()
  end
  return self
end

---repl.listen(path[, options]) -> Server: the running script's REPL on a
---Unix socket, for `luanet --attach path` or `nc -U path`
---(lua/repl_attach.lua).
function M.listen(path, options)
  return require('repl_attach').listen(path, options)
end

M.REPLServer = REPLServer

return M
