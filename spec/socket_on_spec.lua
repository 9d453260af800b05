-- socket:on, as Node's Readable.prototype.on, by every path it takes
-- (lua/reader.lua: a function added to a socket in one step; a once()
-- wrapper, a listener that is none, or a call with a dot, the longer
-- way). The expectations are what Node 22.23.5 printed for the same
-- JavaScript, quoted beside them (`net.Socket.prototype.on.call(o, ...)`
-- for a call on another object), except where a comment says not.
local h = require('spec.helpers')
local t = require('luanet.test')
local net = h.net

local function f() end

describe('socket:on', function()
  it("starts the flow with 'data' unless paused or held by 'readable'",
    function()
      -- new Socket(); s.on('error', f); s.isPaused() -> false, and so on
      local s = net.Socket()
      assert.is_false(s:isPaused())
      assert.are.equal(s, s:on('error', f))
      assert.is_false(s:isPaused())
      s:pause()
      assert.are.equal(s, s:on('data', f))
      assert.is_true(s:isPaused()) -- paused before: stays paused
      s = net.Socket():on('readable', f):on('data', f)
      assert.is_true(s:isPaused()) -- 'readable' holds it
      s = net.Socket():on('data', f)
      assert.is_false(s:isPaused())
      s = net.Socket()
      assert.are.equal(s, s:once('data', f))
      assert.is_false(s:isPaused())
      assert.are.equal(1, s:listenerCount('data'))
    end)

  it('keeps the names in the order they got their first listener',
    function()
      -- not Node's: Node 22 printed [ 'close', 'error', 'data', 'end' ]
      -- (its own 'end' and 'close' listeners come first); luanet has none
      -- of its own, so the order is the script's
      local s = net.Socket()
      s:on('error', f):on('data', f):on('end', f):on('close', f)
      assert.are.same({ 'error', 'data', 'end', 'close' }, s:eventNames())
      s:off('data', f):on('data', f):off('error', f)
      assert.are.same({ 'end', 'close', 'data' }, s:eventNames())
      s:on(1, f):on('data', f)
      assert.are.same({ 'end', 'close', 'data', 1 }, s:eventNames())
      assert.are.equal(2, s:listenerCount('data'))
      assert.are.equal(1, s:listenerCount(1))
    end)

  it('raises for a listener that is none, and for a call with a dot',
    function()
      local s = net.Socket()
      -- s.on('data', 5): TypeError [ERR_INVALID_ARG_TYPE]
      local ok, err = pcall(s.on, s, 'data', 5)
      assert.is_false(ok)
      assert.are.equal('ERR_INVALID_ARG_TYPE', err.code)
      ok, err = pcall(s.on, 'data', f)
      assert.is_false(ok)
      assert.are.equal('ERR_INVALID_THIS', err.code)
      assert.are.same({}, s:eventNames())
    end)

  it("adds to another object as an emitter's on() does", function()
    -- net.Socket.prototype.on.call(o, 'x', f); typeof o._events -> object
    local o = {}
    net.Socket.on(o, 'x', f)
    assert.are.same({ 'x' }, require('events').eventNames(o))
  end)

  t.it("gives an accepted connection's 'data' what the peer sent",
    function(done)
      local server
      server = h.listen(function(socket)
        server:close()
        socket:on('error', t.mustNotCall())
        socket:on('data', t.mustCall(function(data)
          assert.are.equal('hello', data)
          socket:end_()
        end))
      end)
      local client = net.connect(server:address().port, '127.0.0.1')
      client:on('close', function() done() end)
      client:resume()
      client:end_('hello')
    end)

  t.it("holds a socket whose 'readable' listener came by prependListener " ..
    "once 'data' is added, and emits 'readable' to it", function(done)
      -- c.prependListener('readable', () => seen.push(c.read()));
      -- c.on('data', f); c.isPaused() -> true; the listener gets 'hello',
      -- then null at the end (it used to get nothing: the socket hung)
      local server
      server = h.listen(function(socket)
        server:close()
        socket:end_('hello')
      end)
      local c = net.connect(server:address().port, '127.0.0.1')
      local seen = {}
      c:prependListener('readable', function()
        seen[#seen + 1] = c:read('a') or 'nil'
      end)
      assert.is_false(c:isPaused())
      c:on('data', f)
      assert.is_true(c:isPaused())
      c:on('end', function()
        assert.are.same({ 'hello', 'nil' }, seen)
        done()
      end)
    end)

  -- server: c.end('hello\nworld\n'); client: s.on('readable', () => {
  -- while ((c = s.read(3)) !== null) order.push('read ' + c) });
  -- s.on('data', (d) => order.push('data ' + d)); at 'end' order was
  -- ["data hel","read hel","data lo\n","read lo\n","data wor","read wor",
  -- "data ld\n","read ld\n"]: read() emits 'data' with what it returns.
  t.it("has read() in a 'readable' listener emit 'data' with what it " ..
    'returns, before it returns it', function(done)
      local server
      server = h.listen(function(socket)
        server:close()
        socket:end_('hello\nworld\n')
      end)
      local c = net.connect(server:address().port, '127.0.0.1')
      local order = {}
      c:on('readable', function()
        while true do
          local chunk = c:read(3)
          if chunk == nil then break end
          order[#order + 1] = 'read ' .. chunk
        end
      end)
      c:on('data', function(d) order[#order + 1] = 'data ' .. d end)
      c:on('end', function()
        assert.are.same({ 'data hel', 'read hel', 'data lo\n', 'read lo\n',
          'data wor', 'read wor', 'data ld\n', 'read ld\n' }, order)
        done()
      end)
    end)

  -- server: c.write('ab'), later c.end('cd'); client: a 'readable'
  -- listener reading s.read() until null, then s.once('data', ...): at
  -- 'end' order was ["once ab","read ab","read cd"], s.isPaused() true.
  -- (Here the server sends 'cd' once the client has read 'ab' and says
  -- 'go', so the two never come in one read.)
  t.it("gives a once('data') listener the first chunk read() returns " ..
    "while 'readable' holds the socket, which stays held", function(done)
      local server
      server = h.listen(function(socket)
        server:close()
        socket:write('ab')
        socket:on('data', function() socket:end_('cd') end) -- 'go'
      end)
      local c = net.connect(server:address().port, '127.0.0.1')
      local order = {}
      c:on('readable', function()
        while true do
          local chunk = c:read('a')
          if chunk == nil then break end
          order[#order + 1] = 'read ' .. chunk
          if chunk == 'ab' then c:write('go') end
        end
      end)
      c:once('data', function(d) order[#order + 1] = 'once ' .. d end)
      c:on('end', function()
        assert.are.same({ 'once ab', 'read ab', 'read cd' }, order)
        assert.is_true(c:isPaused())
        done()
      end)
    end)
end)
