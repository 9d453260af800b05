-- Start-up: the host loads a module when it is first used (issue 14's
-- start-up target), and every global and process.argv behave as when they
-- were all made at start. Checked by running build/luanet.
local h = require('spec.helpers')

-- luanet's own modules in package.loaded, sorted, as code that prints them
local LOADED = [[
  local ours = { assert = 1, blocklist = 1, console = 1, errors = 1,
    events = 1, handles = 1, host = 1, host_uncaught = 1, net = 1,
    process = 1, reader = 1, repl = 1, slips = 1, task = 1, timers = 1,
    util = 1 }
  local names = {}
  for k in pairs(package.loaded) do
    if ours[k] then names[#names + 1] = k end
  end
  table.sort(names)
  io.write(table.concat(names, ' '), '\n')
]]

describe('start-up', function()
  it('loads only the host and the task runner for a script that uses ' ..
    'nothing', function()
      local out, err, code = h.exec({ '-e', LOADED })
      assert.are.equal('host task\n', out)
      assert.are.equal('', err)
      assert.are.equal(0, code)
    end)

  it('loads errors when the first error is made, and shows it as ever',
    function()
      local out, err, code = h.exec({ '-e', LOADED .. [[
        local ok, e = pcall(require('luanet').net.spawn, 1)
        print(ok, tostring(e))
      ]] })
      assert.are.equal('host task\nfalse\tTypeError [ERR_INVALID_ARG_' ..
        'TYPE]: The "fn" argument must be of type function. Received ' ..
        'type number (1)\n', out)
      assert.are.equal('', err)
      assert.are.equal(0, code)
      -- the hint under a compile error, from errors loaded by the host
      out, err, code = h.exec({ '-e', 'socket:end()' })
      assert.are.equal('', out)
      assert.matches('\n`end` is a Lua keyword: write socket:end_%(%)', err)
      assert.are.equal(1, code)
    end)

  it('loads a global\'s module when the global is first read', function()
    local out, err, code = h.exec({ '-e', [[
      print(rawget(_G, 'console'), rawget(_G, 'process'),
        rawget(_G, 'setTimeout'))
      print(console == require('console'), process == require('process'),
        setTimeout == require('timers').setTimeout,
        clearImmediate == require('timers').clearImmediate,
        rawget(_G, 'console') == console)
    ]] })
    assert.are.equal('nil\tnil\tnil\ntrue\ttrue\ttrue\ttrue\ttrue\n', out)
    assert.are.equal('', err)
    assert.are.equal(0, code)
  end)

  it('sets process.argv when process is required without the global',
    function()
      local path = h.script('print(require("process").argv[3])')
      local out, err, code = h.exec({ path, 'first' })
      os.remove(path)
      assert.are.equal('first\n', out)
      assert.are.equal('', err)
      assert.are.equal(0, code)
    end)

  it('keeps the exit code and the \'exit\' event of a process loaded by ' ..
    'require', function()
      local out, err, code = h.exec({ '-e', [[
        local process = require('process')
        process:on('exit', function(c) print('exit', c) end)
        process.exitCode = 3
      ]] })
      assert.are.equal('exit\t3\n', out)
      assert.are.equal('', err)
      assert.are.equal(3, code)
    end)

  it('reports an error raised before process was loaded, and lets an ' ..
    'uncaughtException listener take a later one', function()
      local out, err, code = h.exec({ '-e', 'error("early")' })
      assert.are.equal('', out)
      assert.matches('^Uncaught Error: %[command line%]:1: early\n', err)
      assert.are.equal(1, code)
      -- one of luanet's errors, with its fields, the first thing loaded
      out, err, code = h.exec({ '-e', [[
        error(require('errors').new('Error', 'EX', 'x', { port = 1 }))
      ]] })
      assert.are.equal('', out)
      assert.matches('^Uncaught Error: x\n', err)
      assert.are.equal('\n{ code = "EX", port = 1 }\n', err:sub(-27))
      assert.are.equal(1, code)
      out, err, code = h.exec({ '-e', [[
        require('process'):on('uncaughtException', function(e)
          print('took', e)
        end)
        setTimeout(function() error('late', 0) end, 1)
      ]] })
      assert.are.equal('took\tlate\n', out)
      assert.are.equal('', err)
      assert.are.equal(0, code)
    end)

  it('gives the luanet module\'s net, events, timers and process on first ' ..
    'read', function()
      local out, err, code = h.exec({ '-e', [[
        local luanet = require('luanet')
        print(rawget(luanet, 'net'), luanet.net == require('net'),
          luanet.events == require('events'),
          luanet.timers == require('timers'),
          luanet.process == require('process'), luanet.nothing)
      ]] })
      assert.are.equal('nil\ttrue\ttrue\ttrue\ttrue\tnil\n', out)
      assert.are.equal('', err)
      assert.are.equal(0, code)
    end)
end)
