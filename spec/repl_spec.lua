-- The REPL: build/luanet on a real terminal (a tmux pane, driven by its
-- keys and read back from its screen), `luanet -i` without a terminal, and
-- repl.start() sessions over a Unix socket.
local h = require('spec.helpers')
local net, expect = h.net, h.expect

local terminal = require('spec.terminal')
local withTerminal = terminal.with

local describeTerminal = terminal.available and describe or function(name)
  describe(name, function()
    pending('tmux is not installed, so ' .. name .. ' goes unchecked')
  end)
end

describeTerminal('the REPL on a terminal', function()
  it('evaluates expressions and statements, and keeps the last value in _',
    function()
      withTerminal(nil, function(t)
        t:line('1 + 1')
        t:waitFor('\n2\n>$')
        t:line('_ * 10')
        t:waitFor('\n20\n>$')
        t:line('local greeting = "hi"')
        t:line('greeting .. "!"')
        t:waitFor('\n"hi!"\n>$')
        t:line('{ a = 1, list = { 1, 2 } }')
        t:waitFor('{ a = 1, list = { 1, 2 } }\n>$', false)
      end)
    end)

  it('continues an unfinished chunk on a ... prompt', function()
    withTerminal(nil, function(t)
      t:line('function square(x)')
      t:waitFor('\n%.%.%.$')
      t:line('return x * x')
      t:line('end')
      t:waitFor('%.%.%. end\n>$')
      t:line('square(12)')
      t:waitFor('\n144\n>$')
    end)
  end)

  it('prints an error with its traceback and goes on, also one raised ' ..
    'by a listener', function()
    withTerminal(nil, function(t)
      t:line('setTimeout(function() error("in a timer") end, 10)')
      t:waitFor('Uncaught Error: repl:1: in a timer\nstack traceback:\n', true)
      t:line('error("boom")')
      t:waitFor('Uncaught Error: repl:1: boom\nstack traceback:\n', true)
      t:line('nosuch.field')
      t:waitFor("attempt to index a nil value (global 'nosuch')", true)
      t:line('"still here"')
      t:waitFor('\n"still here"\n>$')
    end)
  end)

  it('serves sockets made at the prompt, to clients made there and outside',
    function()
      withTerminal(nil, function(t)
        t:line('server = net.createServer(function(s) s:on("data", ' ..
          'function(d) console.log("server got " .. d) ' ..
          's:write("echo " .. d) end) end):listen(0, "127.0.0.1")')
        t:line('"port " .. server:address().port')
        local port = tonumber(t:waitFor('"port %d+"'):match('"port (%d+)"'))
        t:line('c = net.connect(server:address().port, "127.0.0.1")')
        t:line('c:on("data", function(d) console.log("client got " .. d) end)')
        t:line('c:write("from the prompt")')
        t:waitFor('server got from the prompt', true)
        t:waitFor('client got echo from the prompt', true)
        -- an outside client, from this spec, while a line is half typed:
        -- its 'data' is printed above, and the line stays as it was
        t:type('local half = "typed')
        local outside = net.connect(port, '127.0.0.1')
        outside:on('data', expect(function(d)
          assert.are.equal('echo from outside', d)
          outside:destroy()
        end))
        outside:write('from outside')
        h.run()
        t:waitFor('server got from outside\n> local half = "typed$')
        t:type(' on"')
        t:keys('Enter')
        t:line('half')
        t:waitFor('\n"typed on"\n>$')
      end)
    end)

  it('prints what timers write above the prompt, and keeps the line ' ..
    'being typed', function()
      withTerminal(nil, function(t)
        t:line('t = setInterval(function() console.log("tick") end, 100)')
        t:type('local half = "typed')
        t:waitFor('tick\ntick\n> local half = "typed$')
        t:type(' on"')
        t:keys('Enter')
        t:line('clearInterval(t)')
        t:line('half')
        t:waitFor('\n"typed on"\n>$')
      end)
    end)

  it('prints what io.write and print write from a timer above the prompt',
    function()
      withTerminal(nil, function(t)
        t:line('t = setInterval(function() io.write("io\\n") ' ..
          'print("tick") end, 100)')
        t:type('local typed = "half')
        t:waitFor('io\ntick\nio\ntick\n> local typed = "half$')
        t:keys('C-u')
        t:line('clearInterval(t)')
        t:line('io.write("written\\n")')
        t:waitFor('\nwritten\n[^\n]*\n>$')
      end)
    end)

  it('completes globals, fields and methods with Tab', function()
    withTerminal(nil, function(t)
      t:type('net.cr')
      t:keys('Tab')
      t:waitFor('> net%.create$')
      t:keys('Tab')
      t:waitFor('net.createConnection%s+net.createServer')
      t:keys('C-u')
      t:line('s = net.Socket()')
      t:type('s:setN')
      t:keys('Tab')
      t:waitFor('> s:setNoDelay$')
      t:keys('C-u')
      t:type('setIm')
      t:keys('Tab')
      t:waitFor('> setImmediate$')
    end)
  end)

  it('takes a chunk of several lines in .editor mode, ended by Ctrl-D',
    function()
      withTerminal(nil, function(t)
        t:line('.editor')
        t:waitFor('// Entering editor mode', true)
        t:line('local base = 40')
        t:line('base + 2')
        t:keys('C-d')
        t:waitFor('\n42\n>$')
        t:line('base')
        t:waitFor('\n40\n>$')
      end)
    end)

  it('loads a file with .load', function()
    local path = os.tmpname()
    local f = assert(io.open(path, 'w'))
    f:write('local loaded = 40\nfunction plusTwo() return loaded + 2 end\n')
    f:close()
    withTerminal(nil, function(t)
      t:line('.load ' .. path)
      t:line('plusTwo()')
      t:waitFor('\n42\n>$')
      t:line('.load /nonexistent/file.lua')
      t:waitFor('Failed to load: /nonexistent/file.lua', true)
      t:line('.help')
      t:waitFor('.exit', true)
    end)
    os.remove(path)
  end)

  it('writes its history to the file and recalls it with Up next time',
    function()
      local history = os.tmpname()
      os.remove(history)
      withTerminal(history, function(t)
        t:line('"first"')
        t:line('"second"')
        t:waitFor('\n"second"\n>$')
        t:line('.exit')
        t:waitFor('[exit 0]', true)
      end)
      local f = assert(io.open(history))
      local text = f:read('a')
      f:close()
      assert.matches('"second"', text, 1, true)
      withTerminal(history, function(t)
        t:keys('Up')
        t:waitFor('> %.exit$')
        t:keys('Up')
        t:waitFor('> "second"$')
        t:keys('Up')
        t:waitFor('> "first"$')
        t:keys('Enter')
        t:waitFor('\n"first"\n>$')
      end)
      os.remove(history)
    end)

  it('clears the line on Ctrl-C, and leaves on a second one', function()
    withTerminal(nil, function(t)
      t:type('never run')
      t:keys('C-c')
      t:waitFor('> never run\n>$')
      t:line('function unfinished()')
      t:keys('C-c')
      t:waitFor('\n>$')
      t:line('"after"')
      t:waitFor('\n"after"\n>$')
      t:keys('C-c')
      t:waitFor('%(To exit, press Ctrl%+C again or Ctrl%+D or type ' ..
        '%.exit%)\n>$')
      t:keys('C-c')
      t:waitFor('[exit 0]', true)
    end)
  end)

  it('leaves on Ctrl-D on an empty line, with process.exitCode', function()
    withTerminal(nil, function(t)
      t:line('process.exitCode = 3')
      t:keys('C-d')
      t:waitFor('[exit 3]', true)
    end)
  end)

  it('runs a script first with -i, and stays', function()
    withTerminal(nil, function(t)
      t:line('fromScript')
      t:waitFor('\n42\n>$')
    end, '-i -e ' .. h.shellQuote('fromScript = 42'))
  end)
end)

