-- The REPLs under hostile use: a line that re-enters the loop, clients
-- that leave early, and input big enough that anything worse than linear
-- time shows (issue 8). Run under the sanitizer build too, where a
-- use-after-free in the host is a report and an exit code.
local h = require('spec.helpers')
local luanet, timers = h.luanet, h.timers

-- Runs `luanet -i` with input through a pipe (h.exec gives a file, which
-- the REPL reads another way). Returns stdout, stderr, exit code.
local function piped(input, seconds)
  local file, out, err = os.tmpname(), os.tmpname(), os.tmpname()
  local f = assert(io.open(file, 'wb'))
  f:write(input)
  f:close()
  local _, _, code = os.execute('cat ' .. file .. ' | timeout ' ..
    (seconds or 20) .. ' ' .. h.shellQuote(h.exe) .. ' -i >' .. out ..
    ' 2>' .. err)
  local stdout, stderr = h.readAll(out), h.readAll(err)
  os.remove(file)
  os.remove(out)
  os.remove(err)
  return stdout, stderr, code
end

-- Node's shape for the refusal: an Error with a code of Node's style.
local LOOP_RUNNING = 'Uncaught Error [ERR_LOOP_RUNNING]: luanet.run() ' ..
  'cannot run the event loop: it is already running'

describe('luanet.run() inside the running loop', function()
  it('raises ERR_LOOP_RUNNING in a callback, and the loop goes on',
    function()
      local ok, err
      timers.setTimeout(h.expect(function()
        ok, err = pcall(luanet.run)
        timers.setTimeout(h.expect(), 1)
      end), 1)
      h.run()
      assert.is_false(ok)
      assert.are.equal('ERR_LOOP_RUNNING', err.code)
      assert.are.equal('Error', err.name)
      assert.matches('already running', err.message, 1, true)
    end)

  it('is refused on a line of the piped REPL, which goes on with the ' ..
    'next lines', function()
      -- the issue's case: the nested loop read the next line and freed the
      -- buffer the outer feed() was reading (ASan: heap-use-after-free)
      local out, err, code = piped('require("luanet").run()\n1 + 1\n')
      assert.are.equal('', err)
      assert.are.equal(0, code)
      assert.matches(LOOP_RUNNING, out, 1, true)
      assert.matches('\n> 2\n> \n$', out)
      out, err, code = piped(table.concat({
        'setTimeout(function() console.log("timer") end, 1)',
        'require("luanet").run()',
        '"after"',
        '',
      }, '\n'))
      assert.are.equal('', err) -- nothing from the sanitizers either
      assert.are.equal(0, code)
      assert.matches(LOOP_RUNNING, out, 1, true)
      assert.matches('\n> "after"\n> \ntimer\n$', out)
    end)

  it('is refused in a listener of a script, which sees the error',
    function()
      local out, err, code = h.exec({ '-e', [[
        setTimeout(function()
          local ok, e = pcall(require('luanet').run)
          print(ok, e.code)
        end, 1)
      ]] })
      assert.are.equal('', err)
      assert.are.equal(0, code)
      assert.are.equal('false\tERR_LOOP_RUNNING\n', out)
    end)
end)
