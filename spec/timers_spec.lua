-- Timers: setTimeout, setInterval, setImmediate, their clear* functions and
-- the Timeout and Immediate objects. The expected orders, values and
-- messages are what Node 20 gives for the same steps.
local h = require('spec.helpers')
local t = require('luanet.test')
local net, timers, process = h.net, h.timers, h.process
local setTimeout, setInterval, setImmediate = timers.setTimeout,
  timers.setInterval, timers.setImmediate
local clearTimeout, clearInterval, clearImmediate = timers.clearTimeout,
  timers.clearInterval, timers.clearImmediate

local function now()
  local hr = process.hrtime()
  return hr[1] * 1000 + hr[2] / 1e6
end

-- The error fn(...) raises.
local function raised(fn, ...)
  local ok, err = pcall(fn, ...)
  assert.is_false(ok)
  return err
end

-- Adds listener for 'uncaughtException' for this test. A failed assertion
-- or the harness's timeout (tables with a metatable) is not the error a
-- test raised: it goes on as itself, fatal, so the test fails with it.
local function onUncaught(listener)
  local function gate(err, ...)
    if type(err) == 'table' and getmetatable(err) then error(err, 0) end
    return listener(err, ...)
  end
  process:on('uncaughtException', gate)
  finally(function() process:off('uncaughtException', gate) end)
end

-- Spins for ms milliseconds: timers started just before are then all due
-- in the loop's next timer phase, however slow the build (valgrind) made
-- the time between starting them.
local function spin(ms)
  local deadline = now() + ms
  repeat until now() >= deadline
end

local warnings = h.warnings