describeTerminal('a REPL line that waits (sequential code), on a ' ..
  'terminal', function()
  it('shows output meanwhile, gives the prompt back when it ends, and ' ..
    'Ctrl-C cancels it, running its <close> variables', function()
      withTerminal(nil, function(t)
        t:line("setTimeout(function() print('from a timer') end, 50) " ..
          "timers.sleep(400) print('slept')", 30)
        t:waitFor('\nfrom a timer\nslept\n>$', false, 30)
        t:line('closed = false', 30)
        t:line('do local _ <close> = setmetatable({}, { __close = ' ..
          'function() closed = true end }) timers.sleep(60000) end', 30)
        t:waitFor('end$', false, 30) -- no prompt: the line waits
        t:keys('C-c')
        t:waitFor('\n>$', false, 30)
        t:line('closed', 30)
        t:waitFor('\ntrue\n>$', false, 30)
      end)
    end)
end)

describe('luanet -i without a terminal', function()
  it('reads lines, prints prompts and values, and exits at the end of ' ..
    'input once nothing is left', function()
      local out, err, code = h.exec({ '-i' }, table.concat({
        '1 + 1',
        'local x = 20',
        'x * 2',
        'function f()',
        'return "f"',
        'end',
        'f()',
        'error("oops")',
        'setTimeout(function() console.log("timer after the input") end, 50)',
        '',
      }, '\n'))
      assert.are.equal(0, code)
      assert.are.equal('', err)
      assert.are.equal('> 2\n> > 40\n> ... ... > "f"\n' ..
        '> Uncaught Error: repl:1: oops\nstack traceback:\n' ..
        "\t[C]: in function 'error'\n\trepl:1: in main chunk\n" ..
        '> <Timeout (50 ms)>\n> \ntimer after the input\n',
        (out:gsub('<Timeout %(50 ms%): 0x%x+>', '<Timeout (50 ms)>')))
    end)

  it('waits for the rest of an unfinished expression or statement',
    function()
      local out = h.exec({ '-i' }, '1 +\n2\nx =\n"a" ..\n"b"\nx\n')
      assert.are.equal('> ... 3\n> ... ... > "ab"\n> \n', out)
    end)

  it('stops at .exit', function()
    local out, _, code = h.exec({ '-i' }, '"before"\n.exit\n"after"\n')
    assert.are.equal(0, code)
    assert.are.equal('> "before"\n> ', out)
  end)
end)

