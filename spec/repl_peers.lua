-- What the specs of the REPL as a socket tool share (repl_net_spec,
-- repl_bytes_spec, repl_attach_spec): peers in processes of their own,
-- polling, and the terminal. Not a spec itself.
local h = require('spec.helpers')
local terminal = require('spec.terminal')

local M = {}

-- Peers that are not luanet (nc, python3) run without the sanitizer
-- runtimes the sanitizer build preloads: their leaks are not luanet's.
local TOOL = 'env -u LD_PRELOAD '
M.TOOL = TOOL

---peers.sh(cmd) -> what the shell command printed.
local function sh(cmd)
  local p = assert(io.popen(cmd))
  local out = p:read('a')
  p:close()
  return out
end

---peers.eventually(fn, what): polls (20 ms) until fn() is truthy; returns
---it, or fails after 5 s.
local function eventually(fn, what)
  for _ = 1, 250 do
    local v = fn()
    if v then return v end
    os.execute('sleep 0.02')
  end
  error('never happened: ' .. what, 2)
end

-- A luanet peer server in a process of its own: every byte it receives is
-- appended to the file `out`; a chunk holding "ping" is answered
-- "pong\r\n"; the peer's FIN is noted in out .. '.eof' and answered with
-- "bye after your FIN\n" before its own FIN. Returns the process, its port.
local PEER = [[
local net = require('net')
local out = process.argv[3]
local server
server = net.createServer({ allowHalfOpen = true }, function(s)
  s:on('data', function(d)
    local f = io.open(out, 'ab') f:write(d) f:close()
    if d:find('ping', 1, true) then s:write('pong\r\n') end
  end)
  s:on('end', function()
    local f = io.open(out .. '.eof', 'w') f:write('eof') f:close()
    s:end_('bye after your FIN\n')
  end)
end)
server:listen(0, '127.0.0.1', function()
  print(server:address().port)
end)
]]

---peers.peer() -> the process of a PEER server, its port; p.received()
---is what it got, p.eof() whether it saw EOF.
local function peer()
  local out = os.tmpname()
  os.remove(out)
  local p = h.spawn({ h.script(PEER), out })
  local port = eventually(function()
    return tonumber((p.output()):match('(%d+)'))
  end, 'the peer server listening')
  p.out = out
  function p.received() return h.readAll(out) end
  function p.eof() return h.readAll(out .. '.eof') == 'eof' end
  return p, port
end

---peers.freePort() -> a free port (the kernel's, released at once) for
---`nc -l`.
local function freePort()
  local server, port = h.listen()
  server:close()
  h.run()
  return port
end

M.sh, M.eventually, M.peer, M.freePort = sh, eventually, peer, freePort

---peers.describer(describe, pending) -> describe, or, when tmux is not
---installed, a describe that says so in a pending note (busted's
---functions are the spec file's, so the file passes them).
function M.describer(describe, pending)
  return terminal.available and describe or function(name)
    describe(name, function()
      pending('tmux is not installed, so ' .. name .. ' goes unchecked')
    end)
  end
end

return M
