-- luanet --workers N (bindings/workers.c, lua/process.lua): N processes of
-- one script sharing its TCP ports through SO_REUSEPORT, restarted when
-- they die, stopped by the parent's SIGTERM without dropping what waits
-- in their accept queues. Real processes, real sockets on 127.0.0.1.
local h = require('spec.helpers')
local net = h.net

-- A worker that answers each connection with its id, and says when it
-- listens: "up ID N PID PPID LUANET_WORKER" on standard output.
local SERVER = [[
local net = require('net')
local port = tonumber(process.argv[3])
net.createServer(function(s) s:end_(process.workerId .. '\n') end)
  :listen(port, '127.0.0.1', function()
    print(('up %d %d %d %d %s'):format(process.workerId, process.workers,
      process.pid, process.ppid, tostring(process.env.LUANET_WORKER)))
  end)
]]

-- A port no one listens on now (the workers must share a fixed one).
local function freePort()
  local s = net.createServer()
  s:listen(0, '127.0.0.1')
  local port = s:address().port
  s:close()
  h.run()
  return port
end

local started = {} -- the parents still to stop when a test fails

-- Starts luanet with args (and the environment assignments env, a
-- string) in the background. The handle reads back the "up" lines
-- (ups(): { id, n, pid, ppid, mark } each), stdout(), stderr(), and
-- status() (nil while it runs, then its exit status).
local function start(args, env)
  local out, err, st = os.tmpname(), os.tmpname(), os.tmpname()
  os.remove(st)
  local cmd = { env or '', h.shellQuote(h.exe) }
  for _, a in ipairs(args) do cmd[#cmd + 1] = h.shellQuote(a) end
  local launch = io.popen('(' .. table.concat(cmd, ' ') .. ' </dev/null >' ..
    out .. ' 2>' .. err .. ' & echo $!; wait $!; echo $? >' .. st .. ') &')
  local p = { pid = tonumber(launch:read('l')) } -- luanet's, the parent
  launch:close()
  started[#started + 1] = p
  function p.ups()
    local list = {}
    for id, n, pid, ppid, mark in h.readAll(out):gmatch(
        'up (%d+) (%d+) (%d+) (%d+) (%S+)') do
      list[#list + 1] = { id = tonumber(id), n = tonumber(n),
        pid = tonumber(pid), ppid = tonumber(ppid), mark = mark }
    end
    return list
  end
  function p.stdout() return h.readAll(out) end
  function p.stderr() return h.readAll(err) end
  function p.status() return tonumber(h.readAll(st):match('%d+')) end
  function p.cleanup()
    for _, f in ipairs({ out, err, st }) do os.remove(f) end
    p.pid = nil -- ended: nothing for after_each to stop
  end
  return p
end

-- After each test: a parent left running (a failed test) is killed; its
-- workers get SIGTERM from the kernel (PR_SET_PDEATHSIG) and stop.
after_each(function()
  for _, p in ipairs(started) do
    if p.pid and not p.status() then os.execute('kill -KILL ' .. p.pid) end
  end
  started = {}
end)

local function alive(pid)
  return os.execute('kill -0 ' .. pid .. ' 2>/dev/null') == true
end

-- One connection to port: done(text) with what it read, or done(nil, err).
local function ask(port, done)
  local c, got = net.connect(port, '127.0.0.1'), ''
  c:on('data', function(d) got = got .. d end)
  c:on('error', function(err) done(nil, err) end)
  c:on('end', function() done(got) end)
end

describe('luanet --workers N', function()
  local script = h.script(SERVER)

  it('runs N processes, each TCP listen shares the port, every worker ' ..
     'answers; SIGTERM to the parent stops them all and it exits 0',
     function()
    local port = freePort()
    local p = start({ '--workers', '3', script, port })
    local seen, count, asked = {}, 0, 0
    h.waitFor(function() return #p.ups() == 3 end, function()
      local function one()
        asked = asked + 1
        ask(port, function(text)
          local id = text and text:match('^(%d)\n$')
          if id and not seen[id] then seen[id], count = true, count + 1 end
          if count < 3 and asked < 300 then one() end
        end)
      end
      one()
    end, 10)
    h.run(20)
    assert.are.same({ ['0'] = true, ['1'] = true, ['2'] = true }, seen)
    local ups, ids = p.ups(), {}
    for _, u in ipairs(ups) do
      ids[#ids + 1] = u.id
      assert.are.equal(3, u.n)
      assert.are.equal(ups[1].ppid, u.ppid) -- one parent
      assert.are.equal('nil', u.mark) -- taken out of the environment
    end
    table.sort(ids)
    assert.are.same({ 0, 1, 2 }, ids)
    os.execute('kill -TERM ' .. ups[1].ppid)
    h.waitFor(function() return p.status() ~= nil end, function() end, 10)
    h.run(15)
    assert.are.equal(0, p.status())
    for _, u in ipairs(ups) do assert.is_false(alive(u.pid)) end
    -- the one warning, when the kernel would reset a dead worker's queue
    local warnings = select(2, p.stderr():gsub('tcp_migrate_req is 0', ''))
    assert.are.equal(
      h.readAll('/proc/sys/net/ipv4/tcp_migrate_req'):match('^0') and 1 or 0,
      warnings)
    p.cleanup()
  end)

  it('restarts a worker killed mid-load; no connection is refused ' ..
     'meanwhile', function()
    local port = freePort()
    local p = start({ '--workers', '2', script, port })
    local done, killed, restarted, errors, answers = 0, nil, false, {}, {}
    local after = 0 -- answers of the new worker 0
    h.waitFor(function() return #p.ups() == 2 end, function()
      local function loop()
        ask(port, function(text, err)
          done = done + 1
          if err then
            errors[err.code] = (errors[err.code] or 0) + 1
          else
            answers[text] = (answers[text] or 0) + 1
            if restarted and text == '0\n' then after = after + 1 end
          end
          if done == 50 then
            for _, u in ipairs(p.ups()) do
              if u.id == 0 then killed = u.pid end
            end
            os.execute('kill -KILL ' .. killed)
          end
          if killed and not restarted then
            restarted = #p.ups() == 3
          end
          if after < 20 and done < 20000 then loop() end
        end)
      end
      for _ = 1, 4 do loop() end -- four clients, each connecting anew
    end, 10)
    h.run(30)
    assert.is_nil(errors.ECONNREFUSED)
    assert.is_true(restarted)
    assert.is_true(after >= 20, 'the new worker 0 answered')
    local ups = p.ups()
    assert.are.equal(0, ups[3].id)
    assert.are_not.equal(killed, ups[3].pid)
    assert.truthy(p.stderr():find('worker 0 (pid ' .. killed ..
      ') killed by SIGKILL; restarting it', 1, true))
    os.execute('kill -TERM ' .. ups[1].ppid)
    h.waitFor(function() return p.status() ~= nil end, function() end, 10)
    h.run(15)
    assert.are.equal(0, p.status())
    p.cleanup()
  end)

  it('a worker told to stop (SIGTERM) serves the connections waiting in ' ..
     'its accept queue before it closes, then exits 0 (not restarted)',
     function()
    -- Connections must wait in the queue when the worker's loop sees the
    -- signal. libuv runs signal callbacks after the other I/O of the same
    -- poll, so: the worker sends itself SIGTERM while it blocks in a
    -- listener (c0's), the spec then writes to c1, and c1's listener,
    -- which runs in the same poll as the signal but before it, blocks on a
    -- FIFO while the spec queues ten connections on the worker's socket.
    -- c1 is known to the worker first: it answers c1's 'ready'.
    local fifo = os.tmpname()
    os.remove(fifo)
    assert.is_true(os.execute('mkfifo ' .. fifo))
    local blocker = h.script([[
local net = require('net')
local port, fifo = tonumber(process.argv[3]), process.argv[4]
-- Waits for a line on the FIFO. An open made while the last writer still
-- has it open reads that writer's end, not a line: open it again.
local function block()
  local line
  repeat
    local f = io.open(fifo)
    line = f:read('l')
    f:close()
  until line
end
net.createServer(function(s)
  s:on('data', function(d)
    if d == 'block' then
      process.kill(process.pid, 'SIGTERM')
      s:write('busy')
      block()
      s:end_()
    elseif d == 'hold' then
      s:write('holding')
      block()
      s:end_()
    elseif d == 'ready' then
      s:write('ready')
    else
      s:end_(process.workerId .. '\n')
    end
  end)
end):listen(port, '127.0.0.1', function() print('up 0 1 0 0 -') end)
]])
    local function go()
      local f = assert(io.open(fifo, 'w'))
      f:write('go\n')
      f:close()
    end
    local port = freePort()
    local p = start({ '--workers', '1', blocker, port, fifo })
    local answers, failures, connected = 0, {}, 0
    h.waitFor(function() return #p.ups() == 1 end, function()
      local c0 = net.connect(port, '127.0.0.1')
      local c1 = net.connect(port, '127.0.0.1')
      c1:on('data', function(d)
        if d ~= 'holding' then return end
        for _ = 1, 10 do
          local q, got = net.connect(port, '127.0.0.1'), ''
          q:write('q')
          q:on('connect', function()
            connected = connected + 1
            if connected == 10 then go() end -- all ten wait in the queue
          end)
          q:on('data', function(text) got = got .. text end)
          q:on('error', function(err) failures[#failures + 1] = err.code end)
          q:on('close', function()
            if got == '0\n' then answers = answers + 1 end
          end)
        end
      end)
      c0:on('data', function(d)
        if d ~= 'busy' then return end
        c1:write('hold') -- in the worker's socket when write returns
        go()
      end)
      -- c1 accepted and read before the block: else, on a loaded machine,
      -- the worker accepts c1 in the poll that sees the signal, reads its
      -- 'hold' only in the next, and has closed its listener by then.
      c1:on('data', function(d)
        if d == 'ready' then c0:write('block') end
      end)
      c1:on('connect', function() c1:write('ready') end)
    end, 10)
    h.waitFor(function() return p.status() ~= nil end, function() end, 10)
    h.run(20)
    assert.are.same({}, failures)
    assert.are.equal(10, answers)
    assert.are.equal(0, p.status())
    assert.is_nil(p.stderr():find('restarting', 1, true))
    p.cleanup()
    os.remove(fifo)
  end)

  it('shares no port listened on with exclusive = true: another worker ' ..
     "gets EADDRINUSE, as a Node cluster's does", function()
    -- Node 22's cluster: listen({ port, exclusive: true }) in two workers
    -- makes the second fail with EADDRINUSE (no handle is shared).
    local own = h.script([[
local net = require('net')
local s = net.createServer()
s:on('error', function(err)
  print('error ' .. process.workerId .. ' ' .. err.code)
  process.exit(0)
end)
s:listen({ port = tonumber(process.argv[3]), host = '127.0.0.1',
  exclusive = true }, function()
  print('listening ' .. process.workerId .. ' ' .. process.ppid)
end)
]])
    local p = start({ '--workers', '2', own, freePort() })
    h.waitFor(function()
      return p.stdout():find('error 1') and p.stdout():find('listening 0')
    end, function()
      os.execute('kill -TERM ' .. p.stdout():match('listening 0 (%d+)'))
    end, 10)
    h.waitFor(function() return p.status() ~= nil end, function() end, 15)
    h.run(20)
    assert.truthy(p.stdout():find('error 1 EADDRINUSE', 1, true))
    assert.are.equal(0, p.status())
    p.cleanup()
  end)

  it('reports a script that fails at start once: worker 0 runs first, ' ..
     'and the others start only once its script has run', function()
    local bad = h.script('local x = 1\nerror("boom at start")\n')
    local out, err, code = h.exec({ '--workers', '3', bad })
    assert.are.equal('', out)
    assert.are.equal(1, select(2, err:gsub('boom at start', '')))
    assert.truthy(err:find('luanet: worker 0 failed at start (status 1); ' ..
      'not starting the others', 1, true))
    assert.are.equal(1, code)
  end)

  it('restarts a worker that keeps dying after a back-off that doubles ' ..
     'from 0.1 s, not in a storm', function()
    local dies = h.script([[
print('start ' .. process.ppid)
setTimeout(function() error('dies at once') end, 0)
]])
    local p = start({ '--workers', '1', dies })
    local t0 = h.luanet.process.hrtime()
    local function starts() return select(2, p.stdout():gsub('start', '')) end
    local elapsed
    h.waitFor(function() return starts() >= 4 end, function()
      elapsed = h.luanet.process.hrtime(t0)
      os.execute('kill -TERM ' .. p.stdout():match('start (%d+)'))
    end, 15)
    h.waitFor(function() return p.status() ~= nil end, function() end, 15)
    h.run(20)
    -- three restarts waited 0.1, 0.2 and 0.4 s at least
    assert.is_true(elapsed[1] + elapsed[2] / 1e9 >= 0.7)
    local _, waits = p.stderr():gsub('exited with status 1; restarting ' ..
      'it in', '')
    assert.is_true(waits >= 3)
    p.cleanup()
  end)

  it('LUANET_WORKERS=N is --workers N; outside workers process.workerId ' ..
     'and process.workers are nil', function()
    local code = 'print(process.workerId, process.workers)'
    local out, _, status = h.exec({ '-e', code }, nil,
      { 'env', 'LUANET_WORKERS=2' })
    local lines = {}
    for line in out:gmatch('[^\n]+') do lines[#lines + 1] = line end
    table.sort(lines)
    assert.are.same({ '0\t2', '1\t2' }, lines)
    assert.are.equal(0, status) -- each exited 0: none restarted
    assert.are.equal('nil\tnil\n', (h.exec({ '-e', code })))
    -- the REPL and standard input ignore the variable
    assert.are.equal('nil\tnil\n', (h.exec({}, code .. '\n',
      { 'env', 'LUANET_WORKERS=2' })))
  end)

  it('refuses a bad number of workers, or workers for the REPL or ' ..
     'standard input, with status 9', function()
    for _, args in ipairs({ { '--workers', 'two', '-e', '' },
        { '--workers', '-1', '-e', '' }, { '--workers', '2', '-i' },
        { '--workers', '2' }, { '--workers' } }) do
      local _, err, code = h.exec(args)
      assert.are.equal(9, code, table.concat(args, ' '))
      assert.truthy(err:find('workers', 1, true))
    end
    local _, err, code = h.exec({ '-e', '' }, nil,
      { 'env', 'LUANET_WORKERS=x' })
    assert.are.equal(9, code)
    assert.truthy(err:find('LUANET_WORKERS is not a number', 1, true))
  end)
end)
