-- The public test harness, require('luanet.test') (lua/test.lua): busted
-- runs a user's spec files that use it (spec/fixtures/harness_*.lua) in a
-- child process, and these tests read what it reported. A child, because
-- the fixtures' tests are meant to fail, and so that the harness sees a
-- busted of its own.
local h = require('spec.helpers')
local t = require('luanet.test')
local json = require('dkjson')

local PASS = 'spec/fixtures/harness_pass.lua'
local FAIL = 'spec/fixtures/harness_fail.lua'

-- Runs busted on a fixture with the module from the build; returns the
-- decoded JSON report and whether busted exited 0.
local function busted(file)
  local out = os.tmpname()
  local cmd = 'LUA_CPATH_5_4=' .. h.shellQuote(h.build .. '/?.so;;') ..
    ' timeout 60 busted -o json ' .. h.shellQuote(file) .. ' >' .. out ..
    ' 2>&1'
  local ok = os.execute(cmd)
  local text = h.readAll(out)
  os.remove(out)
  local report = json.decode(text)
  assert(type(report) == 'table', 'busted printed no report:\n' .. text)
  return report, ok == true
end

-- The line of file holding marker, as 'file:line'.
local function lineOf(file, marker)
  local n = 0
  for line in io.lines(file) do
    n = n + 1
    if line:find(marker, 1, true) then return file .. ':' .. n end
  end
  error(marker .. ' is not in ' .. file)
end

-- name -> message of every test that failed or raised, and the names of
-- those that passed.
local function byName(report)
  local failed, passed = {}, {}
  for _, kind in ipairs({ 'failures', 'errors' }) do
    for _, r in ipairs(report[kind]) do
      failed[r.element.name] = r.message
    end
  end
  for _, r in ipairs(report.successes) do passed[r.element.name] = true end
  return failed, passed
end

describe("require('luanet.test') under busted", function()
  local failed, passed, exitedZero

  setup(function()
    local report
    report, exitedZero = busted(FAIL)
    failed, passed = byName(report)
  end)

  it('passes every test of a correct spec, and busted exits 0', function()
    local report, ok = busted(PASS)
    local f, p = byName(report)
    assert.are.same({}, f)
    assert.are.same({
      ['echoes what a client writes'] = true,
      ['ends when the loop runs out of work, without done'] = true,
      ['counts at least'] = true,
      ['gets ECONNREFUSED from a closed port'] = true,
    }, p)
    assert.is_true(ok)
  end)

  it('fails a careless spec, and busted exits 1', function()
    assert.is_false(exitedZero)
  end)

  it('fails a test that leaks a socket, naming where it was made', function()
    local msg = failed['leaks a socket']
    assert.is_string(msg)
    assert.truthy(msg:find(lineOf(FAIL, "'leaks a socket'") ..
      ': done() was called, but the loop still had work after 300 ms; ' ..
      'still open:', 1, true))
    -- the client, with its addresses, and the line that made it
    assert.truthy(msg:find('Socket 127%.0%.0%.1:%d+ %-> 127%.0%.0%.1:%d+ ' ..
      '%(open%), made at:\n    ' .. lineOf(FAIL, '-- leak'):gsub('%p', '%%%0')))
    -- the server's end of it, and the server that accepted it
    assert.truthy(msg:find('accepted by the server made at:', 1, true))
    assert.truthy(msg:find('Server, closed, waiting for 1 connection(s) to end',
      1, true))
  end)

  it('fails a test that never calls done', function()
    assert.are.equal(lineOf(FAIL, "'never calls done'") ..
      ': the loop ran out of work, but done() was not called',
      failed['never calls done'])
  end)

  it('fails a test that misses a mustCall, naming where it was made',
    function()
      assert.are.equal(lineOf(FAIL, "'misses a mustCall'") ..
        ': the function made at ' .. lineOf(FAIL, '-- missed') ..
        ' was called 0 times, expected exactly 1', failed['misses a mustCall'])
    end)

  it('fails the test whose listener raised, and runs the next one clean',
    function()
      assert.are.equal(lineOf(FAIL, "error('raised in a listener')") ..
        ': raised in a listener', failed['raises in a listener'])
      assert.is_true(passed['runs clean after the one that raised'])
    end)

  it('fails a test that calls a mustNotCall function', function()
    assert.are.equal(lineOf(FAIL, '-- not') .. ': no close here',
      failed['calls what must not be called'])
  end)

  it('fails a test whose mustSucceed callback gets an error', function()
    assert.are.equal(lineOf(FAIL, '-- succeed') .. ': the callback got an ' ..
      'error: Error [ERR_SERVER_NOT_RUNNING]: Server is not running.',
      failed['gets an error where it must succeed'])
  end)

  it('fails a test that leaves a timer running, naming where', function()
    local msg = failed['leaves a timer running']
    assert.truthy(msg:find('Timeout of 60000 ms, made at:\n    ' ..
      lineOf(FAIL, '-- timer'), 1, true))
  end)

  it("reports a failed assertion in a listener as busted's", function()
    local msg = failed['fails an assertion in a listener']
    assert.truthy(msg:find(lineOf(FAIL, 'assert.are.equal(1, 2)') ..
      ': Expected objects to be equal.', 1, true))
  end)
end)

describe("require('luanet.test') in this process", function()
  -- Recording where a timer was made once read the whole traceback (busted's
  -- stack is deep): 446 us a timer against 0.6 us unrecorded, so that two
  -- setTimeout(f, 5) in a row fell in different milliseconds and fired in
  -- two turns of the loop. Now it reads the test's frames only: ~12 us.
  it('records where a timer was made at a small cost', function()
    local timers = h.timers
    local N = 2000
    local function cost()
      local start = os.clock()
      for _ = 1, N do timers.clearTimeout(timers.setTimeout(print, 5)) end
      return (os.clock() - start) / N
    end
    local unrecorded, recorded = cost(), nil
    t.run(function() recorded = cost() end)
    assert.is_true(recorded < 50 * unrecorded + 20e-6, string.format(
      '%.1f us a timer recorded, %.1f us unrecorded', recorded * 1e6,
      unrecorded * 1e6))
  end)
end)

describe("require('luanet.test') without busted", function()
  it('runs a test with t.run in the luanet host', function()
    local out, err, code = h.exec({ '-e', [[
      local t = require('luanet.test')
      local net = require('net')
      t.run(function(done)
        local server = net.createServer(t.mustCall(function(s) s:end_() end))
        server:listen(0, '127.0.0.1', function()
          net.connect(server:address().port, '127.0.0.1')
            :on('end', t.mustCall(function() server:close(done) end))
        end)
      end)
      print('passed')
      t.run(function() t.mustCall() end)
    ]] })
    assert.are.equal('passed\n', out)
    assert.truthy(err:find('[command line]:11: the function made at ' ..
      '[command line]:11 was called 0 times, expected exactly 1', 1, true))
    assert.are.equal(1, code)
  end)

  it('is found in luanet.so by a stock lua5.4 before luanet itself', function()
    local cmd = 'LUA_CPATH_5_4=' .. h.shellQuote(h.build .. '/?.so;;') ..
      [[ lua5.4 -e "local t = require('luanet.test')
        io.write(type(t.it), type(t.run), type(package.loaded.luanet))" 2>&1]]
    local p = assert(io.popen(cmd))
    local out = p:read('a')
    p:close()
    assert.are.equal('functionfunctiontable', out)
  end)
end)
