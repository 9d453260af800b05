-- The emitter of lua/events.lua, as Node's lib/events.js behaves, on plain
-- emitters, a Lua class made an emitter by mixin, Sockets and Servers. The
-- expected orders and messages are what Node 20 gives for the same steps.
local h = require('spec.helpers')
local t = require('luanet.test')
local net = h.net
local EventEmitter = h.luanet.events

local Thing = EventEmitter.mixin({ __name = 'Thing' })
Thing.__index = Thing

local kinds = {
  { 'EventEmitter()', 'EventEmitter', function() return EventEmitter() end },
  { 'a Lua class with mixin', 'Thing',
    function() return setmetatable({}, Thing) end },
  { 'a Socket', 'Socket', function() return net.Socket() end },
  { 'a Server', 'Server', function() return net.createServer() end },
}

-- The error fn(...) raises.
local function raised(fn, ...)
  local ok, err = pcall(fn, ...)
  assert.is_false(ok)
  return err
end

local warnings = h.warnings

local function leak(n, event, class, max)
  return 'MaxListenersExceededWarning: Possible EventEmitter memory leak ' ..
    'detected. ' .. n .. ' ' .. event .. ' listeners added to [' .. class ..
    ']. MaxListeners is ' .. max .. '. Use emitter.setMaxListeners() to ' ..
    'increase limit'
end

