-- The luanet executable: running scripts and code, the globals, process
-- exit codes, and uncaught errors, checked by running build/luanet.
local h = require('spec.helpers')
local t = require('luanet.test')

local script = h.script

describe('luanet', function()
  t.it('runs a script, then its loop, then exits 0', function()
    local path = script([[
      setTimeout(function() console.log('later') end, 10)
      console.log('first')
    ]])
    local out, err, code = h.exec({ path })
    os.remove(path)
    assert.are.equal('first\nlater\n', out)
    assert.are.equal('', err)
    assert.are.equal(0, code)
  end)

  t.it('runs LUA_INIT_5_4 or LUA_INIT before the script, as lua does',
    function()
      local init = script("print('init') greeting = 'hi'")
      local out, err, code = h.exec({ '-e', 'print(greeting)' }, nil,
        { 'env', '-u', 'LUA_INIT', 'LUA_INIT_5_4=@' .. init })
      assert.are.equal('init\nhi\n', out)
      assert.are.equal('', err)
      assert.are.equal(0, code)
      out = h.exec({ '-e', 'print(x)' }, nil,
        { 'env', '-u', 'LUA_INIT_5_4', 'LUA_INIT=x = 42' })
      assert.are.equal('42\n', out)
      out, err, code = h.exec({ '-e', 'print(x)' }, nil,
        { 'env', '-u', 'LUA_INIT_5_4', "LUA_INIT=error('bad')" })
      assert.are.equal('', out)
      assert.are.equal('luanet: LUA_INIT:1: bad\n', err) -- as lua.c names it
      assert.are.equal(1, code)
      os.remove(init)
    end)

  t.it('runs -e code', function()
    local out, _, code = h.exec({ '-e', 'console.log(1 + 1)' })
    assert.are.equal('2\n', out)
    assert.are.equal(0, code)
  end)

  t.it('runs a script from standard input', function()
    local out, _, code = h.exec({}, 'console.log("from stdin")')
    assert.are.equal('from stdin\n', out)
    assert.are.equal(0, code)
  end)

  t.it('prints --version and --help', function()
    local out, _, code = h.exec({ '--version' })
    assert.matches('^luanet %d+%.%d+%.%d+', out)
    assert.are.equal(0, code)
    out, _, code = h.exec({ '--help' })
    assert.matches('usage: luanet', out, 1, true)
    assert.are.equal(0, code)
  end)

  t.it('rejects an unknown option', function()
    local _, err, code = h.exec({ '--nosuch' })
    assert.matches('bad option: --nosuch', err, 1, true)
    assert.are.equal(9, code)
  end)

  t.it('reports a syntax error and exits 1', function()
    local _, err, code = h.exec({ '-e', 'this is not lua' })
    assert.matches('luanet: ', err, 1, true)
    assert.are.equal(1, code)
  end)

  t.it('passes process.argv: executable, script, arguments, as absolute paths',
    function()
      local path = script('console.log(table.concat(process.argv, "|"))')
      local dir, name = path:match('^(.*)/([^/]*)$')
      local exe = io.popen('realpath ' .. h.exe):read('l')
      local out = h.exec({ path, 'a', 'b c' })
      assert.are.equal(exe .. '|' .. path .. '|a|b c\n', out)
      -- a relative script path comes back absolute, as in Node
      local p = io.popen('cd ' .. dir .. ' && ' .. exe .. ' ' .. name .. ' x')
      out = p:read('a')
      p:close()
      os.remove(path)
      assert.are.equal(exe .. '|' .. path .. '|x\n', out)
      out = h.exec({ '-e', 'console.log(#process.argv, process.argv[2])', 'y' })
      assert.are.equal('2 y\n', out)
    end)

  t.it('reports a script that cannot be opened, and exits 1', function()
    local out, err, code = h.exec({ '/nonexistent/script.lua' })
    assert.are.equal('', out)
    assert.are.equal('luanet: cannot open /nonexistent/script.lua: ' ..
      'No such file or directory\n', err)
    assert.are.equal(1, code)
  end)

  t.it('reports a syntax error in a script file, and exits 1', function()
    local path = script('local x = = 1')
    local out, err, code = h.exec({ path })
    os.remove(path)
    assert.are.equal('', out)
    assert.matches(':1: unexpected symbol near \'=\'', err)
    assert.are.equal(1, code)
  end)

  t.it('reports an error raised by a script as uncaught, with its traceback',
    function()
      local path = script('console.log("before")\nlocal t\nprint(t.x)')
      local out, err, code = h.exec({ path })
      os.remove(path)
      assert.are.equal('before\n', out)
      assert.matches('^Uncaught Error: [^\n]*:3: attempt to index a nil ' ..
        'value %(local \'t\'%)\nstack traceback:\n', err)
      assert.are.equal(1, code)
      out, err, code = h.exec({}, 'error("from stdin")')
      assert.are.equal('', out)
      assert.matches('^Uncaught Error: stdin:1: from stdin\n', err)
      assert.are.equal(1, code)
    end)

  t.it('rejects -e without code', function()
    local out, err, code = h.exec({ '-e' })
    assert.are.equal('', out)
    assert.matches('^luanet: %-e requires an argument\nusage: luanet', err)
    assert.are.equal(9, code)
  end)

  t.it('lets a script require a module beside it', function()
    local dir = os.tmpname()
    os.remove(dir)
    os.execute('mkdir -p ' .. dir)
    local f = assert(io.open(dir .. '/helper_mod.lua', 'w'))
    f:write('return { answer = 42 }')
    f:close()
    f = assert(io.open(dir .. '/main.lua', 'w'))
    f:write('console.log(require("helper_mod").answer)')
    f:close()
    local out, _, code = h.exec({ dir .. '/main.lua' })
    f = assert(io.open(dir .. '/missing.lua', 'w'))
    f:write('require("no_such_mod")')
    f:close()
    local _, err, code2 = h.exec({ dir .. '/missing.lua' })
    os.execute('rm -rf ' .. dir)
    assert.are.equal('42\n', out)
    assert.are.equal(0, code)
    assert.matches('^Uncaught Error: [^\n]*module \'no_such_mod\' not found',
      err)
    assert.matches(dir .. '/no_such_mod.lua', err, 1, true)
    assert.are.equal(1, code2)
  end)
end)

