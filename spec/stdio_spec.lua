-- process.stdin, process.stdout and process.stderr as Node's, over whatever
-- the descriptors are (a terminal, a pipe, a file), and output that keeps
-- its order and is never lost: the netcat of Node's documentation, print,
-- io.write, console.log and process.stdout:write mixed, every way a
-- process ends, and a large write to a slow reader.
local h = require('spec.helpers')
local terminal = require('spec.terminal')

local NETCAT = 'scripts/examples/netcat.lua'

-- The most an idle luanet keeps resident, in KiB: the bounds below are
-- this plus what a test may hold (the sanitizers' runtimes take more).
local RSS_BASE = (function()
  local rss = os.tmpname()
  os.execute('/usr/bin/time -f %M -o ' .. rss .. ' ' .. h.exe ..
    " -e '' >/dev/null 2>&1")
  local kib = tonumber(h.readAll(rss):match('(%d+)%s*$'))
  os.remove(rss)
  return kib
end)()

-- A peer for the netcat: it reads until the client ends, then answers
-- "server got N bytes: <the first 40>" and ends; with pause = ms, it reads
-- nothing for that long first. It prints its port.
local PEER = [[
  local net = require('net')
  local pauseMs = tonumber(process.argv[3])
  local server
  server = net.createServer({ allowHalfOpen = true }, function(s)
    server:close()
    local n, head = 0, ''
    if pauseMs then
      s:pause()
      setTimeout(function() s:resume() end, pauseMs)
    end
    s:on('data', function(d)
      n = n + #d
      if #head < 40 then head = (head .. d):sub(1, 40) end
    end)
    s:on('end', function()
      s:end_('server got ' .. n .. ' bytes: ' .. head .. '|\n')
    end)
  end)
  server:listen(0, '127.0.0.1', function() print(server:address().port) end)
]]

-- Starts the peer; returns its process and port.
local function peer(pauseMs)
  local script = h.script(PEER)
  local proc = h.spawn({ script, pauseMs })
  local port
  for _ = 1, 500 do
    port = tonumber((proc.output()):match('^(%d+)\n'))
    if port then break end
    os.execute('sleep 0.01')
  end
  assert(port, 'the peer did not start')
  return proc, port
end

local function sh(cmd)
  local p = assert(io.popen(cmd))
  local out = p:read('a')
  local _, _, code = p:close()
  return out, code
end

local function file(content)
  local path = os.tmpname()
  local f = assert(io.open(path, 'wb'))
  f:write(content)
  f:close()
  return path
end

describe("the netcat of Node's docs (process.stdin:pipe, pipe to stdout)",
  function()
    it('sends a pipe, passes its end on, and prints the answer', function()
      local proc, port = peer()
      local out, code = sh("printf 'hello\\nworld\\n' | " .. h.exe .. ' ' ..
        NETCAT .. ' ' .. port .. ' 127.0.0.1')
      proc.wait()
      assert.are.equal('server got 12 bytes: hello\nworld\n|\n', out)
      assert.is_true(code == 0 or code == nil)
    end)

    it('sends a file, passes its end on, and prints the answer', function()
      local proc, port = peer()
      local out, err, code = h.exec({ NETCAT, port, '127.0.0.1' },
        'from a file\n')
      proc.wait()
      assert.are.equal('', err)
      assert.are.equal('server got 12 bytes: from a file\n|\n', out)
      assert.are.equal(0, code)
    end)

    it('sends /dev/null as an empty stream', function()
      local proc, port = peer()
      local out = sh(h.exe .. ' ' .. NETCAT .. ' ' .. port ..
        ' 127.0.0.1 </dev/null')
      proc.wait()
      assert.are.equal('server got 0 bytes: |\n', out)
    end)

    it('sends what is typed at a terminal, and Ctrl-D ends it', function()
      if not terminal.available then
        pending('tmux is not installed')
        return
      end
      local proc, port = peer()
      terminal.with(nil, function(t)
        t:type('typed here')
        t:keys('Enter')
        t:keys('C-d')
        t:waitFor('server got 11 bytes: typed here', true)
        t:waitFor('[exit 0]', true)
      end, NETCAT .. ' ' .. port .. ' 127.0.0.1', '')
      proc.wait()
    end)

    it('holds back a large file while the peer does not read: memory stays ' ..
      'bounded', function()
        local size = 32 * 1024 * 1024
        local input = file(string.rep('x', size))
        local proc, port = peer(300)
        local rss = os.tmpname()
        local out = sh('/usr/bin/time -f %M -o ' .. rss .. ' ' .. h.exe ..
          ' ' .. NETCAT .. ' ' .. port .. ' 127.0.0.1 <' .. input)
        proc.wait()
        local kib = tonumber(h.readAll(rss):match('(%d+)%s*$'))
        os.remove(input)
        os.remove(rss)
        assert.are.equal('server got ' .. size .. ' bytes: ' ..
          string.rep('x', 40) .. '|\n', out)
        assert.is_true(kib < RSS_BASE + 16 * 1024, 'max RSS ' .. kib ..
          ' KiB')
      end)
  end)

-- Every way of writing to standard output, mixed.
local MIXED = [[
  print('1 print')
  io.write('2 io.write\n')
  console.log('3 console.log')
  process.stdout:write('4 process.stdout:write\n')
  io.stdout:write('5 io.stdout:write ', 6, ' ', 0.5, '\n')
  io.write('7 no newline yet ')
  print('8 print')
  io.write(9)
]]
local MIXED_OUT = '1 print\n2 io.write\n3 console.log\n' ..
  '4 process.stdout:write\n5 io.stdout:write 6 0.5\n' ..
  '7 no newline yet 8 print\n9'

describe('output', function()
  it('keeps the order it was written in, to a pipe and to a file',
    function()
      local script = h.script(MIXED)
      assert.are.equal(MIXED_OUT, (sh(h.exe .. ' ' .. script .. ' | cat')))
      local out = os.tmpname()
      sh(h.exe .. ' ' .. script .. ' >' .. out)
      assert.are.equal(MIXED_OUT, h.readAll(out))
      os.remove(out)
      os.remove(script)
    end)

  -- How the script ends, after writing MIXED: what it adds, the status.
  local endings = {
    { 'process.exit(3)', '', 3 },
    { "error('boom')", '', 1 },
    { "process.kill(process.pid, 'SIGTERM') setTimeout(function() end, 5000)",
      '', 143 },
    { "process.kill(process.pid, 'SIGINT') setTimeout(function() end, 5000)",
      '', 130 },
    { "process:on('SIGTERM', function() io.write(' handled') " ..
      "process.exit(0) end) process.kill(process.pid, 'SIGTERM') " ..
      'setTimeout(function() end, 5000)', ' handled', 0 },
    { "process:on('SIGINT', function() io.write(' handled') " ..
      "process.exit(0) end) process.kill(process.pid, 'SIGINT') " ..
      'setTimeout(function() end, 5000)', ' handled', 0 },
  }
  for _, case in ipairs(endings) do
    it('loses nothing when the process ends by ' .. case[1], function()
      local script = h.script(MIXED .. case[1])
      local out = os.tmpname()
      local _, code = sh('sh -c ' .. h.shellQuote(h.exe .. ' ' .. script ..
        ' >' .. out .. ' 2>/dev/null; echo $?'))
      local status = tonumber((sh('sh -c ' .. h.shellQuote(h.exe .. ' ' ..
        script .. ' >/dev/null 2>&1; echo $?'))))
      assert.is_true(code == 0 or code == nil)
      assert.are.equal(MIXED_OUT .. case[2], h.readAll(out))
      assert.are.equal(case[3], status)
      os.remove(out)
      os.remove(script)
    end)
  end

  it('writes 64 MiB to a slow reader without holding it in memory',
    function()
      -- A server in the script sends 64 MiB in 64 KiB chunks as drain
      -- allows; a client pipes it to standard output, which python3 reads
      -- 64 KiB a millisecond.
      local script = h.script([[
        local net = require('net')
        local chunk = string.rep('y', 65536)
        local server
        server = net.createServer(function(s)
          server:close()
          local left = 1024
          local function pump()
            while left > 0 do
              left = left - 1
              if not s:write(chunk) then return s:once('drain', pump) end
            end
            s:end_()
          end
          pump()
        end)
        server:listen(0, '127.0.0.1', function()
          net.connect(server:address().port, '127.0.0.1'):pipe(process.stdout)
        end)
      ]])
      local reader = h.script('') .. '.py'
      local f = assert(io.open(reader, 'w'))
      f:write('import sys, time\nn = 0\nwhile True:\n' ..
        '    b = sys.stdin.buffer.read1(65536)\n' ..
        '    if not b:\n        break\n' ..
        '    n += len(b)\n    time.sleep(0.001)\nprint(n)\n')
      f:close()
      local rss = os.tmpname()
      local out = sh('/usr/bin/time -f %M -o ' .. rss .. ' ' .. h.exe .. ' ' ..
        script .. ' | env -u LD_PRELOAD python3 ' .. reader)
      local kib = tonumber(h.readAll(rss):match('(%d+)%s*$'))
      os.remove(rss)
      os.remove(reader)
      os.remove(script)
      assert.are.equal(tostring(64 * 1024 * 1024) .. '\n', out)
      assert.is_true(kib < RSS_BASE + 24 * 1024, 'max RSS ' .. kib ..
        ' KiB')
    end)
end)

-- Node 22, the same JavaScript: process.stdout on a pipe is a Socket whose
-- write of 64 KiB or more returns false, then 'drain'; on a file it
-- always returns true; isTTY is undefined off a terminal; process.stdin is
-- not paused and reads nothing until consumed.
describe('process.stdout and process.stdin, as Node 22 has them', function()
  it("returns false for a big write to a pipe, then 'drain'", function()
    local err = os.tmpname()
    sh(h.exe .. ' -e ' .. h.shellQuote([[
      local big = string.rep('z', 65536)
      local r1 = process.stdout:write('small')
      process.stdout:on('drain', function() io.stderr:write('drain\n') end)
      local r2 = process.stdout:write(big)
      io.stderr:write(tostring(r1) .. ' ' .. tostring(r2) .. ' ' ..
        tostring(process.stdout.isTTY) .. ' ' ..
        process.stdout.writableHighWaterMark .. '\n')
    ]]) .. ' 2>' .. err .. ' | cat >/dev/null')
    assert.are.equal('true false nil 65536\ndrain\n', h.readAll(err))
    os.remove(err)
  end)

  it('returns true for any write to a file', function()
    local path = os.tmpname()
    local out = sh(h.exe .. ' -e ' .. h.shellQuote([[
      io.stderr:write(tostring(process.stdout:write(string.rep('z', 65536)))
        .. '\n')
    ]]) .. ' 2>&1 >' .. path)
    os.remove(path)
    assert.are.equal('true\n', out)
  end)

  it('ends standard output with finish and close, and keeps it open',
    function()
      local out = sh(h.exe .. ' -e ' .. h.shellQuote([[
        process.stdout:on('finish', function() io.stderr:write('finish\n') end)
        process.stdout:on('close', function() io.stderr:write('close\n') end)
        process.stdout:end_('last', function() io.stderr:write('cb\n') end)
        io.stderr:write(tostring(process.stdout.writable) .. '\n')
      ]]) .. ' 2>&1 | cat')
      assert.are.equal('lastfalse\ncb\nfinish\nclose\n', out)
    end)

  it('leaves standard input alone until something reads it', function()
    local out = sh('sleep 0.3 | ' .. h.exe .. ' -e ' .. h.shellQuote([[
      local stdin = process.stdin
      print(stdin:isPaused(), stdin.isTTY, stdin.fd, stdin.bytesRead)
    ]]))
    assert.are.equal('false\tnil\t0\t0\n', out)
  end)

  -- Node 22, the same script: 'data hi', 'timer', and exit 0 at once,
  -- though the pipe stays open for 3 s more.
  it('keeps the process alive only while it reads, unless unref()ed',
    function()
      local started = os.time()
      local out, code = sh('(echo hi; sleep 3) | ' .. h.exe .. ' -e ' ..
        h.shellQuote([[
          process.stdin:on('data', function(d)
            print('data', (d:gsub('%s+$', '')))
          end)
          process.stdin:unref()
          setTimeout(function() print('timer') end, 100)
        ]]))
      assert.are.equal('data\thi\ntimer\n', out)
      assert.is_true(code == 0 or code == nil)
      assert.is_true(os.time() - started <= 5)
    end)

  it('reads standard input with setEncoding and lines split anywhere',
    function()
      local out = h.exec({ '-e', [[
        process.stdin:setEncoding('utf8')
        local got = {}
        process.stdin:on('data', function(d) got[#got + 1] = d end)
        process.stdin:on('end', function() print(#table.concat(got)) end)
      ]] }, string.rep('é', 100000))
      assert.are.equal('200000\n', out)
    end)
end)
