-- luanet.so in a stock lua5.4: what require('luanet') gives.
local h = require('spec.helpers')
local t = require('luanet.test')

describe("require('luanet')", function()
  it('loads in a stock lua5.4', function()
    local cmd = "lua5.4 -e \"package.cpath='" .. h.build ..
      "/?.so;'..package.cpath; local l = require('luanet'); " ..
      "io.write(type(l.net), ' ', type(l.events), ' ', type(l.timers), ' ', " ..
      "type(l.run), '\\n')\""
    local p = assert(io.popen(cmd))
    local out = p:read('a')
    local ok = p:close()
    assert.is_true(ok)
    assert.are.equal('table table table function\n', out)
  end)

  it("gives luanet.handles' refs before luanet is required, without a " ..
    'crash: nothing is open yet', function()
    local cmd = "lua5.4 -e \"package.cpath='" .. h.build ..
      "/?.so;'..package.cpath; local r = require('luanet.handles')" ..
      ".refs({ 1, {} }); io.write(#r, '\\n')\""
    local p = assert(io.popen(cmd))
    local out = p:read('a')
    local ok = p:close()
    assert.is_true(ok)
    assert.are.equal('0\n', out)
  end)

  it('gives net, events, timers and run', function()
    local l = h.luanet
    assert.are.equal('function', type(l.net.createServer))
    assert.are.equal('function', type(l.net.connect))
    assert.are.equal('function', type(l.net.createConnection))
    assert.are.equal('function', type(l.timers.setTimeout))
    local emitter = l.events()
    assert.are.equal('function', type(emitter.on))
  end)

  it('run() returns at once with nothing to do', function()
    h.luanet.run()
  end)

  it('run() raises an error no listener took', function()
    local net = h.net
    local server, port = h.listen()
    server:close()
    net.connect(port, '127.0.0.1')
    local ok, err = pcall(h.luanet.run)
    assert.is_false(ok)
    assert.are.equal('ECONNREFUSED', err.code)
    t.run(function() end) -- the rest runs, and nothing is left open
  end)
end)
