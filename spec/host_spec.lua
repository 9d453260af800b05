-- The luanet executable: running scripts and code, the globals, process
-- exit codes, and uncaught errors, checked by running build/luanet.
local h = require('spec.helpers')

local script = h.script

describe('luanet', function()
  it('runs a script, then its loop, then exits 0', function()
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

  it('runs -e code', function()
    local out, _, code = h.exec({ '-e', 'console.log(1 + 1)' })
    assert.are.equal('2\n', out)
    assert.are.equal(0, code)
  end)

  it('runs a script from standard input', function()
    local out, _, code = h.exec({}, 'console.log("from stdin")')
    assert.are.equal('from stdin\n', out)
    assert.are.equal(0, code)
  end)

  it('prints --version and --help', function()
    local out, _, code = h.exec({ '--version' })
    assert.matches('^luanet %d+%.%d+%.%d+', out)
    assert.are.equal(0, code)
    out, _, code = h.exec({ '--help' })
    assert.matches('usage: luanet', out, 1, true)
    assert.are.equal(0, code)
  end)

  it('rejects an unknown option', function()
    local _, err, code = h.exec({ '--nosuch' })
    assert.matches('bad option: --nosuch', err, 1, true)
    assert.are.equal(9, code)
  end)

  it('reports a syntax error and exits 1', function()
    local _, err, code = h.exec({ '-e', 'this is not lua' })
    assert.matches('luanet: ', err, 1, true)
    assert.are.equal(1, code)
  end)

  it('passes process.argv: executable, script, arguments, as absolute paths',
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

  it('reports a script that cannot be opened, and exits 1', function()
    local out, err, code = h.exec({ '/nonexistent/script.lua' })
    assert.are.equal('', out)
    assert.are.equal('luanet: cannot open /nonexistent/script.lua: ' ..
      'No such file or directory\n', err)
    assert.are.equal(1, code)
  end)

  it('reports a syntax error in a script file, and exits 1', function()
    local path = script('local x = = 1')
    local out, err, code = h.exec({ path })
    os.remove(path)
    assert.are.equal('', out)
    assert.matches(':1: unexpected symbol near \'=\'', err)
    assert.are.equal(1, code)
  end)

  it('reports an error raised by a script as uncaught, with its traceback',
    function()
      local path = script('console.log("before")\nlocal t\nprint(t.x)')
      local out, err, code = h.exec({ path })
      os.remove(path)
      assert.are.equal('before\n', out)
      assert.matches('^Uncaught Error: [^\n]*:3: attempt to index a nil ' ..
        'value %(local \'t\'%)\nstack traceback:\n', err)
      assert.are.equal(1, code)
      _, err, code = h.exec({}, 'error("from stdin")')
      assert.matches('^Uncaught Error: stdin:1: from stdin\n', err)
      assert.are.equal(1, code)
    end)

  it('rejects -e without code', function()
    local out, err, code = h.exec({ '-e' })
    assert.are.equal('', out)
    assert.matches('^luanet: %-e requires an argument\nusage: luanet', err)
    assert.are.equal(9, code)
  end)

  it('lets a script require a module beside it', function()
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
  it('exit 1 with the message on stderr for an error event without listener',
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

  it('exit 1 for an error raised in a listener', function()
    local _, err, code = h.exec({ '-e', [[
      setTimeout(function() error('boom') end, 1)
      setTimeout(function() console.log('never') end, 50)
    ]] })
    assert.are.equal(1, code)
    assert.matches('^Uncaught Error: %[command line%]:1: boom', err)
  end)

  it('go to uncaughtException listeners, and the loop goes on', function()
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

describe('process', function()
  it('exits with process.exitCode', function()
    local _, _, code = h.exec({ '-e', 'process.exitCode = 3' })
    assert.are.equal(3, code)
  end)

  it('process.exit(code) runs exit listeners and ends at once', function()
    local out, _, code = h.exec({ '-e', [[
      process:on('exit', function(c) console.log('exit', c) end)
      setTimeout(function() console.log('never') end, 1000)
      process.exit(5)
    ]] })
    assert.are.equal(5, code)
    assert.are.equal('exit 5\n', out)
  end)

  it('lets exit listeners change the exit code', function()
    local _, _, code = h.exec({ '-e', [[
      process:on('exit', function() process.exitCode = 9 end)
    ]] })
    assert.are.equal(9, code)
  end)
end)

describe('globals', function()
  it('console.log prints tables as sorted Lua constructors', function()
    local out = h.exec({ '-e', [[
      console.log({ port = 12346, family = 'IPv4', address = '127.0.0.1' })
      console.log('%s is %d', 'x', 42, { 1, 2 })
      console.error('to stderr')
    ]] })
    assert.are.equal('{ address = "127.0.0.1", family = "IPv4", ' ..
      'port = 12346 }\nx is 42 { 1, 2 }\n', out)
  end)

  it('has setTimeout, clearTimeout, setInterval and clearInterval', function()
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

  it("has setImmediate and clearImmediate, and require('timers') gives " ..
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

  it('raises ERR_INVALID_ARG_TYPE for a timer without a function', function()
    local out = h.exec({ '-e', [[
      local ok, err = pcall(setTimeout, 'nope', 1)
      console.log(ok, err.code)
    ]] })
    assert.are.equal('false ERR_INVALID_ARG_TYPE\n', out)
  end)
end)