describe('repl.start over a Unix socket', function()
  it('serves two sessions at once, sharing the globals, each with its ' ..
    'own _ and locals', function()
      local path = os.tmpname()
      os.remove(path)
      local repl = require('repl')
      local sessions = 0
      local server
      server = net.createServer(function(socket)
        sessions = sessions + 1
        repl.start({ input = socket, output = socket, prompt = 'app> ' })
          :on('exit', expect(function() socket:end_() end))
        if sessions == 2 then server:close() end
      end)
      server:listen(path)
      -- Each client sends its lines one at a time, each after a prompt.
      local function client(lines, done)
        local c = net.connect(path)
        local got, i = '', 0
        c:on('data', function(d)
          got = got .. d
          local prompted = got:sub(-5) == 'app> ' or got:sub(-4) == '... '
          if prompted and i < #lines then
            i = i + 1
            c:write(lines[i] .. '\n')
          end
        end)
        c:on('end', function() done(got) end)
        return c
      end
      local a, b
      client({ 'shared = 41', 'local mine = "a"', 'shared + 1', '_',
        'mine', '.exit' }, expect(function(got) a = got end))
      client({ 'shared', 'mine', '_', 'function two()', 'return 2', 'end',
        'two()', '.exit' }, expect(function(got) b = got end))
      h.run()
      _G.shared = nil
      _G.two = nil
      assert.are.equal('app> app> app> 42\napp> 42\napp> "a"\napp> ', a)
      -- the second may run before or after the first: shared is 41 or nil
      assert.matches('^app> [n4][i1]l?\napp> nil\napp> nil\napp> %.%.%. ' ..
        '%.%.%. app> 2\napp> $', b)
    end)

  it('raises ERR_INVALID_ARG_TYPE for options that are not a table',
    function()
      local ok, err = pcall(require('repl').start, 5)
      assert.is_false(ok)
      assert.are.equal('ERR_INVALID_ARG_TYPE', err.code)
    end)
end)
