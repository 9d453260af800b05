-- The REPL as a socket-testing tool: .listen, .sockets and net.handles()
-- on the terminal; repl.listen(PATH) in a script and `luanet --attach
-- PATH` (lua/repl_attach.lua), and `nc -U PATH` on the same socket.
local h = require('spec.helpers')
local peers = require('spec.repl_peers')
local withTerminal = require('spec.terminal').with
local describeTerminal = peers.describer(describe, pending)
local sh, eventually = peers.sh, peers.eventually
local TOOL = peers.TOOL

describeTerminal('the REPL as a socket tool: servers and handles',
  function()
  it('.listen numbers accepted connections; .sockets and net.handles() ' ..
    'list every live handle with its counters', function()
      withTerminal(nil, function(t)
        t:line('.listen 0 127.0.0.1')
        local port = t:waitFor('%[1%] listening on 127%.0%.0%.1:%d+')
          :match('listening on 127%.0%.0%.1:(%d+)')
        local out = os.tmpname()
        local pid = tonumber(sh('(printf "hi from nc\\n"; sleep 5) | ' ..
          TOOL .. 'nc ' ..
          '127.0.0.1 ' .. port .. ' >' .. out .. ' 2>/dev/null & echo $!'))
        finally(function() os.execute('kill ' .. pid .. ' 2>/dev/null') end)
        t:waitFor('[2] accepted from 127.0.0.1:', true)
        t:waitFor('[2] < hi from nc\\n', true)
        t:line('.send hi from the REPL')
        eventually(function()
          return h.readAll(out) == 'hi from the REPL'
        end, 'nc got it')
        t:line('timer = setInterval(function() end, 100000)')
        t:line('.sockets')
        t:waitFor('id%s+kind%s+state%s+local%s+remote%s+read%s+written%s+age' ..
          '%s+ref\n')
        t:waitFor('\n1%s+Server%s+listening%s+127%.0%.0%.1:' .. port ..
          '%s+%-%s+%-%s+%-%s+[%d.]+m?s%s+yes')
        t:waitFor('\n2%s+Socket%s+open%s+127%.0%.0%.1:' .. port ..
          '%s+127%.0%.0%.1:%d+%s+11%s+16%s+[%d.]+m?s%s+yes')
        t:waitFor('\n%-%s+Timeout%s+interval[^\n]+yes')
        t:line('timer:unref()')
        t:line('#net.handles(), net.handles()[1].kind')
        t:line('for _, x in ipairs(net.handles()) do if x.kind == "Socket" ' ..
          'then print(x.bytesRead, x.bytesWritten, x.ref) end end')
        t:waitFor('\n11%s+16%s+true\n')
        t:line('.sockets')
        t:waitFor('Timeout%s+interval[^\n]+no\n')
        os.execute('kill ' .. pid .. ' 2>/dev/null')
        t:waitFor('[2] end: the peer will send no more', true)
        t:line('.destroy 2')
        t:waitFor('[2] closed', true)
        t:line('.destroy 1')
        t:waitFor('[1] closed', true)
        os.remove(out)
      end)
    end)
end)

describeTerminal('repl.listen and luanet --attach', function()
  it('an attached terminal evaluates, completes, is interrupted and ' ..
    'detaches while the script keeps serving; nc -U gets plain lines',
    function()
      local dir = os.tmpname()
      os.remove(dir)
      os.execute('mkdir ' .. dir)
      local path = dir .. '/app.sock'
      local script = h.script([[
        served = 0
        local server = require('net').createServer(function(s)
          served = served + 1
          s:end_('served ' .. served .. '\n')
        end)
        server:listen(0, '127.0.0.1', function()
          print(server:address().port)
        end)
        require('repl').listen(]] .. string.format('%q', path) .. [[)
      ]])
      local app = h.spawn({ script })
      finally(app.kill) -- (also when the test fails)
      local port = eventually(function()
        return tonumber((app.output()):match('(%d+)'))
      end, 'the script serving')
      eventually(function()
        return sh('stat -c %a ' .. path .. ' 2>/dev/null') == '600\n'
      end, 'the socket made, mode 0600')
      withTerminal(nil, function(t)
        t:line('served')
        t:waitFor('\n0\n>$')
        t:line('local mine = 41')
        t:line('mine + 1')
        t:waitFor('\n42\n>$')
        t:type('net.createSe')
        t:keys('Tab')
        t:waitFor('> net%.createServer$')
        t:keys('C-u')
        t:line('function wait() timers.sleep(60000) end')
        t:line('wait()')
        t:keys('C-c')
        t:waitFor('\n>$')
        t:line('"after the interrupt"')
        t:waitFor('"after the interrupt"\n>$')
        t:line('.exit')
        t:waitFor('[exit 0]', true)
      end, '--attach ' .. path)
      -- the script goes on: it serves, and its REPL takes plain lines
      sh('timeout 5 ' .. TOOL .. 'nc -N 127.0.0.1 ' .. port .. ' </dev/null')
      local out = sh('printf "served\\n" | timeout 5 ' .. TOOL ..
        'nc -N -U ' .. path)
      assert.are.equal('> 1\n> ', out)
      app.kill()
      app.wait()
      os.execute('rm -rf ' .. dir)
    end)

  it('luanet --attach to nothing says so in one line and exits 1',
    function()
      local _, err, code = h.exec({ '--attach', '/nonexistent/app.sock' })
      assert.are.equal('luanet: cannot attach to /nonexistent/app.sock: ' ..
        'connect ENOENT /nonexistent/app.sock\n', err)
      assert.are.equal(1, code)
    end)
end)
