-- The emitter methods on Sockets, Servers and plain emitters.
local h = require('spec.helpers')
local net, expect = h.net, h.expect
local EventEmitter = h.luanet.events

local kinds = {
  { 'EventEmitter()', function() return EventEmitter() end },
  { 'a Socket', function() return net.Socket() end },
  { 'a Server', function() return net.createServer() end },
}

for _, kind in ipairs(kinds) do
  local name, make = kind[1], kind[2]
  describe('the emitter of ' .. name, function()
    it('on / addListener add in order, emit passes the arguments', function()
      local e, got = make(), {}
      assert.are.equal(e, e:on('x', function(a, b) got[#got + 1] = a .. b end))
      e:addListener('x', function(a) got[#got + 1] = a end)
      assert.is_true(e:emit('x', 'a', 'b'))
      assert.is_false(e:emit('nothing'))
      assert.are.same({ 'ab', 'a' }, got)
      assert.are.equal(2, e:listenerCount('x'))
    end)

    it('once runs a listener one time', function()
      local e = make()
      local f = expect()
      e:once('x', f)
      e:emit('x')
      e:emit('x')
      assert.are.equal(0, e:listenerCount('x'))
      h.run()
    end)

    it('off / removeListener remove one listener, also a once one', function()
      local e = make()
      local f, g = function() error('removed') end, expect()
      e:on('x', f)
      e:on('x', g)
      e:off('x', f)
      e:once('y', f)
      e:removeListener('y', f)
      e:emit('x')
      e:emit('y')
      assert.are.same({ g }, e:listeners('x'))
      h.run()
    end)

    it('removeAllListeners removes one event or all', function()
      local e = make()
      e:on('x', print)
      e:on('y', print)
      e:removeAllListeners('x')
      assert.are.equal(0, e:listenerCount('x'))
      assert.are.equal(1, e:listenerCount('y'))
      e:removeAllListeners()
      assert.are.equal(0, e:listenerCount('y'))
    end)

    it('listeners returns the functions, once ones unwrapped', function()
      local e = make()
      local f, g = function() end, function() end
      e:on('x', f)
      e:once('x', g)
      assert.are.same({ f, g }, e:listeners('x'))
    end)

    it('emit of error without a listener raises the error', function()
      local e = make()
      local err = { code = 'EX' }
      local ok, raised = pcall(e.emit, e, 'error', err)
      assert.is_false(ok)
      assert.are.equal(err, raised)
    end)

    it('a listener added during emit waits for the next emit', function()
      local e, n = make(), 0
      e:on('x', function()
        n = n + 1
        e:on('x', function() n = n + 10 end)
      end)
      e:emit('x')
      assert.are.equal(1, n)
    end)

    it('raises ERR_INVALID_ARG_TYPE for a listener that is no function',
      function()
        local e = make()
        local ok, err = pcall(e.on, e, 'x', 42)
        assert.is_false(ok)
        assert.are.equal('ERR_INVALID_ARG_TYPE', err.code)
      end)
  end)
end
