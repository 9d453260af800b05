-- The REPL as a socket-testing tool (lua/repl_net.lua): build/luanet on
-- a real terminal (tmux) talking to real peers it does not know: a luanet
-- server that records every byte it gets, `nc -l`, `python3 -m
-- http.server`. The bytes each peer got are checked exactly; the screen
-- shows what the REPL saw. Numbered connections, .send, .crlf, .end, raw
-- mode, and what a slip at the prompt prints.
local h = require('spec.helpers')
local peers = require('spec.repl_peers')
local withTerminal = require('spec.terminal').with
local describeTerminal = peers.describer(describe, pending)
local sh, eventually, peer = peers.sh, peers.eventually, peers.peer
local freePort = peers.freePort
local TOOL = peers.TOOL

describeTerminal('the REPL as a socket tool', function()
  it('numbers connections, prints what arrives with its id and direction, ' ..
    'and .send writes the escapes exactly', function()
      local p, port = peer()
      finally(p.kill) -- (also when the test fails)
      withTerminal(nil, function(t)
        t:line('.connect 127.0.0.1 ' .. port)
        t:waitFor('[1] connected to 127.0.0.1:' .. port, true)
        t:line([[.send ping\r\n\x00\xFF\t\\]])
        t:waitFor('[1] < pong\\r\\n', true)
        t:line('.crlf on')
        t:line('.send two')
        t:line('sockets[1]:write("from Lua")')
        eventually(function()
          return p.received() == 'ping\r\n\0\255\t\\two\r\nfrom Lua'
        end, 'the peer got the bytes sent: ' .. p.received())
        -- a second connection becomes the current one; .use goes back
        t:line('.connect 127.0.0.1 ' .. port)
        t:waitFor('[2] connected to', true)
        t:line('.use 1')
        t:waitFor('[1] is the current connection', true)
        t:line('.send ping')
        t:waitFor('%.send ping\n%[1%] < pong\\r\\n\n>$')
      end)
      p.kill()
    end)

  it('.end sends FIN: the peer sees EOF and the REPL still receives',
    function()
      local p, port = peer()
      finally(p.kill) -- (also when the test fails)
      withTerminal(nil, function(t)
        t:line('.connect 127.0.0.1 ' .. port)
        t:waitFor('[1] connected to', true)
        t:line('.end')
        t:waitFor('[1] FIN sent', true)
        eventually(p.eof, 'the peer saw EOF')
        t:waitFor('[1] < bye after your FIN\\n', true)
        t:waitFor('[1] end: the peer will send no more', true)
        t:waitFor('[1] closed', true)
        -- nothing typed can crash it: a closed connection, a bad id
        t:line('.send more')
        t:waitFor('[1] is closed (.use another)', true)
        t:line('.use 9')
        t:waitFor('No connection [9] (.sockets lists them)', true)
        t:line('.use x')
        t:waitFor('Not a connection id: x', true)
        t:line('.send \\q')
        t:waitFor('bad escape \\q', true)
        t:line('.replay /nonexistent/log')
        t:waitFor('Cannot replay: /nonexistent/log: No such file', true)
        t:line('.replay /')
        t:waitFor('Cannot replay: /: not a file', true)
        t:line('.listen 99999')
        t:waitFor('Cannot listen: ', true)
        t:line('.destroy 2')
        t:waitFor('No connection [2] (.sockets lists them)', true)
        t:line('1 + 1')
        t:waitFor('\n2\n>$')
      end)
      p.kill()
    end)

  it('raw mode sends typed lines with CRLF to an HTTP server and Ctrl-] ' ..
    'returns to Lua', function()
      local dir = os.tmpname()
      os.remove(dir)
      os.execute('mkdir ' .. dir)
      local f = assert(io.open(dir .. '/hello.txt', 'w'))
      f:write('hello from python\n')
      f:close()
      local log = os.tmpname()
      local pid = tonumber(sh('cd ' .. dir .. ' && ' .. TOOL ..
        'python3 -u -m http.server 0 --bind 127.0.0.1 >' .. log ..
        ' 2>&1 & echo $!'))
      finally(function() os.execute('kill ' .. pid .. ' 2>/dev/null') end)
      local port = eventually(function()
        return tonumber(h.readAll(log):match('port (%d+)'))
      end, 'python3 -m http.server listening')
      withTerminal(nil, function(t)
        t:line('.connect 127.0.0.1 ' .. port)
        t:waitFor('[1] connected to', true)
        t:line('.raw')
        t:waitFor('%[1%] raw>$')
        t:line('GET /hello.txt HTTP/1.0')
        t:keys('Enter')
        t:waitFor('[1] < HTTP/1.0 200 OK\\r\\n', true)
        t:waitFor('[1] < hello from python\\n', true)
        t:keys('C-]')
        t:waitFor('\n>$')
        t:line('"back in Lua"')
        t:waitFor('"back in Lua"\n>$')
      end)
      os.execute('kill ' .. pid)
      -- what python logged is the request line, as sent
      assert.truthy(h.readAll(log):find('"GET /hello.txt HTTP/1.0" 200', 1,
        true))
      os.execute('rm -rf ' .. dir)
      os.remove(log)
    end)

  it('raw mode sends exactly the typed bytes to nc -l, binary garbage too',
    function()
      local port = freePort()
      local out = os.tmpname()
      local pid = tonumber(sh(TOOL .. 'nc -l 127.0.0.1 ' .. port ..
        ' </dev/null >' .. out .. ' 2>/dev/null & echo $!'))
      finally(function() os.execute('kill ' .. pid .. ' 2>/dev/null') end)
      withTerminal(nil, function(t)
        eventually(function()
          t:line('.connect 127.0.0.1 ' .. port)
          return t:screen():find('connected to', 1, true)
        end, 'nc listening')
        t:line('.raw')
        t:waitFor('raw>$')
        t:line('hello nc')
        t:line('.crlf')  -- in raw mode, a line like any other
        -- binary garbage, pasted: control bytes go as they are, a byte
        -- that is no UTF-8 goes as U+FFFD (the terminal's line is text)
        t:paste('caf\195\169 \1\2\255\r', true)
        t:waitFor('raw>$')
        t:line('.lua')
        t:waitFor('// Back to Lua', true)
        t:line('.crlf off')
        t:line('.send no ending')
        t:line('.destroy')
        t:waitFor('closed', true)
      end)
      eventually(function()
        return h.readAll(out) == 'hello nc\r\n.crlf\r\ncaf\195\169 \1\2' ..
          '\239\191\189\r\nno ending'
      end, 'nc got the typed bytes: ' .. h.readAll(out))
      os.execute('kill ' .. pid .. ' 2>/dev/null')
      os.remove(out)
    end)
end)
