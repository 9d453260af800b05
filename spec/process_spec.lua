-- process: its fields, env, nextTick, hrtime, memoryUsage, stdout and
-- stderr, kill, emitWarning, exitCode and exit, 'uncaughtException', and
-- signals. The expected values and messages are what Node 20 gives for the
-- same steps; what ends the process is checked by running build/luanet.
local h = require('spec.helpers')
local t = require('luanet.test')
local timers, process = h.timers, h.process

-- The error fn(...) raises.
local function raised(fn, ...)
  local ok, err = pcall(fn, ...)
  assert.is_false(ok)
  return err
end

local function checkError(err, name, code, message)
  assert.are.equal(name, err.name)
  assert.are.equal(code, err.code)
  assert.are.equal(message, err.message)
end

local readAll = h.readAll

-- Starts build/luanet -e source in the background. Returns output() (what
-- it printed on stdout so far) and status(): the exit status once it
-- ended (128 + n after signal n), else nil. (The shell reports a death by
-- signal on the command's stderr, which goes to a file of its own.)
local function start(source)
  local out, err, status = os.tmpname(), os.tmpname(), os.tmpname()
  os.remove(status)
  os.execute('(' .. h.shellQuote(h.exe) .. ' -e ' .. h.shellQuote(source) ..
    ' </dev/null >' .. out .. ' 2>' .. err .. '; echo $? >' .. status ..
    ') >/dev/null 2>&1 &')
  finally(function()
    os.remove(out)
    os.remove(err)
    os.remove(status)
  end)
  return {
    output = function() return readAll(out) end,
    status = function() return tonumber(readAll(status):match('^(%d+)\n')) end,
  }
end

-- Runs source (which prints "ready PID" once its listeners are in place),
-- sends it signal, and calls check with its output and exit status once
-- it ended.
local function signalled(source, signal, check)
  local p = start(source)
  h.waitFor(function() return p.output():match('ready (%d+)') end,
    t.mustCall(function()
      process.kill(tonumber(p.output():match('ready (%d+)')), signal)
      h.waitFor(function() return p.status() ~= nil end, t.mustCall(
        function() check(p.output(), p.status()) end))
    end))
end

describe('process', function()
  t.it('has pid, ppid, platform, arch, execPath, argv and version', function()
    assert.are.equal('integer', math.type(process.pid))
    assert.is_true(process.pid > 0)
    assert.are.equal('integer', math.type(process.ppid))
    assert.are.equal('linux', process.platform)
    assert.is_string(process.arch)
    assert.is_string(process.execPath)
    assert.are.equal('table', type(process.argv))
    assert.are.same({}, process.execArgv)
    assert.matches('^v%d+%.%d+%.%d+$', process.version)
    assert.is_true(process.uptime() >= 0)
    assert.is_string(process.cwd())
  end)

  t.it('is an emitter named process', function()
    local f = t.mustCall()
    assert.are.equal(process, process:on('nosuch', f))
    assert.is_true(process:emit('nosuch'))
    process:off('nosuch', f)
    assert.is_false(process:emit('nosuch'))
    assert.are.equal('process', getmetatable(process).__name)
  end)
end)

describe('process.env', function()
  t.it('reads the environment live', function()
    assert.are.equal(os.getenv('PATH'), process.env.PATH)
    assert.is_nil(process.env.LUANET_NO_SUCH_VARIABLE)
  end)

  t.it('stores strings in the real environment; nil deletes', function()
    finally(function() process.env.LUANET_SPEC_VAR = nil end)
    process.env.LUANET_SPEC_VAR = 12
    assert.are.equal('12', process.env.LUANET_SPEC_VAR)
    assert.are.equal('12', os.getenv('LUANET_SPEC_VAR'))
    process.env.LUANET_SPEC_VAR = true
    assert.are.equal('true', process.env.LUANET_SPEC_VAR)
    process.env.LUANET_SPEC_VAR = 'x y'
    local seen
    for k, v in pairs(process.env) do
      if k == 'LUANET_SPEC_VAR' then seen = v end
    end
    assert.are.equal('x y', seen)
    process.env.LUANET_SPEC_VAR = nil
    assert.is_nil(process.env.LUANET_SPEC_VAR)
    assert.is_nil(os.getenv('LUANET_SPEC_VAR'))
  end)
end)

describe('process.nextTick', function()
  t.it('calls fn with the arguments, trailing nils kept, in order', function()
    local got, order = nil, {}
    process.nextTick(t.mustCall(function(...)
      got = table.pack(...)
      order[#order + 1] = 1
      process.nextTick(function() order[#order + 1] = 3 end)
    end), 'a', nil, nil)
    process.nextTick(function() order[#order + 1] = 2 end)
    local function last() -- the immediate or the timeout, whichever is
      if #order < 5 then return end
      assert.are.same({ n = 3, 'a' }, got)
      assert.are.same({ 1, 2, 3 }, { order[1], order[2], order[3] })
    end
    timers.setImmediate(t.mustCall(function()
      order[#order + 1] = 'immediate'
      last()
    end))
    timers.setTimeout(t.mustCall(function()
      order[#order + 1] = 'timeout'
      last()
    end), 0)
  end)

  t.it('raises ERR_INVALID_ARG_TYPE without a function', function()
    for _, case in ipairs({
      { 1, 'type number (1)' },
      { nil, 'nil' },
      { 'f', "type string ('f')" },
      { {}, 'type table' },
    }) do
      checkError(raised(process.nextTick, case[1]), 'TypeError',
        'ERR_INVALID_ARG_TYPE', 'The "callback" argument must be of type ' ..
        'function. Received ' .. case[2])
    end
  end)

  t.it('runs the ticks queued in a tick that raised, after the error went ' ..
    'to uncaughtException', function()
      local order = {}
      local function listener(err) order[#order + 1] = 'caught ' .. err end
      process:on('uncaughtException', listener)
      finally(function() process:off('uncaughtException', listener) end)
      process.nextTick(function() error('n1', 0) end)
      process.nextTick(function() order[#order + 1] = 'n2' end)
      timers.setImmediate(t.mustCall(function()
        order[#order + 1] = 'immediate'
        assert.are.same({ 'caught n1', 'n2', 'immediate' }, order)
      end))
    end)
end)

describe('process.hrtime', function()
  t.it('gives { seconds, nanoseconds }, or the time since an earlier one',
    function()
      local hr = process.hrtime()
      assert.are.equal(2, #hr)
      assert.are.equal('integer', math.type(hr[1]))
      assert.is_true(hr[2] >= 0 and hr[2] < 1e9)
      local d = process.hrtime(hr)
      assert.is_true(d[1] >= 0 and d[2] >= 0 and d[2] < 1e9)
      assert.is_true(d[1] < 5)
      d = process.hrtime({ hr[1] + 1, 0 })
      assert.is_true(d[1] < 0)
    end)

  t.it('hrtime.bigint() gives nanoseconds, an integer', function()
    local a = process.hrtime.bigint()
    local b = process.hrtime.bigint()
    assert.are.equal('integer', math.type(a))
    assert.is_true(b >= a)
    local hr = process.hrtime()
    assert.is_true(math.abs(hr[1] * 1000000000 + hr[2] - b) < 1e9)
  end)

  t.it('raises Node\'s errors for a bad time', function()
    checkError(raised(process.hrtime, 1), 'TypeError', 'ERR_INVALID_ARG_TYPE',
      'The "time" argument must be an instance of Array. Received type ' ..
      'number (1)')
    checkError(raised(process.hrtime, { 1 }), 'RangeError', 'ERR_OUT_OF_RANGE',
      'The value of "time" is out of range. It must be 2. Received 1')
    checkError(raised(process.hrtime, { 1, 2, 3 }), 'RangeError',
      'ERR_OUT_OF_RANGE',
      'The value of "time" is out of range. It must be 2. Received 3')
    local hr = process.hrtime({ 'a', 'b' })
    assert.is_true(hr[1] ~= hr[1] and hr[2] ~= hr[2]) -- NaN, as Node gives
  end)
end)

describe('process.memoryUsage', function()
  t.it('gives rss, heapTotal, heapUsed, external, arrayBuffers', function()
    local m = process.memoryUsage()
    for _, k in ipairs({ 'rss', 'heapTotal', 'heapUsed', 'external',
      'arrayBuffers' }) do
      assert.are.equal('integer', math.type(m[k]), k)
    end
    assert.is_true(m.rss > 0 and m.heapUsed > 0)
    assert.are.equal('integer', math.type(process.memoryUsage.rss()))
  end)
end)

describe('process.stdout and process.stderr', function()
  t.it('write() returns true and calls back on the next tick with nil',
    function()
      local called = false
      assert.is_true(process.stdout:write('', t.mustCall(function(...)
        called = true
        assert.are.same({ n = 1 }, table.pack(...))
      end)))
      assert.is_true(process.stderr:write('', 'utf8', t.mustCall()))
      assert.is_false(called)
      assert.are.equal(1, process.stdout.fd)
      assert.are.equal(2, process.stderr.fd)
      -- Node 22: true on a terminal, undefined otherwise
      assert.is_true(process.stdout.isTTY == nil or
        process.stdout.isTTY == true)
    end)

  t.it('raises Node\'s errors for bad chunks and encodings', function()
    local stream = 'string or an instance of Buffer, TypedArray, or DataView'
    checkError(raised(process.stdout.write, process.stdout, 1), 'TypeError',
      'ERR_INVALID_ARG_TYPE', 'The "chunk" argument must be of type ' ..
      stream .. '. Received type number (1)')
    checkError(raised(process.stdout.write, process.stdout, {}), 'TypeError',
      'ERR_INVALID_ARG_TYPE', 'The "chunk" argument must be of type ' ..
      stream .. '. Received type table')
    checkError(raised(process.stdout.write, process.stdout, nil), 'TypeError',
      'ERR_STREAM_NULL_VALUES', 'May not write null values to stream')
    checkError(raised(process.stderr.write, process.stderr, '', 'bogus'),
      'TypeError', 'ERR_UNKNOWN_ENCODING', 'Unknown encoding: bogus')
    checkError(raised(process.stderr.write, process.stderr, '', 1),
      'TypeError', 'ERR_UNKNOWN_ENCODING', 'Unknown encoding: 1')
  end)

  t.it('encodes as Node does, and writes at once', function()
    local out, err, code = h.exec({ '-e', [[
      process.stdout:write('414243zz41', 'hex')
      process.stdout:write('QUJD\n', 'base64')
      process.stdout:write('\u{e9}', 'latin1')
      process.stdout:write('\u{e9}', 'ASCII')
      process.stdout:write('ab', 'UTF16LE')
      process.stdout:write('\u{1F600}', 'ucs2')
      process.stdout:write('-_8', 'base64url')
      process.stdout:write('\u{e9}', 'UTF-8', function(err)
        process.stderr:write('written ' .. tostring(err))
      end)
      process.nextTick(function() process.stderr:write(' then tick') end)
    ]] })
    assert.are.equal('ABCABC\xe9\xe9a\0b\0\x3d\xd8\x00\xde\xfb\xff\xc3\xa9',
      out)
    assert.are.equal('written nil then tick', err)
    assert.are.equal(0, code)
  end)
end)

describe('process.kill', function()
  t.it('returns true, sending a name or a number (0 checks the pid)',
    function()
      assert.is_true(process.kill(process.pid, 0))
      assert.is_true(process.kill(tostring(process.pid), 0))
    end)

  t.it('raises Node\'s errors', function()
    checkError(raised(process.kill, 'abc'), 'TypeError',
      'ERR_INVALID_ARG_TYPE', 'The "pid" argument must be of type number. ' ..
      "Received type string ('abc')")
    checkError(raised(process.kill, 1.5), 'TypeError', 'ERR_INVALID_ARG_TYPE',
      'The "pid" argument must be of type number. Received type number (1.5)')
    checkError(raised(process.kill, nil), 'TypeError', 'ERR_INVALID_ARG_TYPE',
      'The "pid" argument must be of type number. Received nil')
    checkError(raised(process.kill, process.pid, 'SIGFOO'), 'TypeError',
      'ERR_UNKNOWN_SIGNAL', 'Unknown signal: SIGFOO')
    checkError(raised(process.kill, process.pid, 1.5), 'TypeError',
      'ERR_UNKNOWN_SIGNAL', 'Unknown signal: 1.5')
    local err = raised(process.kill, 2147483647, 'SIGTERM')
    checkError(err, 'Error', 'ESRCH', 'kill ESRCH')
    assert.are.equal(-3, err.errno)
    assert.are.equal('kill', err.syscall)
    assert.are.equal('Error: kill ESRCH', tostring(err))
    err = raised(process.kill, process.pid, -1)
    checkError(err, 'Error', 'EINVAL', 'kill EINVAL')
  end)
end)

describe('process.emitWarning', function()
  -- Takes the default listener (which prints) away for the test.
  local function quiet()
    local saved = process:listeners('warning')
    process:removeAllListeners('warning')
    finally(function()
      process:removeAllListeners('warning')
      for _, l in ipairs(saved) do process:on('warning', l) end
    end)
  end

  t.it('emits warning on the next tick with name, message, code, detail',
    function()
      quiet()
      local got = {}
      process:on('warning', function(w) got[#got + 1] = w end)
      process.emitWarning('plain')
      process.emitWarning('typed', 'CustomWarning', 'CODE1')
      process.emitWarning('opts', { type = 'X', code = 'C', detail = 'more' })
      assert.are.equal(0, #got)
      timers.setImmediate(t.mustCall(function()
        assert.are.equal(3, #got)
        assert.are.same({ 'Warning', 'plain' },
          { got[1].name, got[1].message })
        assert.are.same({ 'CustomWarning', 'typed', 'CODE1' },
          { got[2].name, got[2].message, got[2].code })
        assert.are.same({ 'X', 'opts', 'C', 'more' },
          { got[3].name, got[3].message, got[3].code, got[3].detail })
      end))
    end)

  t.it('raises Node\'s errors for a bad warning, type or code', function()
    quiet()
    checkError(raised(process.emitWarning, 1), 'TypeError',
      'ERR_INVALID_ARG_TYPE', 'The "warning" argument must be of type ' ..
      'string or an instance of Error. Received type number (1)')
    checkError(raised(process.emitWarning, 'w', 1), 'TypeError',
      'ERR_INVALID_ARG_TYPE', 'The "type" argument must be of type string. ' ..
      'Received type number (1)')
    checkError(raised(process.emitWarning, 'w', 'T', 2), 'TypeError',
      'ERR_INVALID_ARG_TYPE', 'The "code" argument must be of type string. ' ..
      'Received type number (2)')
  end)

  t.it('prints "(luanet:PID) [code] Type: message" on stderr', function()
    local _, err, code = h.exec({ '-e', [[
      process.emitWarning('first', 'CustomWarning', 'CODE1')
      process.emitWarning('second', { detail = 'the detail' })
      process.stderr:write('sync\n')
    ]] })
    assert.matches('^sync\n%(luanet:%d+%) %[CODE1%] CustomWarning: first\n' ..
      '%(luanet:%d+%) Warning: second\nthe detail\n$', err)
    assert.are.equal(0, code)
  end)
end)

describe('process.exitCode', function()
  after_each(function() process.exitCode = nil end)

  t.it('takes integers, strings of integers and nil', function()
    for _, v in ipairs({ 0, 3, -1, '3', ' 3 ', '0x10', 3.0, 2 ^ 40 }) do
      process.exitCode = v
      assert.are.equal(v, process.exitCode)
    end
    process.exitCode = nil
    assert.is_nil(process.exitCode)
  end)

  t.it('raises Node\'s errors for anything else', function()
    local function set(v) process.exitCode = v end
    checkError(raised(set, 'abc'), 'TypeError', 'ERR_INVALID_ARG_TYPE',
      'The "code" argument must be of type number. Received type string ' ..
      "('abc')")
    checkError(raised(set, true), 'TypeError', 'ERR_INVALID_ARG_TYPE',
      'The "code" argument must be of type number. Received type boolean ' ..
      '(true)')
    checkError(raised(set, 1.5), 'RangeError', 'ERR_OUT_OF_RANGE',
      'The value of "code" is out of range. It must be an integer. ' ..
      'Received 1.5')
    local err = raised(set, 2 ^ 60)
    assert.are.same({ 'RangeError', 'ERR_OUT_OF_RANGE' },
      { err.name, err.code })
    assert.matches('^The value of "code" is out of range%. It must be >= ' ..
      '%-9007199254740991 && <= 9007199254740991%. Received ', err.message)
    checkError(raised(process.exit, '1.5'), 'RangeError', 'ERR_OUT_OF_RANGE',
      'The value of "code" is out of range. It must be an integer. ' ..
      'Received 1.5')
    checkError(raised(set, ''), 'TypeError', 'ERR_INVALID_ARG_TYPE',
      'The "code" argument must be of type number. Received type string ' ..
      "('')")
    assert.is_nil(process.exitCode)
  end)
end)

describe('process.exit', function()
  local function run(source)
    local out, _, code = h.exec({ '-e', source })
    return out, code
  end

  t.it('stores its code first: exit(code), exit(nil), exit()', function()
    assert.are.same({ 'exit 5\n', 5 }, { run([[
      process:on('exit', function(c) console.log('exit', c) end)
      process.exit('5')
    ]]) })
    assert.are.same({ 'exit 0\n', 0 }, { run([[
      process:on('exit', function(c) console.log('exit', c) end)
      process.exitCode = 4
      process.exit(nil)
    ]]) })
    assert.are.same({ 'exit 4\n', 4 }, { run([[
      process:on('exit', function(c) console.log('exit', c) end)
      process.exitCode = 4
      process.exit()
    ]]) })
  end)

  t.it('emits exit once; an exit listener may exit with another code',
    function()
      assert.are.same({ 'exit 2\n', 4 }, { run([[
        process:on('exit', function(c)
          console.log('exit', c)
          process.exit(4)
        end)
        setTimeout(function() console.log('never') end, 1000)
        process.exit(2)
      ]]) })
    end)

  t.it('ends with exitCode, which exit listeners see and may change',
    function()
      assert.are.same({ 'exit 3\n', 9 }, { run([[
        process.exitCode = '3'
        process:on('exit', function(c)
          console.log('exit', c)
          process.exitCode = 9
        end)
      ]]) })
    end)
end)

describe("'uncaughtException'", function()
  t.it('gets the error and its origin, after uncaughtExceptionMonitor',
    function()
      local order = {}
      local function monitor(err, origin)
        order[#order + 1] = 'monitor ' .. err.code .. ' ' .. origin
      end
      local listener = t.mustCall(function(err, origin)
        order[#order + 1] = 'listener ' .. err.code .. ' ' .. origin
        assert.are.same({ 'monitor EX uncaughtException',
          'listener EX uncaughtException' }, order)
      end)
      process:on('uncaughtExceptionMonitor', monitor)
      process:on('uncaughtException', listener)
      finally(function()
        process:off('uncaughtExceptionMonitor', monitor)
        process:off('uncaughtException', listener)
      end)
      timers.setTimeout(function() error({ code = 'EX' }) end, 1)
    end)

  t.it('without a listener, the monitor sees it and the process exits 1',
    function()
      local out, err, code = h.exec({ '-e', [[
        process:on('uncaughtExceptionMonitor', function(e, origin)
          console.log('monitor', origin)
        end)
        process:on('exit', function(c) console.log('exit', c) end)
        setTimeout(function() error('boom') end, 1)
      ]] })
      assert.are.equal('monitor uncaughtException\nexit 1\n', out)
      assert.matches('boom', err, 1, true)
      assert.are.equal(1, code)
    end)
end)

describe('signals', function()
  t.it('a listener gets the name and number, and the process lives on',
    function()
      signalled([[
        local keep = setInterval(function() end, 1000)
        process:on('SIGINT', function(name, signum)
          console.log('got', name, signum)
          clearInterval(keep)
        end)
        process:on('exit', function(c) console.log('exit', c) end)
        console.log('ready', process.pid)
      ]], 'SIGINT', function(out, status)
        assert.matches('^ready %d+\ngot SIGINT 2\nexit 0\n$', out)
        assert.are.equal(0, status)
      end)
    end)

  t.it('without a listener a signal ends the process, without exit',
    function()
      signalled([[
        setInterval(function() end, 1000)
        process:on('exit', function(c) console.log('exit', c) end)
        console.log('ready', process.pid)
      ]], 'SIGTERM', function(out, status)
        assert.matches('^ready %d+\n$', out)
        assert.are.equal(128 + 15, status)
      end)
    end)

  t.it('removing the last listener restores the default', function()
    signalled([[
      setInterval(function() end, 1000)
      local function a() console.log('a') end
      process:on('SIGTERM', a)
      process:once('SIGTERM', a)
      process:off('SIGTERM', a)
      process:off('SIGTERM', a)
      console.log('ready', process.pid, process:listenerCount('SIGTERM'))
    ]], 'SIGTERM', function(out, status)
      assert.matches('^ready %d+ 0\n$', out)
      assert.are.equal(128 + 15, status)
    end)
  end)

  t.it('stays watched while another listener is left', function()
    signalled([[
      local keep = setInterval(function() end, 1000)
      local function a() console.log('a') end
      process:on('SIGHUP', a)
      process:on('SIGHUP', function(name)
        console.log('b', name)
        clearInterval(keep)
      end)
      process:off('SIGHUP', a)
      console.log('ready', process.pid)
    ]], 'SIGHUP', function(out, status)
      assert.matches('^ready %d+\nb SIGHUP\n$', out)
      assert.are.equal(0, status)
    end)
  end)

  t.it('a listener alone does not keep the loop alive', function()
    local out, _, code = h.exec({ '-e', [[
      process:on('SIGINT', function() end)
      process:on('SIGTERM', function() end)
      console.log('done')
    ]] })
    assert.are.equal('done\n', out)
    assert.are.equal(0, code)
  end)

  t.it('reaches a listener in this process, and stops watching after off()',
    function()
      local got
      local listener
      listener = t.mustCall(function(...)
        got = table.pack(...)
        process:off('SIGUSR2', listener)
      end)
      process:on('SIGUSR2', listener)
      assert.is_true(h.luanet._handles() > 0)
      process.kill(process.pid, 'SIGUSR2')
      -- a signal listener keeps nothing alive: the wait does
      h.waitFor(function() return got ~= nil end, t.mustCall(function()
        assert.are.same({ n = 2, 'SIGUSR2', 12 }, got)
        assert.are.equal(0, process:listenerCount('SIGUSR2'))
      end))
    end)

  t.it('SIGKILL and SIGSTOP cannot be listened to: uv_signal_start EINVAL',
    function()
      for _, name in ipairs({ 'SIGKILL', 'SIGSTOP' }) do
        local err = raised(process.on, process, name, function() end)
        checkError(err, 'Error', 'EINVAL', 'uv_signal_start EINVAL')
        assert.are.equal(-22, err.errno)
        assert.are.equal('uv_signal_start', err.syscall)
        assert.are.equal(0, process:listenerCount(name))
      end
    end)

  t.it('an event that is not a signal is only an event', function()
    local f = t.mustCall()
    process:on('SIGFOO', f)
    process:emit('SIGFOO')
    process:off('SIGFOO', f)
  end)
end)
