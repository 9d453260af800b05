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
      assert.matches('\n> "after"\n', out, 1, true)
      assert.matches('timer\n', out, 1, true) -- the loop went on
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

-- README's "Trying sockets by hand": a REPL for each connection.
local function replServer(path, onsession)
  local repl = require('repl')
  return h.net.createServer(function(socket)
    local session = repl.start({ input = socket, output = socket,
      prompt = 'app> ' })
    session:on('exit', function() socket:end_() end)
    if onsession then onsession(socket, session) end
  end):listen(path)
end

-- A client that sends lines one at a time, each after a prompt, and calls
-- done(everything it read) at the end.
local function converse(path, lines, done)
  local c = h.net.connect(path)
  local got, i = '', 0
  c:on('data', function(d)
    got = got .. d
    if got:sub(-5) == 'app> ' and i < #lines then
      i = i + 1
      c:write(lines[i] .. '\n')
    end
  end)
  c:on('end', function() done(got) end)
  return c
end

local function socketPath()
  local path = os.tmpname()
  os.remove(path)
  return path
end

describe('the piped REPL and a line that waits', function()
  -- Standard input a file: the whole input is read while the first line
  -- still waits (the REPL's state was freed then, and the next line lost).
  it('keeps the lines after it, from a file and from a pipe', function()
    local input = "timers.sleep(20) print('a')\nprint('next')\n"
    local out, err, code = h.exec({ '-i' }, input)
    assert.are.equal('', err)
    assert.are.equal('> a\n> next\n> \n', out)
    assert.are.equal(0, code)
    out, err, code = h.exec({ '-i' }, input, { 'sh', '-c', 'cat | "$0" "$@"' })
    assert.are.equal('', err)
    assert.are.equal('> a\n> next\n> \n', out)
    assert.are.equal(0, code)
  end)
end)

describe('repl.start over a socket', function()
  -- The same server in Node 22 (the README's code in JavaScript) survives
  -- a client that reads the prompt, sends '1+1\n' and closes at once: its
  -- REPL takes the socket's EPIPE as an error of the session and writes
  -- it to the (dead) output; the process goes on. (A client gone before
  -- the first prompt is written kills Node's: the EPIPE comes before its
  -- REPL has a handler. luanet's survives that too.)
  it('survives clients that leave early, and serves the next one',
    function()
      local path = socketPath()
      local server, sessions = nil, 0
      server = replServer(path, function()
        sessions = sessions + 1
        if sessions == 7 then server:close() end
      end)
      local function leaveAfterPrompt(send)
        local c = h.net.connect(path)
        c:once('data', function()
          if send then c:write(send) end
          c:destroy()
        end)
      end
      local function leaveAtOnce()
        h.net.connect(path, function() end):destroy()
      end
      leaveAtOnce()
      leaveAfterPrompt()
      leaveAfterPrompt('1 + 1\n')
      leaveAfterPrompt('string.rep("x\\n", 3e5)\n') -- an answer of 2 MB
      leaveAfterPrompt('1 + 1\n2 + 2\n3 + 3\n')
      leaveAfterPrompt('error("boom")\n')
      -- and one that stays to the end
      converse(path, { '1 + 1', '.exit' }, h.expect(function(got)
        assert.are.equal('app> 2\napp> ', got)
      end))
      h.run()
      assert.are.equal(7, sessions)
    end)

  -- Node 22: `.load /tmp` prints "Failed to load: /tmp is not a valid
  -- file", `.load /nonexistent` "Failed to load: /nonexistent".
  it('.load of a directory says so, and the session goes on', function()
    local path, dir = socketPath(), os.tmpname()
    os.remove(dir)
    assert(os.execute('mkdir ' .. dir))
    local server
    server = replServer(path, function(socket)
      socket:on('error', function() end)
      server:close()
    end)
    converse(path, { '.load ' .. dir, '.load ' .. dir .. '/nonexistent',
      '1 + 1', '.exit' }, h.expect(function(got)
        assert.are.equal('app> Failed to load: ' .. dir ..
          ' is not a valid file\napp> Failed to load: ' .. dir ..
          '/nonexistent\napp> 2\napp> ', got)
      end))
    h.run()
    os.remove(dir)
  end)
end)

-- Big input in linear time: sized so that the quadratic line assembly of
-- the past (a 16 MiB line on `luanet -i`: 25 s) would take far longer
-- than the few seconds allowed, while linear takes well under one.
describe('the REPLs with big input', function()
  local MiB = 1 << 20

  it('the piped REPL reads lines of 64 and 16 MiB, and prints a 1 MiB ' ..
    'answer', function()
      local out, err, code = piped('--' .. ('c'):rep(64 * MiB) .. '\nx = "' ..
        ('a'):rep(16 * MiB) .. '"\n#x\nstring.rep("b", 1 << 20)\n', 20)
      assert.are_not.equal(124, code, 'timed out')
      assert.are.equal('', err)
      assert.are.equal(0, code)
      assert.are.equal('> > > 16777216\n> "' .. ('b'):rep(MiB) ..
        '"\n> \n', out)
    end)

  it('a session over a stream takes a 16 MiB line in 4 KiB pieces',
    function()
      local path = h.script([[
        local EventEmitter = require('events')
        local input, shown = EventEmitter(), {}
        require('repl').start({ input = input, prompt = 'app> ',
          output = { write = function(_, s) shown[#shown + 1] = s end } })
        local piece = string.rep('a', 4096)
        input:emit('data', 'x = "')
        for _ = 1, 4096 do input:emit('data', piece) end
        input:emit('data', '"\r\n#x\n')
        io.stdout:write(table.concat(shown))
      ]])
      local out, err, code = h.exec({ path }, nil, { 'timeout', '10' })
      os.remove(path)
      assert.are_not.equal(124, code, 'timed out')
      assert.are.equal('', err)
      assert.are.equal('app> app> 16777216\napp> ', out)
    end)
end)