describe('setTimeout', function()
  t.it('calls fn once after the delay with the arguments, trailing nils kept',
    function()
      local start = now()
      setTimeout(t.mustCall(function(...)
        assert.is_true(now() - start >= 19)
        assert.are.same({ n = 5, 'a', nil, 3 }, table.pack(...))
      end), 20, 'a', nil, 3, nil, nil)
    end)

  t.it('runs timers with the same delay in creation order, shorter first',
    function()
      local order = {}
      for _, name in ipairs({ 'a', 'b', 'c' }) do
        setTimeout(function() order[#order + 1] = name end, 10)
      end
      setTimeout(function() order[#order + 1] = 'short' end, 1)
      setTimeout(t.mustCall(function()
        order[#order + 1] = 'long'
        assert.are.same({ 'short', 'a', 'b', 'c', 'long' }, order)
      end), 30)
    end)

  t.it('runs the ticks a timer queued before the next timer', function()
    -- Node 22 prints A, tickA, B, immA when both timers fall due in the
    -- same pass (made in the same millisecond); B comes after immA when
    -- it was made a millisecond later (under valgrind), never before
    -- tickA.
    local order = {}
    setTimeout(function()
      order[#order + 1] = 'A'
      process.nextTick(function() order[#order + 1] = 'tickA' end)
      setImmediate(t.mustCall(function() order[#order + 1] = 'immA' end))
    end, 5)
    setTimeout(t.mustCall(function()
      order[#order + 1] = 'B'
      assert.are.same({ 'A', 'tickA' }, { order[1], order[2] })
    end), 5)
  end)

  t.it('treats delays outside 1..2^31-1, NaN and non-numbers as 1 ms',
    function()
      local list = {}
      local got = warnings(function()
        for _, ms in ipairs({ 0, -5, 0 / 0, 'abc', true, {}, 2 ^ 31,
          math.huge, 1e300 }) do
          list[#list + 1] = setTimeout(t.mustCall(), ms)
        end
        list[#list + 1] = setTimeout(t.mustCall())
      end)
      for _, tm in ipairs(list) do assert.are.equal(1, tm._idleTimeout) end
      assert.are.same({
        'TimeoutOverflowWarning: 2147483648 does not fit into a 32-bit ' ..
          'signed integer.\nTimeout duration was set to 1.',
        'TimeoutOverflowWarning: Infinity does not fit into a 32-bit ' ..
          'signed integer.\nTimeout duration was set to 1.',
        'TimeoutOverflowWarning: 1e+300 does not fit into a 32-bit ' ..
          'signed integer.\nTimeout duration was set to 1.',
      }, got)
    end)

  t.it('reads a number from a string, and keeps a fractional delay',
    function()
      local a = setTimeout(t.mustCall(), '15')
      local b = setTimeout(t.mustCall(), 2.7)
      local c = setTimeout(t.mustNotCall(), 2 ^ 31 - 1)
      assert.are.equal(15, a._idleTimeout)
      assert.are.equal(2.7, b._idleTimeout)
      assert.are.equal(2147483647, c._idleTimeout)
      clearTimeout(c)
    end)

  t.it('raises ERR_INVALID_ARG_TYPE without a function, scheduling nothing',
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
    end, { timeout = 1000 })

  t.it('clearTimeout stops it; anything else is ignored', function()
    local tm = setTimeout(t.mustNotCall(), 5)
    clearTimeout(tm)
    clearTimeout(tm)
    for _, v in ipairs({ 1, 'x', {}, true }) do clearTimeout(v) end
    clearTimeout(nil)
    clearTimeout()
    clearTimeout(setImmediate(t.mustCall()))
    clearImmediate(setTimeout(t.mustCall(), 1))
    assert.are.equal(-1, tm._idleTimeout)
    assert.is_true(tm._destroyed)
  end)

  t.it('close() clears it and returns it; a <close> variable clears it',
    function()
      local tm = setTimeout(t.mustNotCall(), 5)
      assert.are.equal(tm, tm:close())
      assert.are.equal(-1, tm._idleTimeout)
      do
        local scoped <close> = setTimeout(t.mustNotCall(), 5)
        local _ <close> = setImmediate(t.mustNotCall())
        assert.is_false(scoped._destroyed)
      end
    end)

  t.it('is _destroyed once it fired, not while its callback runs', function()
    local tm
    tm = setTimeout(t.mustCall(function()
      assert.is_false(tm._destroyed)
      assert.are.equal(5, tm._idleTimeout)
      setImmediate(t.mustCall(function()
        assert.is_true(tm._destroyed)
        assert.are.equal(5, tm._idleTimeout)
      end))
    end), 5)
    assert.is_false(tm._destroyed)
    assert.is_nil(tm._repeat)
  end)

  it('runs and is collected when nothing else holds it', function()
    local weak = setmetatable({}, { __mode = 'v' })
    t.run(function()
      weak[1] = setTimeout(t.mustCall(), 5)
      weak[2] = setImmediate(t.mustCall())
      weak[3] = setInterval(t.mustCall(function()
        clearInterval(weak[3])
      end), 5)
      collectgarbage()
      collectgarbage()
    end)
    collectgarbage()
    collectgarbage()
    assert.is_nil(next(weak))
  end)
end)

describe('timeout:refresh()', function()
  t.it('restarts the full delay from now', function()
    local start = now()
    local tm = setTimeout(t.mustCall(function()
      assert.is_true(now() - start >= 58)
    end), 40)
    setTimeout(function()
      assert.are.equal(tm, tm:refresh())
    end, 20)
  end)

  t.it('runs a timer again after it fired, also from its own callback',
    function()
      local n, tm = 0, nil
      tm = setTimeout(t.mustCall(function()
        n = n + 1
        if n == 1 then tm:refresh() end
        if n == 2 then -- it does not fire again by itself
          setTimeout(t.mustCall(function()
            assert.are.equal(2, n)
            assert.is_true(tm._destroyed)
            tm:refresh()
            assert.is_false(tm._destroyed)
          end), 20)
        end
      end, 3), 5)
    end)

  t.it('does nothing after clearTimeout', function()
    local tm = setTimeout(t.mustNotCall(), 5)
    clearTimeout(tm)
    assert.are.equal(tm, tm:refresh())
    assert.is_true(tm._destroyed)
  end)

  t.it('restarts a fired timeout cleared later, which then calls nothing',
    function()
      local tm
      tm = setTimeout(t.mustCall(function()
        setImmediate(t.mustCall(function()
          clearTimeout(tm)
          assert.are.equal(1, tm._idleTimeout)
          tm:refresh()
          assert.is_false(tm._destroyed)
          setTimeout(t.mustCall(function()
            assert.is_true(tm._destroyed)
          end), 20)
        end))
      end), 1)
    end)
end)

describe('ref and unref', function()
  -- The loop must end within timeout = 1000 ms while an unref'd timer of
  -- 5000 ms is still started: the harness does not count it as open.
  t.it('an unref\'d timer does not keep the loop alive', function()
    local tm = setTimeout(t.mustNotCall(), 5000)
    assert.is_true(tm:hasRef())
    assert.are.equal(tm, tm:unref())
    assert.is_false(tm:hasRef())
  end, { timeout = 1000 })

  t.it('an unref\'d timer still fires while something else runs', function()
    local order = {}
    setTimeout(function() order[#order + 1] = 'unref' end, 5):unref()
    setTimeout(t.mustCall(function()
      order[#order + 1] = 'ref'
      assert.are.same({ 'unref', 'ref' }, order)
    end), 30)
  end)

  -- It fires once: unref'd again and refreshed, it does not keep the loop
  -- alive for a second time.
  t.it('ref() makes it count again, refresh() keeps the choice', function()
    local tm
    tm = setTimeout(t.mustCall(function()
      setImmediate(t.mustCall(function()
        tm:unref():refresh()
        assert.is_false(tm:hasRef())
        assert.is_false(tm._destroyed)
      end))
    end), 10):unref()
    assert.are.equal(tm, tm:ref())
    assert.is_true(tm:hasRef())
  end, { timeout = 1000 })

  t.it('an unref\'d interval stops when nothing else is left', function()
    local n = 0
    setInterval(function() n = n + 1 end, 5):unref()
    setTimeout(t.mustCall(function()
      setImmediate(t.mustCall(function() assert.is_true(n >= 2) end))
    end), 28)
  end, { timeout = 1000 })

  t.it('an unref\'d immediate does not keep the loop alive', function()
    local im = setImmediate(t.mustNotCall())
    assert.is_true(im:hasRef())
    assert.are.equal(im, im:unref())
    assert.is_false(im:hasRef())
  end, { timeout = 1000 })

  t.it('an unref\'d immediate counts again after ref(), until cleared',
    function()
      local im = setImmediate(t.mustNotCall()):unref()
      assert.are.equal(im, im:ref())
      assert.is_true(im:hasRef())
      clearImmediate(im)
      assert.is_false(im:hasRef())
      assert.is_true(im._destroyed)
    end)
end)

describe('setInterval', function()
  t.it('repeats with its arguments until cleared in its own callback',
    function()
      local n, i = 0, nil
      i = setInterval(t.mustCall(function(a, b, c)
        n = n + 1
        assert.are.equal('x', a)
        assert.is_nil(b)
        assert.are.equal(3, c)
        if n == 3 then
          clearInterval(i)
          setImmediate(t.mustCall(function()
            assert.are.equal(-1, i._idleTimeout)
            assert.is_true(i._destroyed)
          end))
        end
      end, 3), 5, 'x', nil, 3)
      assert.are.equal(5, i._repeat)
      assert.are.equal(5, i._idleTimeout)
    end)

  t.it('is cleared by clearTimeout too, and a cleared one cannot refresh',
    function()
      local i
      i = setInterval(t.mustCall(function()
        clearTimeout(i)
        setImmediate(t.mustCall(function()
          i:refresh()
          assert.is_true(i._destroyed)
        end))
      end), 1)
    end)

  t.it('keeps running after an error its callback raises, which goes to ' ..
    'uncaughtException', function()
      local caught, n, i = {}, 0, nil
      onUncaught(t.mustCall(function(err, origin)
        caught[#caught + 1] = err.message .. ' ' .. origin
        if #caught == 3 then
          assert.are.equal(3, n)
          assert.are.same({ 'boom 1 uncaughtException',
            'boom 2 uncaughtException', 'boom 3 uncaughtException' }, caught)
        end
      end, 3))
      i = setInterval(function()
        n = n + 1
        if n == 3 then clearInterval(i) end
        error({ message = 'boom ' .. n })
      end, 2)
    end)
end)

describe('setImmediate', function()
  t.it('calls fn with the arguments, trailing nils kept', function()
    local im
    im = setImmediate(t.mustCall(function(...)
      assert.are.same({ n = 3, 1 }, table.pack(...))
      setImmediate(t.mustCall(function()
        assert.is_true(im._destroyed)
        assert.is_false(im:hasRef())
      end))
    end), 1, nil, nil)
    assert.is_false(im._destroyed)
  end)

  t.it('runs those queued before this turn, each followed by its ticks; ' ..
    'one queued meanwhile waits for the next turn', function()
      local order = {}
      local function push(s) return function() order[#order + 1] = s end end
      local i5
      setImmediate(function()
        push('I1')()
        process.nextTick(push('tickI1'))
        setImmediate(t.mustCall(function()
          push('I3')()
          assert.are.same({ 'I1', 'tickI1', 'I2', 'I4', 'I3' }, order)
        end))
      end)
      setImmediate(push('I2'))
      setImmediate(function()
        push('I4')()
        clearImmediate(i5)
      end)
      i5 = setImmediate(push('I5'))
    end)

  t.it('runs before setTimeout(0) inside an I/O callback, after the ticks',
    function()
      local order = {}
      local server
      server = h.listen(function(socket) socket:destroy() end)
      local client
      client = net.connect(server:address().port, '127.0.0.1', t.mustCall(
        function()
          setTimeout(t.mustCall(function()
            order[#order + 1] = 'timeout'
            assert.are.same({ 'tick', 'immediate', 'timeout' }, order)
          end), 0)
          setImmediate(function() order[#order + 1] = 'immediate' end)
          process.nextTick(function() order[#order + 1] = 'tick' end)
          client:destroy()
          server:close()
        end))
    end)

  t.it('goes on after an error; the ticks of the one that raised run after ' ..
    'the next, as in Node', function()
      local order = {}
      onUncaught(function(err) order[#order + 1] = 'caught ' .. err end)
      setImmediate(function()
        process.nextTick(t.mustCall(function()
          order[#order + 1] = 'tickI'
          assert.are.same({ 'caught i1', 'i2', 'tickI' }, order)
        end))
        error('i1', 0)
      end)
      setImmediate(function() order[#order + 1] = 'i2' end)
    end)
end)

describe('nextTick and the phases', function()
  t.it('ticks run before immediates and timers', function()
    local order = {}
    local function push(s)
      return t.mustCall(function()
        order[#order + 1] = s
        if #order == 3 then assert.are.equal('tick', order[1]) end
      end)
    end
    setTimeout(push('timeout'), 0)
    setImmediate(push('immediate'))
    process.nextTick(push('tick'))
  end)

  t.it('after a timer raised, its ticks run after the next timer of the ' ..
    'phase, as in Node', function()
      local order = {}
      onUncaught(function(err, origin)
        order[#order + 1] = 'caught ' .. err .. ' ' .. origin
      end)
      setTimeout(function()
        process.nextTick(function() order[#order + 1] = 'tick1' end)
        setImmediate(t.mustCall(function()
          order[#order + 1] = 'imm1'
          assert.are.same({ 'caught t1 uncaughtException', 't2', 'tick1',
            'imm1' }, order)
        end))
        error('t1', 0)
      end, 5)
      setTimeout(function() order[#order + 1] = 't2' end, 5)
      spin(10)
    end)

  t.it('after the last timer of a phase raised, its ticks still run before ' ..
    'the immediates', function()
      local order = {}
      onUncaught(function() order[#order + 1] = 'caught' end)
      setTimeout(function()
        setImmediate(t.mustCall(function()
          order[#order + 1] = 'imm'
          assert.are.same({ 'caught', 'tick', 'imm' }, order)
        end))
        process.nextTick(function() order[#order + 1] = 'tick' end)
        error('x')
      end, 1)
    end)

  -- About luanet.run() itself: the first run raises, a second one (the
  -- harness's t.run) runs what is left.
  it('an uncaught error with no listener stops run() with it; what is ' ..
    'left runs in the next run()', function()
      local order = {}
      setTimeout(function() error({ code = 'EBOOM' }) end, 1)
      setTimeout(function() order[#order + 1] = 'B' end, 1)
      local later = setTimeout(function() order[#order + 1] = 'later' end, 50)
      local ok, err = pcall(h.luanet.run)
      assert.is_false(ok)
      assert.are.equal('EBOOM', err.code)
      assert.are.same({}, order)
      t.run(function()
        setImmediate(t.mustCall(function() order[#order + 1] = 'I' end))
        clearTimeout(later)
      end)
      table.sort(order)
      assert.are.same({ 'B', 'I' }, order)
    end)
end)

describe('the timers module', function()
  t.it('has Node\'s six functions', function()
    for _, name in ipairs({ 'setTimeout', 'setInterval', 'setImmediate',
      'clearTimeout', 'clearInterval', 'clearImmediate' }) do
      assert.are.equal('function', type(timers[name]), name)
    end
  end)

  t.it('gives a Timeout and an Immediate tostring names', function()
    local tm = setTimeout(t.mustNotCall(), 5)
    local im = setImmediate(t.mustNotCall())
    assert.matches('^Timeout %(5 ms%)', tostring(tm))
    assert.matches('^Immediate', tostring(im))
    clearTimeout(tm)
    clearImmediate(im)
  end)
end)

describe('the host', function()
  t.it('prints the TimeoutOverflowWarning on stderr', function()
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

  t.it('ends with only unref\'d timers left', function()
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
