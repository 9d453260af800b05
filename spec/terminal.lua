-- A real terminal for the REPL's specs: build/luanet in a tmux pane of a
-- tmux server of its own, driven by its keys and read back from its
-- screen. Not a spec itself: spec/repl_spec.lua and
-- spec/repl_paste_spec.lua use it.
local h = require('spec.helpers')

local M = {}

local hasTmux = os.execute('tmux -V >/dev/null 2>&1') == true
-- tmux servers of this process: specs run in parallel
local SOCKET = 'luanet-spec-' .. tostring(h.process.pid) .. '-' ..
  tostring(math.random(1e6))

local function sh(cmd)
  local p = assert(io.popen(cmd))
  local out = p:read('a')
  p:close()
  return out
end

-- A terminal running build/luanet: :keys(...) presses tmux keys,
-- :type(text) types text literally, :paste(text, bracketed) pastes it,
-- :screen() reads the screen, :waitFor(pattern, plain, seconds) waits (5 s
-- by default) until the screen shows it, :close() ends it.
local Terminal = {}
Terminal.__index = Terminal

local count = 0
local function terminal(history, args, ready)
  count = count + 1
  local name = SOCKET .. '-' .. count -- a tmux server of its own
  local env = 'LUANET_REPL_HISTORY=' .. h.shellQuote(history or '')
  local cmd = 'env ' .. env .. ' ' .. h.exe .. ' ' .. (args or '') ..
    '; echo "[exit $?]"; sleep 30'
  assert(os.execute('tmux -L ' .. name .. ' new-session -d -s luanet' ..
    ' -x 100 -y 40 ' .. h.shellQuote(cmd)))
  local t = setmetatable({ name = name }, Terminal)
  t:waitFor(ready or '^>')
  return t
end

function Terminal:keys(...)
  local keys = {}
  for _, k in ipairs({ ... }) do keys[#keys + 1] = k end
  os.execute('tmux -L ' .. self.name .. ' send-keys -t luanet ' ..
    table.concat(keys, ' '))
end

-- Types text and waits until the line shows it: keys are then read one
-- after the other, as a person types them.
function Terminal:type(text, seconds)
  os.execute('tmux -L ' .. self.name .. ' send-keys -t luanet -l ' ..
    h.shellQuote(text))
  for _ = 1, (seconds or 5) * 50 do
    if self:screen():sub(-#text) == text then return end
    os.execute('sleep 0.02')
  end
  error('the terminal never showed the typed ' .. text .. '; it shows:\n' ..
    self:screen(), 2)
end

-- Types a line and presses Enter (seconds: how long the typing may take
-- to show, 5 by default).
function Terminal:line(text, seconds)
  self:type(text, seconds)
  self:keys('Enter')
end

function Terminal:screen()
  -- wrapped lines joined, without trailing spaces: '> ' is '>' at the end
  local text = sh('tmux -L ' .. self.name .. ' capture-pane -p -J -t luanet')
  return (text:gsub('[ \t]+\n', '\n'):gsub('%s+$', ''))
end

function Terminal:waitFor(pattern, plain, seconds)
  for _ = 1, (seconds or 5) * 50 do
    local screen = self:screen()
    if screen:find(pattern, 1, plain or false) then return screen end
    os.execute('sleep 0.02')
  end
  error('the terminal never showed ' .. pattern .. '; it shows:\n' ..
    self:screen(), 2)
end

-- Pastes text as a terminal does: tmux writes it all at once, between the
-- bracketed-paste marks when bracketed and the REPL asked for them. Line
-- breaks arrive as carriage returns, as a terminal sends them.
function Terminal:paste(text, bracketed)
  local path = os.tmpname()
  local f = assert(io.open(path, 'wb'))
  f:write(text)
  f:close()
  os.execute('tmux -L ' .. self.name .. ' load-buffer -b paste ' .. path ..
    ' && tmux -L ' .. self.name .. ' paste-buffer -d -b paste -t luanet' ..
    (bracketed and ' -p' or ''))
  os.remove(path)
end

function Terminal:close()
  os.execute('tmux -L ' .. self.name .. ' kill-server 2>/dev/null')
end

-- Runs fn(terminal) and closes the terminal, even when fn fails.
local function withTerminal(history, fn, args, ready)
  local t = terminal(history, args, ready)
  local ok, err = pcall(fn, t)
  t:close()
  if not ok then error(err, 0) end
end

---terminal.with(history, fn, args[, ready]): runs fn(terminal) on a
---terminal running `build/luanet args` (history: the history file, or nil
---for none) once its screen shows the pattern ready (the REPL's prompt by
---default), and closes it, even when fn fails.
M.with = withTerminal

---terminal.available: whether tmux is installed.
M.available = hasTmux

return M