describe('uncaught errors', function()
  t.it('exit 1 with the message on stderr for an error event without listener',
    function()
      local out, err, code = h.exec({ '-e', [[
        local net = require('net')
        local server = net.createServer():listen(0, '127.0.0.1')
        local port = server:address().port
        server:close()
        net.connect(port, '127.0.0.1')
        process:on('exit', function(c) console.log('exit', c) end)
      ]] })
      assert.are.equal(1, code)
      assert.matches('^Uncaught Error: connect ECONNREFUSED 127%.0%.0%.1:%d+\n',
        err)
      assert.matches('stack traceback:', err, 1, true)
      assert.matches('code = "ECONNREFUSED"', err, 1, true)
      assert.are.equal('exit 1\n', out)
    end)

  t.it('exit 1 for an error raised in a listener', function()
    local _, err, code = h.exec({ '-e', [[
      setTimeout(function() error('boom') end, 1)
      setTimeout(function() console.log('never') end, 50)
    ]] })
    assert.are.equal(1, code)
    assert.matches('^Uncaught Error: %[command line%]:1: boom', err)
  end)

  t.it('go to uncaughtException listeners, and the loop goes on', function()
    local out, _, code = h.exec({ '-e', [[
      process:on('uncaughtException', function(err)
        console.log('caught', err.code)
      end)
      require('net').connect(1, '127.0.0.1')
      setTimeout(function() console.log('still running') end, 50)
    ]] })
    assert.are.equal(0, code)
    assert.are.equal('caught ECONNREFUSED\nstill running\n', out)
  end)
end)