-- Listeners that append their name (and what they got) to a log.
local function recorder()
  local log, names = {}, {}
  local function nameOf(l)
    if type(l) == 'table' and l.listener then
      return 'once(' .. names[l.listener] .. ')'
    end
    return names[l] or tostring(l)
  end
  local function make(name, fn)
    local l = function(...)
      log[#log + 1] = name
      if fn then return fn(...) end
    end
    names[l] = name
    return l
  end
  return log, make, nameOf
end

local noop = function() end

for _, kind in ipairs(kinds) do
  local name, class, make = kind[1], kind[2], kind[3]

  describe('the emitter of ' .. name, function()
    t.it('on and addListener add in order and return the emitter', function()
      local e, log, new = make(), recorder()
      assert.are.equal(e, e:on('x', new('a')))
      assert.are.equal(e, e:addListener('x', new('b')))
      e:on('x', new('c'))
      e:emit('x')
      assert.are.same({ 'a', 'b', 'c' }, log)
    end)

    t.it('emit passes every argument, trailing nils too, and no self',
      function()
        local e, got = make(), {}
        local function count(...) got[#got + 1] = select('#', ...) end
        e:on('one', count)
        e:on('two', count)
        e:on('two', function(a, b, c) got[#got + 1] = { a, b, c } end)
        e:emit('one', 1, nil, nil)
        e:emit('one')
        e:emit('two', 'a', nil, 'c', nil)
        assert.are.same({ 3, 0, 4, { 'a', nil, 'c' } }, got)
      end)

    t.it('emit returns whether there were listeners', function()
      local e = make()
      assert.is_false(e:emit('x'))
      e:on('x', noop)
      assert.is_true(e:emit('x'))
      e:on('x', noop)
      assert.is_true(e:emit('x'))
      e:off('x', noop):off('x', noop)
      assert.is_false(e:emit('x'))
    end)

    t.it('prependListener and prependOnceListener add at the front',
      function()
        local e, log, new = make(), recorder()
        e:on('x', new('a'))
        assert.are.equal(e, e:prependListener('x', new('b')))
        assert.are.equal(e, e:prependOnceListener('x', new('c')))
        e:emit('x')
        e:emit('x')
        assert.are.same({ 'c', 'b', 'a', 'b', 'a' }, log)
      end)

    t.it('once calls the listener one time, removed before the call',
      function()
        local e, seen = make(), {}
        assert.are.equal(e, e:once('x', t.mustCall(function(...)
          seen = { n = select('#', ...), e:listenerCount('x'), ... }
        end)))
        assert.is_true(e:emit('x', 'a', nil))
        assert.is_false(e:emit('x', 'b'))
        assert.are.same({ n = 2, 0, 'a', nil }, seen)
      end)

    t.it('off removes the most recent instance of a listener', function()
      local e, log, new = make(), recorder()
      local a, b = new('a'), new('b')
      e:on('x', a):on('x', b):on('x', a)
      assert.are.equal(e, e:off('x', a))
      assert.are.same({ a, b }, e:listeners('x'))
      e:removeListener('x', a)
      e:emit('x')
      assert.are.same({ 'b' }, log)
      assert.are.equal(e, e:off('x', a):off('nothing', a))
      assert.are.same({ b }, e:listeners('x'))
    end)

    t.it('off removes a once listener by its original, or by its wrapper',
      function()
        local e = make()
        local f = function() error('removed, never called') end
        e:once('x', f)
        local wrapper = e:rawListeners('x')[1]
        assert.are.equal('table', type(wrapper))
        assert.are.equal(f, wrapper.listener)
        e:off('x', f)
        assert.are.equal(0, e:listenerCount('x'))
        e:on('x', noop):once('x', f):on('x', noop)
        e:off('x', e:rawListeners('x')[2])
        assert.are.same({ noop, noop }, e:listeners('x'))
        e:emit('x')
      end)

    t.it('a once wrapper from rawListeners called by hand runs once and ' ..
      'removes itself', function()
        local e = make()
        local f = t.mustCall(function(a) assert.are.equal('hi', a) end)
        e:once('x', f)
        local wrapper = e:rawListeners('x')[1]
        wrapper('hi')
        wrapper('again')
        assert.are.equal(0, e:listenerCount('x'))
        assert.is_false(e:emit('x', 'late'))
      end)

    t.it('removing or adding during emit does not change that emit',
      function()
        local e, log, new = make(), recorder()
        local b = new('b')
        e:on('x', new('a', function()
          e:off('x', b)
          e:on('x', new('d'))
        end))
        e:on('x', b)
        e:emit('x')
        log[#log + 1] = '|'
        e:emit('x')
        assert.are.same({ 'a', 'b', '|', 'a', 'd' }, log)
      end)

    t.it('removeAllListeners(event) removes one event, () every one',
      function()
        local e = make()
        e:on('x', noop):on('x', noop):once('y', noop):on('z', noop)
        assert.are.equal(e, e:removeAllListeners('x'))
        assert.are.same({ 'y', 'z' }, e:eventNames())
        assert.are.equal(e, e:removeAllListeners('nothing'))
        assert.are.equal(e, e:removeAllListeners())
        assert.are.same({}, e:eventNames())
        assert.is_false(e:emit('y'))
        assert.are.equal(e, e:removeAllListeners())
      end)

    t.it('removeAllListeners emits removeListener in Node\'s order', function()
      local e, log, new, nameOf = make(), recorder()
      local function logger(id)
        local l = new(id, function(event, l)
          log[#log] = id .. ':' .. event .. ':' .. nameOf(l)
        end)
        return l
      end
      local a, b, c = new('a'), new('b'), new('c')
      e:on('b', b):on('removeListener', logger('r1')):on('a', a)
      e:once('a', c):on('removeListener', logger('r2')):on('c', c)
      e:removeAllListeners()
      assert.are.same({ 'r1:b:b', 'r2:b:b', 'r1:a:once(c)', 'r2:a:once(c)',
        'r1:a:a', 'r2:a:a', 'r1:c:c', 'r2:c:c', 'r1:removeListener:r2' },
        log)
      assert.are.same({}, e:eventNames())
    end)

    t.it('removeAllListeners(nil) names an event, as undefined does in Node',
      function()
        local e = make()
        e:on('x', noop)
        e:removeAllListeners(nil)
        assert.are.equal(1, e:listenerCount('x'))
        e:on('removeListener', noop)
        e:removeAllListeners(nil)
        assert.are.same({ 'x', 'removeListener' }, e:eventNames())
      end)

    t.it('listeners and rawListeners return new lists', function()
      local e = make()
      local f, g = function() end, function() end
      assert.are.same({}, e:listeners('x'))
      assert.are.same({}, e:rawListeners('x'))
      e:on('x', f)
      assert.are.same({ f }, e:rawListeners('x'))
      e:once('x', g)
      local list, raw = e:listeners('x'), e:rawListeners('x')
      assert.are.same({ f, g }, list)
      assert.are.equal(f, raw[1])
      assert.are.equal(g, raw[2].listener)
      list[1], raw[1] = nil, nil
      assert.are.same({ f, g }, e:listeners('x'))
      e:once('y', g)
      assert.are.same({ g }, e:listeners('y'))
      assert.are.equal(g, e:rawListeners('y')[1].listener)
    end)

    t.it('listenerCount counts the listeners, or those of one listener',
      function()
        local e = make()
        local f, g = function() end, function() end
        assert.are.equal(0, e:listenerCount('x'))
        assert.are.equal(0, e:listenerCount('x', f))
        e:on('x', f)
        assert.are.equal(1, e:listenerCount('x', f))
        assert.are.equal(0, e:listenerCount('x', g))
        e:once('x', f):on('x', g):prependOnceListener('x', g)
        assert.are.equal(4, e:listenerCount('x'))
        assert.are.equal(2, e:listenerCount('x', f))
        assert.are.equal(2, e:listenerCount('x', g))
        assert.are.equal(1, e:listenerCount('x', e:rawListeners('x')[1]))
      end)

    t.it('eventNames lists the events in the order they got listeners',
      function()
        local e = make()
        assert.are.same({}, e:eventNames())
        e:on('b', noop):on('a', noop):on('c', noop)
        e:off('b', noop):on('b', noop):on('a', noop)
        local names = e:eventNames()
        assert.are.same({ 'a', 'c', 'b' }, names)
        names[1] = nil
        assert.are.same({ 'a', 'c', 'b' }, e:eventNames())
        e:on(42, noop):once(EventEmitter, noop)
        assert.are.same({ 'a', 'c', 'b', 42, EventEmitter }, e:eventNames())
      end)

    t.it('newListener comes before the add, with the unwrapped listener',
      function()
        local e, got = make(), {}
        local f = function() end
        e:on('newListener', function(event, listener, ...)
          got[#got + 1] = { event, listener, e:listenerCount(event),
            select('#', ...) }
        end)
        e:once('x', f)
        e:prependListener('x', f)
        e:on('newListener', noop)
        assert.are.same({ { 'x', f, 0, 0 }, { 'x', f, 1, 0 },
          { 'newListener', noop, 1, 0 } }, got)
      end)

    t.it('a listener added inside newListener is not called for that add',
      function()
        local e, log, new, nameOf = make(), recorder()
        local late = new('late')
        e:once('newListener', function(event, l)
          log[#log + 1] = 'new:' .. event .. ':' .. nameOf(l) .. ':' ..
            e:listenerCount(event)
          if event == 'x' then
            e:on('x', new('B'))
            e:on('newListener', late)
          end
        end)
        e:once('x', new('f'))
        e:emit('x')
        assert.are.same({ 'new:x:f:0', 'B', 'f' }, log)
      end)

    t.it('removeListener comes after the removal, with Node\'s listener',
      function()
        local e, log, new, nameOf = make(), recorder()
        local f, g = new('f'), new('g')
        e:on('removeListener', function(event, l)
          log[#log + 1] = event .. ':' .. nameOf(l) .. ':' ..
            e:listenerCount(event)
        end)
        e:on('x', f):on('x', g):on('x', f)
        e:off('x', f):off('x', f):off('x', f):off('x', g)
        assert.are.same({ 'x:f:2', 'x:f:1', 'x:g:0' }, log)
        -- A once listener that fires: the wrapper from a list, the
        -- listener when it was alone, as Node passes them.
        for i = #log, 1, -1 do log[i] = nil end
        e:on('y', g):once('y', f)
        e:emit('y')
        e:once('z', f)
        e:emit('z')
        assert.are.same({ 'g', 'y:once(f):1', 'f', 'z:f:0', 'f' }, log)
      end)

    t.it('an error without listeners raises the error table as it is',
      function()
        local e = make()
        local err = { code = 'EX' }
        assert.are.equal(err, raised(e.emit, e, 'error', err))
        e:on('error', t.mustCall(function(x) assert.are.equal(err, x) end))
        assert.is_true(e:emit('error', err))
      end)

    t.it('an error that is no table raises ERR_UNHANDLED_ERROR', function()
      local e = make()
      local cases = {
        { "Unhandled error. ('text')", 'text' },
        { 'Unhandled error. ("it\'s")', "it's" },
        { "Unhandled error. (`a\"b'c`)", "a\"b'c" },
        { "Unhandled error. ('tab\\there\\\\\\x7F')", 'tab\there\\\127' },
        -- Node 22: emit('error', 'a\u0085b\u00e9'): U+0080-U+009F escaped
        { "Unhandled error. ('a\\x85b\u{E9}')", 'a\u{85}b\u{E9}' },
        { 'Unhandled error. (42)', 42 },
        { 'Unhandled error. (true)', true },
        { 'Unhandled error. (nil)', nil },
      }
      for _, case in ipairs(cases) do
        local err = raised(e.emit, e, 'error', case[2])
        assert.are.equal('ERR_UNHANDLED_ERROR', err.code)
        assert.are.equal('Error', err.name)
        assert.are.equal(case[1], err.message)
        assert.are.equal(case[2], err.context)
      end
      local err = raised(e.emit, e, 'error')
      assert.are.equal('Unhandled error. (nil)', err.message)
      assert.are.equal("Error [ERR_UNHANDLED_ERROR]: Unhandled error. ('x')",
        tostring(raised(e.emit, e, 'error', 'x')))
    end)

    t.it('errorMonitor listeners see an error first, and do not handle it',
      function()
        local e, log = make(), {}
        e:on(EventEmitter.errorMonitor, function(err)
          log[#log + 1] = 'monitor:' .. err
        end)
        local err = raised(e.emit, e, 'error', 'boom')
        log[#log + 1] = err.message
        e:on('error', function(e2) log[#log + 1] = 'error:' .. e2 end)
        local handled = e:emit('error', 'x')
        log[#log + 1] = handled
        assert.are.same({ 'monitor:boom', "Unhandled error. ('boom')",
          'monitor:x', 'error:x', true }, log)
      end)

    t.it('setMaxListeners sets the limit getMaxListeners reads', function()
      local e = make()
      assert.are.equal(10, e:getMaxListeners())
      assert.are.equal(e, e:setMaxListeners(3))
      assert.are.equal(3, e:getMaxListeners())
      e:setMaxListeners(0)
      assert.are.equal(0, e:getMaxListeners())
      assert.are.equal(10, make():getMaxListeners())
    end)

    t.it('setMaxListeners raises ERR_OUT_OF_RANGE or ERR_INVALID_ARG_TYPE',
      function()
        local e = make()
        local err = raised(e.setMaxListeners, e, -1)
        assert.are.equal('ERR_OUT_OF_RANGE', err.code)
        assert.are.equal('RangeError', err.name)
        assert.are.equal('The value of "setMaxListeners" is out of range. ' ..
          'It must be >= 0. Received -1', err.message)
        err = raised(e.setMaxListeners, e, 0 / 0)
        assert.are.equal('The value of "setMaxListeners" is out of range. ' ..
          'It must be >= 0. Received NaN', err.message)
        err = raised(e.setMaxListeners, e, 'a')
        assert.are.equal('ERR_INVALID_ARG_TYPE', err.code)
        assert.are.equal('TypeError', err.name)
        assert.are.equal('The "setMaxListeners" argument must be of type ' ..
          "number. Received type string ('a')", err.message)
        assert.are.equal(10, e:getMaxListeners())
      end)

    t.it('warns once per event past the limit, in Node\'s words', function()
      local e = make()
      local got = warnings(function()
        for _ = 1, 10 do e:on('x', noop) end
        for _ = 1, 12 do e:on('y', noop) end
        e:on('x', noop)
        e:prependListener('x', noop)
        e:once('x', noop)
      end)
      assert.are.same({ leak(11, 'y', class, 10), leak(11, 'x', class, 10) },
        got)
    end)

    t.it('warns again when the list shrank to one listener, as Node does',
      function()
        local e = make()
        local got = warnings(function()
          e:setMaxListeners(1)
          e:on('x', noop):on('x', noop):off('x', noop)
          e:on('x', noop):prependListener('x', noop)
          e:removeAllListeners('x')
          e:setMaxListeners(2.5)
          e:on('x', noop):on('x', noop):on('x', noop)
          e:setMaxListeners(0)
          for _ = 1, 20 do e:on('z', noop) end
        end)
        assert.are.same({ leak(2, 'x', class, 1), leak(2, 'x', class, 1),
          leak(3, 'x', class, 2.5) }, got)
      end)

    t.it('raises ERR_INVALID_ARG_TYPE for a listener that is no function',
      function()
        local e = make()
        for _, method in ipairs({ 'on', 'addListener', 'prependListener',
          'once', 'prependOnceListener', 'off', 'removeListener' }) do
          local err = raised(e[method], e, 'x', 42)
          assert.are.equal('ERR_INVALID_ARG_TYPE', err.code)
          assert.are.equal('TypeError', err.name)
          assert.are.equal('The "listener" argument must be of type ' ..
            'function. Received type number (42)', err.message)
          err = raised(e[method], e, 'x')
          assert.are.equal('The "listener" argument must be of type ' ..
            'function. Received nil', err.message)
          err = raised(e[method], e, 'x', {})
          assert.are.equal('ERR_INVALID_ARG_TYPE', err.code)
        end
        assert.are.same({}, e:eventNames())
      end)

    t.it('emit allocates nothing, for one listener or several', function()
      local e, n = make(), 0
      local function f(_, _, c) n = n + (c or 1) end
      e:on('one', f)
      e:on('many', f):on('many', f):on('many', f)
      e:emit('one', 1, nil, 2)
      e:emit('many', 1, nil, 2)
      collectgarbage('stop')
      local before = collectgarbage('count')
      for i = 1, 1000 do
        e:emit('one', i, nil, 2)
        e:emit('many', i, nil, 2)
        e:emit('none', i)
      end
      local used = collectgarbage('count') - before
      collectgarbage('restart')
      assert.are.equal(0, used)
      assert.are.equal(8 + 8000, n)
    end)
  end)
end

describe('EventEmitter', function()
  t.it('keeps nothing for a number used as an event name once no ' ..
    'listener has it', function()
    local EE = require('events')
    local e = EE()
    collectgarbage()
    local before = collectgarbage('count')
    for i = 1, 100000 do
      e:emit(i)
      e:listenerCount(i)
      local f = function() end
      e:on(i + 0.5, f)
      e:off(i + 0.5, f)
    end
    collectgarbage()
    collectgarbage()
    assert.is_true(collectgarbage('count') - before < 256) -- KiB
    e:on(7, t.mustCall(function(x) assert.are.equal('x', x) end))
    collectgarbage()
    assert.is_true(e:emit(7, 'x'))
    assert.are.same({ 7 }, e:eventNames())
  end)

  t.it('makes new emitters, and is its own EventEmitter field', function()
    local a, b = EventEmitter(), EventEmitter()
    assert.are_not.equal(a, b)
    assert.are.equal(EventEmitter, getmetatable(a))
    assert.are.equal(EventEmitter, EventEmitter.EventEmitter)
    assert.are.equal(10, EventEmitter.defaultMaxListeners)
  end)

  t.it('follows defaultMaxListeners where no limit was set', function()
    local e = EventEmitter()
    EventEmitter.defaultMaxListeners = 1
    local ok, got = pcall(warnings, function()
      e:on('x', noop):on('x', noop)
    end)
    EventEmitter.defaultMaxListeners = 10
    assert.is_true(ok, got)
    assert.are.same({ leak(2, 'x', 'EventEmitter', 1) }, got)
  end)

  t.it('mixin gives a table the methods it lacks, keeping its own', function()
    local own = function() return 'own' end
    local Class = { eventNames = own }
    Class.__index = Class
    assert.are.equal(Class, EventEmitter.mixin(Class))
    assert.are.equal(EventEmitter.on, Class.on)
    assert.are.equal(own, Class.eventNames)
    local object = setmetatable({}, Class)
    object:on('x', t.mustCall())
    assert.is_true(object:emit('x'))
    assert.are.equal('own', object:eventNames())
    local warned = warnings(function()
      object:setMaxListeners(1):on('x', noop)
    end)
    assert.are.same({ leak(2, 'x', 'Object', 1) }, warned)
  end)

  t.it('prints the warning on stderr through process.emitWarning', function()
    local _, err, code = h.exec({ '-e', [[
      local EventEmitter = require('events')
      local e = EventEmitter()
      for _ = 1, 12 do e:on('x', print) end
      require('net').Socket():setMaxListeners(1):on('y', print):on('y', print)
    ]] })
    assert.are.equal(0, code)
    assert.are.equal(leak(11, 'x', 'EventEmitter', 10) .. '\n' ..
      leak(2, 'y', 'Socket', 1) .. '\n',
      err:gsub('%(luanet:%d+%) ', ''))
  end)
end)

describe('events that C emits', function()
  t.it('reach a Server\'s listeners in order, once ones once', function()
    local server, log = net.createServer(), {}
    server:once('listening', function() log[#log + 1] = 'once' end)
    server:prependListener('listening', function()
      log[#log + 1] = 'first'
    end)
    server:on('removeListener', function(event)
      log[#log + 1] = 'removed ' .. event
    end)
    server:on('listening', t.mustCall(function()
      assert.are.same({ 'first', 'removed listening', 'once' },
        { table.unpack(log, 1, 3) })
      assert.are.equal(2, server:listenerCount('listening'))
      server:close()
    end))
    server:listen(0, '127.0.0.1')
  end)

  t.it('reach a Socket\'s listeners; once(\'data\') starts the flow',
    function()
      local server, port = h.listen(function(s)
        s:resume()
        s:end_('hi')
      end)
      local client, log = net.connect(port, '127.0.0.1'), {}
      client:once('connect', function() log[#log + 1] = 'once' end)
      client:prependOnceListener('connect', function()
        log[#log + 1] = 'first'
      end)
      client:once('data', t.mustCall(function(data)
        log[#log + 1] = data
      end))
      client:on('close', t.mustCall(function()
        assert.are.same({ 'first', 'once', 'hi' }, log)
        assert.are.equal(0, client:listenerCount('connect'))
        server:close()
      end))
    end)
end)
