-- The REPL as a socket-testing tool, seeing bytes: .hex and .trace on the
-- screen, .log records that .replay sends again byte for byte to a fresh
-- peer, .save; and the traces of net.handles() (lua/handles.lua).
local h = require('spec.helpers')
local peers = require('spec.repl_peers')
local withTerminal = require('spec.terminal').with
local describeTerminal = peers.describer(describe, pending)
local sh, eventually, peer = peers.sh, peers.eventually, peers.peer

describeTerminal('the REPL as a socket tool: bytes and records',
  function()
  it('.hex and .trace head each chunk with id, direction and time',
    function()
      local p, port = peer()
      finally(p.kill) -- (also when the test fails)
      withTerminal(nil, function(t)
        t:line('.connect 127.0.0.1 ' .. port)
        t:waitFor('[1] connected to', true)
        t:line('.hex on')
        t:line('.send ping')
        t:waitFor('%[1%] > %d+%.%d+ ms, 4 bytes\n00000000  70 69 6e 67 +|ping|')
        t:waitFor('%[1%] < %d+%.%d+ ms, 6 bytes\n00000000  70 6f 6e 67 0d 0a' ..
          ' +|pong..|')
        t:line('.hex off')
        t:line('.trace on')
        t:line('.send ping')
        t:waitFor('%[1%] < %d+%.%d+ ms %(%+%d+%.%d+ ms%), 6 bytes\n%[1%] < ' ..
          'pong\\r\\n')
        t:line('.hex 1 on')
        t:line('.send ping')
        t:waitFor('%[1%] < [^\n]*6 bytes\n00000000  70 6f 6e 67 0d 0a +' ..
          '|pong..|' ..
          '\n>$')
      end)
      p.kill()
    end)

  it('.log records a session that .replay sends byte-identically to a ' ..
    'fresh peer, and .save writes the lines typed', function()
      local log, saved = os.tmpname(), os.tmpname()
      os.remove(log)
      local p1, port1 = peer()
      local p2, port2 = peer()
      finally(function() p1.kill() p2.kill() end)
      withTerminal(nil, function(t)
        t:line('.log ' .. log)
        t:line('.connect 127.0.0.1 ' .. port1)
        t:waitFor('[1] connected to', true)
        t:line([[.send ping \x00\x01\xFE\xFF "quoted" \\ \r\n]])
        t:waitFor('[1] < pong', true)
        t:line([[.send second\tchunk]])
        eventually(function() return #p1.received() == 35 end, 'p1 got it all')
        t:line('.log off')
        t:line('.connect 127.0.0.1 ' .. port2)
        t:waitFor('[2] connected to', true)
        t:line('.replay ' .. log .. ' --fast')
        t:waitFor('[2] replay done', true)
        t:line('.save ' .. saved)
        t:waitFor('Session saved to: ' .. saved, true)
      end)
      eventually(function()
        return p2.received() == p1.received()
      end, 'the replay matched: ' .. p2.received())
      assert.are.equal('ping \0\1\254\255 "quoted" \\ \r\nsecond\tchunk',
        p1.received())
      local text = h.readAll(log)
      assert.truthy(text:find('{"t": [%d.]+, "id": 1, "event": "open"'))
      assert.truthy(text:find('"dir": "<", "data": "pong\\r\\n"', 1, true))
      assert.truthy(text:find('"data": "ping \\u0000\\u0001\\u00fe\\u00ff ' ..
        '\\"quoted\\" \\\\ \\r\\n"', 1, true))
      assert.are.equal('.log ' .. log .. '\n.connect 127.0.0.1 ' .. port1 ..
        '\n.send ping \\x00\\x01\\xFE\\xFF "quoted" \\\\ \\r\\n\n' ..
        '.send second\\tchunk\n.log off\n.connect 127.0.0.1 ' .. port2 ..
        '\n.replay ' .. log .. ' --fast\n', h.readAll(saved))
      p1.kill()
      p2.kill()
      os.remove(log)
      os.remove(saved)
    end)

  it('net.handles() carries where each handle was made with ' ..
    'LUANET_TRACE_HANDLES=1, and nothing without', function()
      local src = h.script([[
        local net = require('net')
        local server = net.createServer()
        server:listen(0, '127.0.0.1', function()
          local list = net.handles()
          print(#list, list[1].kind, list[1].stack ~= nil)
          if list[1].stack then
            print((list[1].stack:match('\n%s*([^\n]*)')))
          end
          server:close()
        end)
      ]])
      local out = h.exec({ src })
      assert.are.equal('1\tServer\tfalse\n', out)
      local env = 'LUANET_TRACE_HANDLES=1 '
      out = sh(env .. h.exe .. ' ' .. src)
      assert.truthy(out:find('^1\tServer\ttrue\n[^\n]*:2: in main chunk'),
        out)
      -- a Socket made by net.Socket() (a __call): where the script made it
      src = h.script([[
        local net = require('net')
        local c = net.Socket()
        c:on('error', function() end)
        c:connect(1, '127.0.0.1')
        for _, x in ipairs(net.handles()) do
          if x.kind == 'Socket' then print((x.stack:match('\n%s*([^\n]*)'))) end
        end
        c:destroy()
      ]])
      out = sh(env .. h.exe .. ' ' .. src)
      assert.truthy(out:find(':2: in main chunk\n$'), out)
    end)
end)