-- The exit codes and what is printed when a listener of process throws,
-- as Node 22 gives them (node -e with the same JavaScript; its exit code
-- and stdout quoted, its stderr shows the error named).
describe('a process listener that throws', function()
  -- on('uncaughtException', e => { log('handler got', e.message); throw
  -- new Error('from handler') }); a timer throws 'first': prints "handler
  -- got first", then Error: from handler on stderr; no 'exit'; exit 7.
  t.it("'uncaughtException': exit 7 with its error, and no 'exit'", function()
    local out, err, code = h.exec({ '-e', [[
      process:on('exit', function(c) console.log('exit', c) end)
      process:on('uncaughtException', function(e)
        console.log('handler got', e)
        error('from handler', 0)
      end)
      setTimeout(function() error('first', 0) end, 1)
    ]] })
    assert.are.equal(7, code)
    assert.are.equal('handler got first\n', out)
    assert.matches('^Uncaught Error: from handler\n', err)
    assert.is_nil(err:find('Error: first', 1, true))
  end)

  -- The same thrown from the main script: exit 7.
  t.it("'uncaughtException' for an error of the main chunk: exit 7", function()
    local _, err, code = h.exec({ '-e', [[
      process:on('uncaughtException', function() error('from handler', 0) end)
      error('first', 0)
    ]] })
    assert.are.equal(7, code)
    assert.matches('^Uncaught Error: from handler\n', err)
  end)

  -- on('uncaughtExceptionMonitor', ...throw), with or without an
  -- 'uncaughtException' listener (which is not called): exit 7, Error:
  -- from monitor.
  t.it("'uncaughtExceptionMonitor': exit 7, other listeners skipped",
    function()
      for _, withHandler in ipairs({ false, true }) do
        local out, err, code = h.exec({ '-e', [[
          process:on('uncaughtExceptionMonitor', function(e)
            console.log('monitor got', e)
            error('from monitor', 0)
          end)
          if ]] .. tostring(withHandler) .. [[ then
            process:on('uncaughtException', function(e)
              console.log('handler got', e)
            end)
          end
          setTimeout(function() error('first', 0) end, 1)
        ]] })
        assert.are.equal(7, code)
        assert.are.equal('monitor got first\n', out)
        assert.matches('^Uncaught Error: from monitor\n', err)
      end
    end)

  -- on('exit', c => { log('exit listener', c); throw new Error('from
  -- exit') }): prints "exit listener 0", then Error: from exit; exit 1.
  -- Listeners after it do not run.
  t.it("'exit': an uncaught error, exit 1", function()
    local out, err, code = h.exec({ '-e', [[
      process:on('exit', function(c)
        console.log('exit listener', c)
        error('from exit', 0)
      end)
      process:on('exit', function() console.log('never') end)
    ]] })
    assert.are.equal(1, code)
    assert.are.equal('exit listener 0\n', out)
    assert.matches('^Uncaught Error: from exit\nstack traceback:', err)
  end)

  -- process.exitCode = 5 (or process.exit(3), or exitCode = 0), then an
  -- 'exit' listener that throws: exit 5 (3, 0), the code given.
  t.it("'exit': the exit code already given stands", function()
    for _, case in ipairs({ { 'process.exitCode = 5', 5 },
      { 'process.exit(3)', 3 }, { 'process.exitCode = 0', 0 },
      { 'setTimeout(function() process.exit(4) end, 1)', 4 } }) do
      local _, err, code = h.exec({ '-e', [[
        process:on('exit', function() error('from exit', 0) end)
      ]] .. case[1] })
      assert.are.equal(case[2], code, case[1])
      assert.matches('^Uncaught Error: from exit\n', err)
    end
  end)

  -- With an 'uncaughtException' listener the error of an 'exit' listener
  -- is handled: "uE got from exit", exit 0 (or the exitCode the handler
  -- sets: 4); a handler that throws too gives exit 7.
  t.it("'exit': goes to 'uncaughtException' listeners", function()
    local out, err, code = h.exec({ '-e', [[
      process:on('uncaughtException', function(e) console.log('uE got', e) end)
      process:on('exit', function() error('from exit', 0) end)
    ]] })
    assert.are.same({ 'uE got from exit\n', '', 0 }, { out, err, code })
    code = select(3, h.exec({ '-e', [[
      process:on('uncaughtException', function() process.exitCode = 4 end)
      process:on('exit', function() error('from exit', 0) end)
    ]] }))
    assert.are.equal(4, code)
    out, err, code = h.exec({ '-e', [[
      process:on('uncaughtException', function(e)
        console.log('uE got', e)
        error('from handler', 0)
      end)
      process:on('exit', function() error('from exit', 0) end)
    ]] })
    assert.are.equal(7, code)
    assert.are.equal('uE got from exit\n', out)
    assert.matches('^Uncaught Error: from handler\n', err)
  end)

  -- An uncaught error: 'exit'(1) runs first, what its listeners throw is
  -- dropped, then the error is printed; exit 1 (or the exitCode an 'exit'
  -- listener sets: 9).
  t.it("after an uncaught error, 'exit' runs before the error is printed",
    function()
      local out, err, code = h.exec({ '-e', [[
        process:on('exit', function(c)
          process.stderr:write('exit listener ' .. c .. '\n')
          error('from exit', 0)
        end)
        setTimeout(function() error('first', 0) end, 1)
      ]] })
      assert.are.equal(1, code)
      assert.are.equal('', out)
      assert.matches('^exit listener 1\nUncaught Error: first\n', err)
      assert.is_nil(err:find('from exit', 1, true))
      code = select(3, h.exec({ '-e', [[
        process:on('exit', function() process.exitCode = 9 end)
        process.exitCode = 5
        setTimeout(function() error('first', 0) end, 1)
      ]] }))
      assert.are.equal(9, code)
    end)
end)

describe('process', function()
  t.it('exits with process.exitCode', function()
    local _, _, code = h.exec({ '-e', 'process.exitCode = 3' })
    assert.are.equal(3, code)
  end)

  t.it('process.exit(code) runs exit listeners and ends at once', function()
    local out, _, code = h.exec({ '-e', [[
      process:on('exit', function(c) console.log('exit', c) end)
      setTimeout(function() console.log('never') end, 1000)
      process.exit(5)
    ]] })
    assert.are.equal(5, code)
    assert.are.equal('exit 5\n', out)
  end)

  t.it('lets exit listeners change the exit code', function()
    local _, _, code = h.exec({ '-e', [[
      process:on('exit', function() process.exitCode = 9 end)
    ]] })
    assert.are.equal(9, code)
  end)
end)

describe('globals', function()
  t.it('console.log prints tables as sorted Lua constructors', function()
    local out = h.exec({ '-e', [[
      console.log({ port = 12346, family = 'IPv4', address = '127.0.0.1' })
      console.log('%s is %d', 'x', 42, { 1, 2 })
      console.error('to stderr')
    ]] })
    assert.are.equal('{ address = "127.0.0.1", family = "IPv4", ' ..
      'port = 12346 }\nx is 42 { 1, 2 }\n', out)
  end)

  t.it('has setTimeout, clearTimeout, setInterval and clearInterval', function()
    local out = h.exec({ '-e', [[
      local cancelled = setTimeout(function() console.log('cancelled') end, 5)
      clearTimeout(cancelled)
      local n = 0
      local interval
      interval = setInterval(function(tag)
        n = n + 1
        if n == 3 then
          clearInterval(interval)
          console.log(tag, n)
        end
      end, 5, 'ticks')
    ]] })
    assert.are.equal('ticks 3\n', out)
  end)

  t.it("has setImmediate and clearImmediate, and require('timers') gives " ..
    'the same functions', function()
      local out = h.exec({ '-e', [[
        local timers = require('timers')
        for _, name in ipairs({ 'setTimeout', 'clearTimeout', 'setInterval',
            'clearInterval', 'setImmediate', 'clearImmediate' }) do
          assert(timers[name] == _G[name], name)
        end
        local cancelled = setImmediate(function() console.log('cancelled') end)
        clearImmediate(cancelled)
        timers.setImmediate(function(a, b) console.log('immediate', a, b) end,
          1, 2)
        console.log('first')
      ]] })
      assert.are.equal('first\nimmediate 1 2\n', out)
    end)

  t.it('raises ERR_INVALID_ARG_TYPE for a timer without a function', function()
    local out = h.exec({ '-e', [[
      local ok, err = pcall(setTimeout, 'nope', 1)
      console.log(ok, err.code)
    ]] })
    assert.are.equal('false ERR_INVALID_ARG_TYPE\n', out)
  end)
end)

describe('-e and -p, as node -e and node -p', function()
  -- node -p 'typeof net + typeof events + ... + typeof repl':
  -- "objectfunctionobjectobjectfunctionobject" (events and assert are
  -- functions there, callable tables here);
  -- node -e 'console.log(net === require("net"), globalThis.net === net)':
  -- true true; node -p 'net = 5; net': 5. A script file has no such
  -- globals (typeof net: undefined). Lua's own assert stays the global
  -- assert, as in the REPL: require('assert') is Node's.
  t.it('-e sees the built-in modules as globals, a script does not',
    function()
      local code = 'print(net == require("net"), _G.net == net, ' ..
        'events == require("events"), timers == require("timers"), ' ..
        'util == require("util"), repl == require("repl"), ' ..
        'assert == _G.assert and assert ~= require("assert"))'
      local out, err, status = h.exec({ '-e', code })
      assert.are.equal('', err)
      assert.are.equal(('true\t'):rep(6) .. 'true\n', out)
      assert.are.equal(0, status)
      assert.are.equal('5\n', h.exec({ '-e', 'net = 5 print(net)' }))
      local path = script('print(rawequal(net, nil), rawequal(repl, nil))')
      out = h.exec({ path })
      os.remove(path)
      assert.are.equal('true\ttrue\n', out)
    end)

  -- node -p 1+1: 2; -pe 1+1, -p -e 1+1 and -e 1+1 -p: the same;
  -- -p '"a%sb"': a%sb (a string as it is); -p '({a:1})': { a: 1 } (here
  -- util.inspect's Lua form); -p undefined, and -p alone: undefined (nil
  -- here); -p '"a\nb"': a, b on two lines.
  t.it('-p prints the value: a string as it is, else util.inspect', function()
    for _, case in ipairs({
      { { '-p', '1+1' }, '2\n' },
      { { '-pe', '1+1' }, '2\n' },
      { { '-p', '-e', '1+1' }, '2\n' },
      { { '-e', '1+1', '-p' }, '2\n' },
      { { '--print', '1+1' }, '2\n' },
      { { '-p', '"a%sb"' }, 'a%sb\n' },
      { { '-p', '{ a = 1 }' }, '{ a = 1 }\n' },
      { { '-p', '{ 1, "x" }' }, '{ 1, "x" }\n' },
      { { '-p', 'nil' }, 'nil\n' },
      { { '-p' }, 'nil\n' },
      { { '-p', '"a\\nb"' }, 'a\nb\n' },
      { { '-p', 'local x = 3 return x * 2' }, '6\n' }, -- statements
      { { '-p', 'type(net) .. type(repl)' }, 'tabletable\n' },
      { { '-p', '...', 'a', 'b' }, 'a b\n' }, -- Lua's many values
    }) do
      local out, err, code = h.exec(case[1])
      assert.are.equal('', err, table.concat(case[1], ' '))
      assert.are.equal(case[2], out, table.concat(case[1], ' '))
      assert.are.equal(0, code)
    end
  end)

  -- node -p 'setTimeout(() => console.log("t"), 5); 3': t, then 3;
  -- -p 'process.on("exit", () => console.log("mine")); 3': mine, then 3
  -- (printed at 'exit', after the listeners the code added);
  -- -p 'process.exit(2); 3': nothing, exit 2; -p 'setTimeout(() =>
  -- process.exit(2), 5); 3': 3, exit 2; -p 'throw 1': the error, exit 1.
  t.it("-p prints at 'exit', after what the loop printed", function()
    for _, case in ipairs({
      { 'setTimeout(function() console.log("t") end, 5) return 3',
        't\n3\n', 0 },
      { 'process:on("exit", function() console.log("mine") end) return 3',
        'mine\n3\n', 0 },
      { 'process.exit(2) return 3', '', 2 },
      { 'setTimeout(function() process.exit(2) end, 5) return 3', '3\n', 2 },
    }) do
      local out, _, code = h.exec({ '-p', case[1] })
      assert.are.equal(case[2], out, case[1])
      assert.are.equal(case[3], code, case[1])
    end
    local out, err, code = h.exec({ '-p', 'error("thrown")' })
    assert.are.equal('', out)
    assert.matches('^Uncaught Error: %[command line%]:1: thrown\n', err)
    assert.are.equal(1, code)
    out, err, code = h.exec({ '-p', 'x = = 1' })
    assert.are.equal('', out)
    assert.matches('^luanet: %[command line%]:1: ', err)
    assert.are.equal(1, code)
  end)

  t.it('--help lists -p, and -pe wants its code', function()
    local out = h.exec({ '--help' })
    assert.matches('\n  -p, --print CODE ', out, 1, true)
    local _, err, code = h.exec({ '-pe' })
    assert.matches('^luanet: %-pe requires an argument\n', err)
    assert.are.equal(9, code)
  end)
end)
