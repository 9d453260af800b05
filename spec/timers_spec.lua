-- Timers: setTimeout, setInterval, setImmediate, their clear* functions and
-- the Timeout and Immediate objects. The expected orders, values and
-- messages are what Node 20 gives for the same steps.
local h = require('spec.helpers')
local net, expect, timers, process = h.net, h.expect, h.timers, h.process
local setTimeout, setInterval, setImmediate = timers.setTimeout,
  timers.setInterval, timers.setImmediate
local clearTimeout, clearInterval, clearImmediate = timers.clearTimeout,
  timers.clearInterval, timers.clearImmediate

local function now()
  local t = process.hrtime()
  return t[1] * 1000 + t[2] / 1e6
end

-- The error fn(...) raises.
local function raised(fn, ...)
  local ok, err = pcall(fn, ...)
  assert.is_false(ok)
  return err
end

-- Adds an 'uncaughtException' listener for the length of the test.
local function onUncaught(listener)
  process:on('uncaughtException', listener)
  finally(function() process:off('uncaughtException', listener) end)
end

local warnings = h.warnings

describe('setTimeout', function()
  it('calls fn once after the delay with the arguments, trailing nils kept',
    function()
      local start, got = now(), nil
      setTimeout(expect(function(...)
        got = table.pack(...)
      end), 20, 'a', nil, 3, nil, nil)
      h.run()
      assert.is_true(now() - start >= 19)
      assert.are.same({ n = 5, 'a', nil, 3 }, got)
    end)

  it('runs timers with the same delay in creation order, shorter first',
    function()
      local order = {}
      for _, name in ipairs({ 'a', 'b', 'c' }) do
        setTimeout(function() order[#order + 1] = name end, 10)
      end
      setTimeout(function() order[#order + 1] = 'short' end, 1)
      setTimeout(function() order[#order + 1] = 'long' end, 30)
      h.run()
      assert.are.same({ 'short', 'a', 'b', 'c', 'long' }, order)
    end)

  it('runs the ticks a timer queued before the next timer', function()
    local order = {}
    setTimeout(function()
      order[#order + 1] = 'A'
      process.nextTick(function() order[#order + 1] = 'tickA' end)
      setImmediate(function() order[#order + 1] = 'immA' end)
    end, 5)
    setTimeout(function() order[#order + 1] = 'B' end, 5)
    h.run()
    assert.are.same({ 'A', 'tickA', 'B', 'immA' }, order)
  end)

  it('treats delays outside 1..2^31-1, NaN and non-numbers as 1 ms',
    function()
      local list = {}
      local got = warnings(function()
        for _, ms in ipairs({ 0, -5, 0 / 0, 'abc', true, {}, 2 ^ 31,
          math.huge, 1e300 }) do
          list[#list + 1] = setTimeout(expect(), ms)
        end
        list[#list + 1] = setTimeout(expect())
      end)
      for _, t in ipairs(list) do assert.are.equal(1, t._idleTimeout) end
      assert.are.same({
        'TimeoutOverflowWarning: 2147483648 does not fit into a 32-bit ' ..
          'signed integer.\nTimeout duration was set to 1.',
        'TimeoutOverflowWarning: Infinity does not fit into a 32-bit ' ..
          'signed integer.\nTimeout duration was set to 1.',
        'TimeoutOverflowWarning: 1e+300 does not fit into a 32-bit ' ..
          'signed integer.\nTimeout duration was set to 1.',
      }, got)
      h.run()
    end)

  it('reads a number from a string, and keeps a fractional delay',
    function()
      local a = setTimeout(expect(), '15')
      local b = setTimeout(expect(), 2.7)
      local c = setTimeout(expect(nil, 0), 2 ^ 31 - 1)
      assert.are.equal(15, a._idleTimeout)
      assert.are.equal(2.7, b._idleTimeout)
      assert.are.equal(2147483647, c._idleTimeout)
      clearTimeout(c)
      h.run()
    end)

  it('raises ERR_INVALID_ARG_TYPE without a function, scheduling nothing',
    function()
      local cases = {
        { { 1 }, 'type number (1)' },
        { {}, 'nil' },
        { { 'x', 10 }, "type string ('x')" },
        { { {} }, 'type table' },
        { { true }, 'type boolean (true)' },
      }
      for _, fn in ipairs({ setTimeout, setInterval, setImmediate }) do
        for _, case in ipairs(cases) do
          local err = raised(fn, table.unpack(case[1]))
          assert.are.equal('TypeError', err.name)
          assert.are.equal('ERR_INVALID_ARG_TYPE', err.code)
          assert.are.equal('The "callback" argument must be of type ' ..
            'function. Received ' .. case[2], err.message)
          assert.are.equal('TypeError [ERR_INVALID_ARG_TYPE]: ' ..
            err.message, tostring(err))
        end
      end
      h.run(1)
    end)

  it('clearTimeout stops it; anything else is ignored', function()
    local t = setTimeout(expect(nil, 0), 5)
    clearTimeout(t)
    clearTimeout(t)
    for _, v in ipairs({ 1, 'x', {}, true }) do clearTimeout(v) end
    clearTimeout(nil)
    clearTimeout()
    clearTimeout(setImmediate(expect()))
    clearImmediate(setTimeout(expect(), 1))
    assert.are.equal(-1, t._idleTimeout)
    assert.is_true(t._destroyed)
    h.run()
  end)

  it('close() clears it and returns it; a <close> variable clears it',
    function()
      local t = setTimeout(expect(nil, 0), 5)
      assert.are.equal(t, t:close())
      assert.are.equal(-1, t._idleTimeout)
      do
        local scoped <close> = setTimeout(expect(nil, 0), 5)
        local _ <close> = setImmediate(expect(nil, 0))
        assert.is_false(scoped._destroyed)
      end
      h.run()
    end)

  it('is _destroyed once it fired, not while its callback runs', function()
    local t
    t = setTimeout(expect(function()
      assert.is_false(t._destroyed)
      assert.are.equal(5, t._idleTimeout)
    end), 5)
    assert.is_false(t._destroyed)
    assert.is_nil(t._repeat)
    h.run()
    assert.is_true(t._destroyed)
    assert.are.equal(5, t._idleTimeout)
  end)

  it('runs and is collected when nothing else holds it', function()
    local weak = setmetatable({}, { __mode = 'v' })
    weak[1] = setTimeout(expect(), 5)
    weak[2] = setImmediate(expect())
    weak[3] = setInterval(expect(function()
      clearInterval(weak[3])
    end), 5)
    collectgarbage()
    collectgarbage()
    h.run()
    collectgarbage()
    collectgarbage()
    assert.is_nil(next(weak))
  end)
end)

describe('timeout:refresh()', function()
  it('restarts the full delay from now', function()
    local start, fired = now(), nil
    local t = setTimeout(expect(function() fired = now() end), 40)
    setTimeout(function()
      assert.are.equal(t, t:refresh())
    end, 20)
    h.run()
    assert.is_true(fired - start >= 58)
  end)

  it('runs a timer again after it fired, also from its own callback',
    function()
      local n, t = 0, nil
      t = setTimeout(function()
        n = n + 1
        if n == 1 then t:refresh() end
      end, 5)
      h.run()
      assert.are.equal(2, n)
      assert.is_true(t._destroyed)
      t:refresh()
      assert.is_false(t._destroyed)
      h.run()
      assert.are.equal(3, n)
    end)

  it('does nothing after clearTimeout', function()
    local t = setTimeout(expect(nil, 0), 5)
    clearTimeout(t)
    assert.are.equal(t, t:refresh())
    assert.is_true(t._destroyed)
    h.run()
  end)

  it('restarts a fired timeout cleared later, which then calls nothing',
    function()
      local t = setTimeout(expect(), 1)
      h.run()
      clearTimeout(t)
      assert.are.equal(1, t._idleTimeout)
      t:refresh()
      assert.is_false(t._destroyed)
      h.run()
      assert.is_true(t._destroyed)
    end)
end)

describe('ref and unref', function()
  -- These leave an unref'd timer started when the loop ends, which h.run()
  -- would count as left open: they run the loop themselves first.
  it('an unref\'d timer does not keep the loop alive', function()
    local t = setTimeout(expect(nil, 0), 5000)
    assert.is_true(t:hasRef())
    assert.are.equal(t, t:unref())
    assert.is_false(t:hasRef())
    local start = now()
    h.luanet.run()
    assert.is_true(now() - start < 1000)
    clearTimeout(t)
    h.run()
  end)

  it('an unref\'d timer still fires while something else runs', function()
    local order = {}
    setTimeout(function() order[#order + 1] = 'unref' end, 5):unref()
    setTimeout(function() order[#order + 1] = 'ref' end, 30)
    h.run()
    assert.are.same({ 'unref', 'ref' }, order)
  end)

  it('ref() makes it count again, refresh() keeps the choice', function()
    local t = setTimeout(expect(), 10):unref()
    assert.are.equal(t, t:ref())
    assert.is_true(t:hasRef())
    h.run()
    t:unref():refresh()
    assert.is_false(t:hasRef())
    h.luanet.run()
    assert.is_false(t._destroyed)
    clearTimeout(t)
    h.run()
  end)

  it('an unref\'d interval stops when nothing else is left', function()
    local n = 0
    local i = setInterval(function() n = n + 1 end, 5):unref()
    setTimeout(expect(), 28)
    h.luanet.run()
    assert.is_true(n >= 2)
    clearInterval(i)
    h.run()
  end)

  it('an unref\'d immediate does not keep the loop alive', function()
    -- A handle still closing would make the loop turn once: none is left.
    collectgarbage()
    collectgarbage()
    h.luanet.run()
    local im = setImmediate(expect(nil, 0))
    assert.is_true(im:hasRef())
    assert.are.equal(im, im:unref())
    assert.is_false(im:hasRef())
    h.run()
    assert.are.equal(im, im:ref())
    assert.is_true(im:hasRef())
    clearImmediate(im)
    assert.is_false(im:hasRef())
    assert.is_true(im._destroyed)
    h.run()
  end)
end)

describe('setInterval', function()
  it('repeats with its arguments until cleared in its own callback',
    function()
      local n, i = 0, nil
      i = setInterval(expect(function(a, b, c)
        n = n + 1
        assert.are.equal('x', a)
        assert.is_nil(b)
        assert.are.equal(3, c)
        if n == 3 then clearInterval(i) end
      end, 3), 5, 'x', nil, 3)
      assert.are.equal(5, i._repeat)
      assert.are.equal(5, i._idleTimeout)
      h.run()
      assert.are.equal(-1, i._idleTimeout)
      assert.is_true(i._destroyed)
    end)

  it('is cleared by clearTimeout too, and a cleared one cannot refresh',
    function()
      local i
      i = setInterval(expect(function() clearTimeout(i) end), 1)
      h.run()
      i:refresh()
      assert.is_true(i._destroyed)
      h.run()
    end)

  it('keeps running after an error its callback raises, which goes to ' ..
    'uncaughtException', function()
      local caught, n, i = {}, 0, nil
      onUncaught(function(err, origin)
        caught[#caught + 1] = err.message .. ' ' .. origin
      end)
      i = setInterval(function()
        n = n + 1
        if n == 3 then clearInterval(i) end
        error({ message = 'boom ' .. n })
      end, 2)
      h.run()
      assert.are.equal(3, n)
      assert.are.same({ 'boom 1 uncaughtException', 'boom 2 uncaughtException',
        'boom 3 uncaughtException' }, caught)
    end)
end)

describe('setImmediate', function()
  it('calls fn with the arguments, trailing nils kept', function()
    local got
    local im = setImmediate(expect(function(...)
      got = table.pack(...)
    end), 1, nil, nil)
    assert.is_false(im._destroyed)
    h.run()
    assert.are.same({ n = 3, 1 }, got)
    assert.is_true(im._destroyed)
    assert.is_false(im:hasRef())
  end)

  it('runs those queued before this turn, each followed by its ticks; ' ..
    'one queued meanwhile waits for the next turn', function()
      local order = {}
      local function push(s) return function() order[#order + 1] = s end end
      local i5
      setImmediate(function()
        push('I1')()
        process.nextTick(push('tickI1'))
        setImmediate(push('I3'))
      end)
      setImmediate(push('I2'))
      setImmediate(function()
        push('I4')()
        clearImmediate(i5)
      end)
      i5 = setImmediate(push('I5'))
      h.run()
      assert.are.same({ 'I1', 'tickI1', 'I2', 'I4', 'I3' }, order)
    end)

  it('runs before setTimeout(0) inside an I/O callback, after the ticks',
    function()
      local order = {}
      local server
      server = h.listen(function(socket) socket:destroy() end)
      local client
      client = net.connect(server:address().port, '127.0.0.1', expect(
        function()
          setTimeout(function() order[#order + 1] = 'timeout' end, 0)
          setImmediate(function() order[#order + 1] = 'immediate' end)
          process.nextTick(function() order[#order + 1] = 'tick' end)
          client:destroy()
          server:close()
        end))
      h.run()
      assert.are.same({ 'tick', 'immediate', 'timeout' }, order)
    end)

  it('goes on after an error; the ticks of the one that raised run after ' ..
    'the next, as in Node', function()
      local order = {}
      onUncaught(function(err) order[#order + 1] = 'caught ' .. err end)
      setImmediate(function()
        process.nextTick(function() order[#order + 1] = 'tickI' end)
        error('i1', 0)
      end)
      setImmediate(function() order[#order + 1] = 'i2' end)
      h.run()
      assert.are.same({ 'caught i1', 'i2', 'tickI' }, order)
    end)
end)

describe('nextTick and the phases', function()
  it('ticks run before immediates and timers', function()
    local order = {}
    setTimeout(function() order[#order + 1] = 'timeout' end, 0)
    setImmediate(function() order[#order + 1] = 'immediate' end)
    process.nextTick(function() order[#order + 1] = 'tick' end)
    h.run()
    assert.are.equal('tick', order[1])
    assert.are.equal(3, #order)
  end)

  it('after a timer raised, its ticks run after the next timer of the ' ..
    'phase, as in Node', function()
      local order = {}
      onUncaught(function(err, origin)
        order[#order + 1] = 'caught ' .. err .. ' ' .. origin
      end)
      setTimeout(function()
        process.nextTick(function() order[#order + 1] = 'tick1' end)
        setImmediate(function() order[#order + 1] = 'imm1' end)
        error('t1', 0)
      end, 5)
      setTimeout(function() order[#order + 1] = 't2' end, 5)
      h.run()
      assert.are.same({ 'caught t1 uncaughtException', 't2', 'tick1', 'imm1' },
        order)
    end)

  it('after the last timer of a phase raised, its ticks still run before ' ..
    'the immediates', function()
      local order = {}
      onUncaught(function() order[#order + 1] = 'caught' end)
      setTimeout(function()
        setImmediate(function() order[#order + 1] = 'imm' end)
        process.nextTick(function() order[#order + 1] = 'tick' end)
        error('x')
      end, 1)
      h.run()
      assert.are.same({ 'caught', 'tick', 'imm' }, order)
    end)

  it('an uncaught error with no listener stops run() with it; what is ' ..
    'left runs in the next run()', function()
      local order = {}
      setTimeout(function() error({ code = 'EBOOM' }) end, 1)
      setTimeout(function() order[#order + 1] = 'B' end, 1)
      local later = setTimeout(expect(nil, 0), 50)
      local ok, err = pcall(h.luanet.run)
      assert.is_false(ok)
      assert.are.equal('EBOOM', err.code)
      assert.are.same({}, order)
      setImmediate(function() order[#order + 1] = 'I' end)
      clearTimeout(later)
      h.run()
      table.sort(order)
      assert.are.same({ 'B', 'I' }, order)
    end)
end)

describe('the timers module', function()
  it('has Node\'s six functions', function()
    for _, name in ipairs({ 'setTimeout', 'setInterval', 'setImmediate',
      'clearTimeout', 'clearInterval', 'clearImmediate' }) do
      assert.are.equal('function', type(timers[name]), name)
    end
  end)

  it('gives a Timeout and an Immediate tostring names', function()
    local t = setTimeout(expect(nil, 0), 5)
    local im = setImmediate(expect(nil, 0))
    assert.matches('^Timeout %(5 ms%)', tostring(t))
    assert.matches('^Immediate', tostring(im))
    clearTimeout(t)
    clearImmediate(im)
    h.run()
  end)
end)

describe('the host', function()
  it('prints the TimeoutOverflowWarning on stderr', function()
    local out, err, code = h.exec({ '-e', [[
      setTimeout(function() console.log('fired') end, 2^31)
      console.log('first')
    ]] })
    assert.are.equal('first\nfired\n', out)
    assert.matches('^%(luanet:%d+%) TimeoutOverflowWarning: 2147483648 ' ..
      'does not fit into a 32%-bit signed integer%.\nTimeout duration was ' ..
      'set to 1%.\n$', err)
    assert.are.equal(0, code)
  end)

  it('ends with only unref\'d timers left', function()
    local out, _, code = h.exec({ '-e', [[
      setTimeout(function() console.log('never') end, 5000):unref()
      setInterval(function() console.log('never') end, 1000):unref()
      setImmediate(function() console.log('never') end):unref()
      console.log('done')
    ]] })
    assert.are.equal('done\n', out)
    assert.are.equal(0, code)
  end)
end)
