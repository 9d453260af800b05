-- What the work on cost (issue 14, scripts/bench/RESULTS.md) changed
-- inside, checked from outside: an emitter keeps its event names in the
-- array part of its _events, so names that are numbers (which would land
-- there) must still be names like any other. Not Node 22's rule, where an
-- event name 1 is the property key '1': there e.on(2,f).on('a',g).on(1,g)
-- lists [ '1', '2', 'a' ] and emit('1') reaches on(1)'s listener; luanet
-- keeps 1 and '1' apart, in the order of their first listener.
local h = require('spec.helpers')
local EventEmitter = h.luanet.events

describe('cost', function()
  describe('an emitter with numbers as event names', function()
    it('keeps their listeners apart from the order of the names',
      function()
        local e, got = EventEmitter(), {}
        local function f(x) got[#got + 1] = 'f' .. x end
        local function g(x) got[#got + 1] = 'g' .. x end
        e:on(2, f):on('a', g):on(1, g):on(1, f):on(1.0, f)
        assert.are.same({ 2, 'a', 1 }, e:eventNames())
        assert.are.equal(3, e:listenerCount(1))
        assert.is_true(e:emit(1, 'x'))
        assert.is_true(e:emit(2, 'y'))
        assert.is_false(e:emit(3, 'z'))
        assert.are.same({ 'gx', 'fx', 'fx', 'fy' }, got)
        e:off(2, f)
        assert.are.same({ 'a', 1 }, e:eventNames())
        assert.are.equal(0, e:listenerCount(2))
        e:removeAllListeners(1)
        assert.are.same({ 'a' }, e:eventNames())
        assert.are.same({ g }, e:listeners('a'))
        e:on(1, f):on(2, g)
        assert.are.same({ 'a', 1, 2 }, e:eventNames())
        assert.are.same({ f }, e:rawListeners(1))
        e:removeAllListeners()
        assert.are.same({}, e:eventNames())
      end)

    it('gives a name 1 its own listener, apart from a first name',
      function()
        local e, got = EventEmitter(), {}
        e:once('first', function() got[#got + 1] = 'first' end)
        e:once(1, function() got[#got + 1] = 'one' end)
        assert.is_true(e:emit(1))
        assert.is_false(e:emit(1))
        assert.are.same({ 'first' }, e:eventNames())
        assert.is_true(e:emit('first'))
        assert.are.same({ 'one', 'first' }, got)
        assert.are.same({}, e:eventNames())
      end)
  end)
end)
