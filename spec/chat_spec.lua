-- 聊天工作室 (001, "Tcp聊天工作室"): scripts/examples/chat.lua, run as a
-- user runs it, with several real clients talking to it at once. Every step
-- waits for the text it expects to arrive; each client's whole transcript is
-- then compared exactly, so what must not arrive (the sender's own line) is
-- checked too.
local h = require('spec.helpers')
local t = require('luanet.test')
local net = h.net

local SCRIPT = 'scripts/examples/chat.lua'
-- t.run's options: the server is a luanet of its own, slow under the
-- sanitizers
local CHILD = { timeout = 30000 }

-- What the server says, written out here rather than taken from the script.
local function greeting(count)
  return '欢迎来到聊天工作室! 当前在线人数: ' .. count .. '\n请输入你的昵称:\n'
end
local function welcome(name)
  return '你好, ' .. name .. '! 直接输入文字即可发言, 输入 /help 查看命令\n'
end
local function joined(name) return '*** ' .. name .. ' 加入了聊天室\n' end
local function left(name) return '*** ' .. name .. ' 离开了聊天室\n' end
local TOO_LONG = '消息太长 (超过 4096 字节), 已丢弃\n'
local HELP = '可用命令:\n' ..
  '  /nick 昵称  修改昵称\n' ..
  '  /who        查看在线用户\n' ..
  '  /help       显示本帮助\n' ..
  '  /quit       退出聊天室\n' ..
  '其他输入都会作为消息发给所有人.\n'

-- A port nobody listens on: listen on port 0 (all addresses, as the chat
-- server does), read the port, close.
local function freePort()
  local server = net.createServer()
  server:listen(0)
  local port = server:address().port
  t.run(function() server:close() end) -- until it is closed
  return port
end

-- Runs steps one after the other: each is function(go) and calls go() when
-- it is done.
local function sequence(steps)
  local i = 0
  local function go()
    i = i + 1
    if steps[i] then steps[i](go) end
  end
  go()
end

-- A chat user: text holds all it received; wait(s, fn) calls fn once s has
-- arrived after what earlier waits consumed, and fails after 3 s saying what
-- did arrive.
local function newClient(port)
  local c = { text = '', pos = 1, errors = {} }
  c.socket = net.connect(port, '127.0.0.1')
  c.socket:setEncoding('utf8')
  local function check()
    local w = c.waiting
    if not w then return end
    local _, last = c.text:find(w.s, c.pos, true)
    if last then
      c.pos, c.waiting = last + 1, nil
      h.timers.clearTimeout(w.timer)
      w.fn()
    end
  end
  c.socket:on('data', function(data)
    c.text = c.text .. data
    check()
  end)
  c.socket:on('error', function(err) c.errors[#c.errors + 1] = err end)
  function c.wait(s, fn)
    assert(not c.waiting, 'one wait at a time')
    c.waiting = { s = s, fn = fn, timer = h.timers.setTimeout(function()
      error(('waited 3 s for %q; got %q'):format(s, c.text:sub(c.pos)))
    end, 3000) }
    check()
  end
  function c.send(s, callback) c.socket:write(s, callback) end
  return c
end

-- Calls fn once each of the clients has received text.
local function allGet(clients, text, fn)
  local i = 0
  local function nextOne()
    i = i + 1
    if clients[i] then clients[i].wait(text, nextOne) else fn() end
  end
  nextOne()
end

-- Connects a user who is greeted with count online, takes name, and is
-- announced to others; returns the client at once, calls go when done.
local function join(port, name, count, others, go)
  local c = newClient(port)
  c.wait(greeting(count), function()
    c.send(name .. '\n')
    c.wait(welcome(name), function() allGet(others, joined(name), go) end)
  end)
  return c
end

-- Spawns the chat server on a free port; the first step of a sequence waits
-- (polling its output) until it says it listens.
local function startServer()
  local port = freePort()
  local proc = h.spawn({ SCRIPT, tostring(port) })
  finally(function()
    proc.kill()
    proc.wait()
  end)
  local function up(go)
    h.waitFor(function()
      return proc.output():find('聊天工作室已启动, 端口: ' .. port .. '\n', 1,
        true) ~= nil
    end, go)
  end
  return proc, port, up
end

-- The server's stdout without the "新连接: address port" lines, whose
-- ports vary; and how many of those there were.
local function serverLog(proc)
  local out = proc.output()
  local kept, connections = {}, 0
  for line in out:gmatch('[^\n]*\n') do
    if line:find('^新连接: ') then
      connections = connections + 1
    else
      kept[#kept + 1] = line
    end
  end
  return table.concat(kept), connections
end

local function closeAll(clients)
  for _, c in ipairs(clients) do c.socket:destroy() end
end

describe('the chat room (聊天工作室)', function()
  it('greets with the online count, names, broadcasts, answers commands',
    function()
    local proc, port, up = startServer()
    local a, b, c, d, e
    local seen = {}
    t.run(function()
      sequence({
        up,
        function(go)
          a = newClient(port)
          a.wait(greeting(1), go)
        end,
        function(go) -- an empty nickname, then a blank one
          a.send('\n')
          a.wait('昵称不能为空, 请重新输入你的昵称:\n', go)
        end,
        function(go)
          a.send('   \r\n')
          a.wait('昵称不能为空, 请重新输入你的昵称:\n', go)
        end,
        function(go)
          a.send('alice\n')
          a.wait(welcome('alice'), go)
        end,
        function(go)
          b = newClient(port)
          b.wait(greeting(2), go)
        end,
        function(go) -- a nickname already taken, then a free one
          b.send('alice\n')
          b.wait('昵称 alice 已被占用, 请重新输入你的昵称:\n', go)
        end,
        function(go)
          b.send('bob\n')
          b.wait(welcome('bob'), function() a.wait(joined('bob'), go) end)
        end,
        function(go) c = join(port, 'carol', 3, { a, b }, go) end,
        function(go) d = join(port, 'dave', 4, { a, b, c }, go) end,
        function(go) -- four at once: the line reaches the three others
          a.send('hello everyone 大家好\n')
          allGet({ b, c, d }, 'alice: hello everyone 大家好\n', go)
        end,
        function(go)
          b.send('/who\n')
          b.wait('在线用户 (4): alice, bob, carol, dave\n', go)
        end,
        function(go)
          c.send('/help\n')
          c.wait(HELP, go)
        end,
        function(go)
          d.send('/nick bob\n')
          d.wait('昵称 bob 已被占用\n', go)
        end,
        function(go)
          d.send('/nick\n')
          d.wait('昵称不能为空\n', go)
        end,
        function(go)
          d.send('/nick dan\n')
          d.wait('你的昵称已改为 dan\n', function()
            allGet({ a, b, c }, '*** dave 改名为 dan\n', go)
          end)
        end,
        function(go)
          d.send('hi, I am dan now\n')
          allGet({ a, b, c }, 'dan: hi, I am dan now\n', go)
        end,
        function(go)
          d.send('/dance\n')
          d.wait('未知命令: /dance, 输入 /help 查看可用命令\n', go)
        end,
        function(go) -- a fifth is counted, and not listed until named
          e = newClient(port)
          e.wait(greeting(5), function()
            e.send('/who\n')
            e.wait('在线用户 (4): alice, bob, carol, dan\n', go)
          end)
        end,
        function(go)
          h.waitFor(function()
            return proc.output():find('dave 改名为 dan\n', 1, true) ~= nil
          end, go)
        end,
        function()
          for _, x in ipairs({ a, b, c, d, e }) do seen[#seen + 1] = x.text end
          seen.log, seen.connections = serverLog(proc)
          seen.stderr = select(2, proc.output())
          closeAll({ a, b, c, d, e })
        end,
      })
    end, CHILD)

    local renamed = '*** dave 改名为 dan\n' .. 'dan: hi, I am dan now\n'
    assert.are.equal(greeting(1) ..
      '昵称不能为空, 请重新输入你的昵称:\n' ..
      '昵称不能为空, 请重新输入你的昵称:\n' ..
      welcome('alice') .. joined('bob') .. joined('carol') .. joined('dave') ..
      renamed, seen[1])
    assert.are.equal(greeting(2) ..
      '昵称 alice 已被占用, 请重新输入你的昵称:\n' .. welcome('bob') ..
      joined('carol') .. joined('dave') ..
      'alice: hello everyone 大家好\n' ..
      '在线用户 (4): alice, bob, carol, dave\n' .. renamed, seen[2])
    assert.are.equal(greeting(3) .. welcome('carol') .. joined('dave') ..
      'alice: hello everyone 大家好\n' .. HELP .. renamed, seen[3])
    assert.are.equal(greeting(4) .. welcome('dave') ..
      'alice: hello everyone 大家好\n' .. '昵称 bob 已被占用\n' ..
      '昵称不能为空\n' .. '你的昵称已改为 dan\n' ..
      '未知命令: /dance, 输入 /help 查看可用命令\n', seen[4])
    assert.are.equal(greeting(5) .. '在线用户 (4): alice, bob, carol, dan\n',
      seen[5])
    assert.are.equal('聊天工作室已启动, 端口: ' .. port .. '\n' ..
      'alice 加入了聊天室\n' .. 'bob 加入了聊天室\n' .. 'carol 加入了聊天室\n' ..
      'dave 加入了聊天室\n' .. 'dave 改名为 dan\n', seen.log)
    assert.are.equal(5, seen.connections)
    assert.are.equal('', seen.stderr)
    for _, x in ipairs({ a, b, c, d, e }) do assert.are.same({}, x.errors) end
  end)

  it('splits lines only on "\\n": across writes, several in one, too long',
    function()
    local proc, port, up = startServer()
    local a, b, stderr
    t.run(function()
      sequence({
        up,
        function(go) a = join(port, 'alice', 1, {}, go) end,
        function(go) b = join(port, 'bob', 2, { a }, go) end,
        function(go) -- half a line, cut inside the bytes of 界 (e7 95 8c)
          a.send('你好, 世\xe7\x95', go)
        end,
        function(go) -- a round trip through the server before the rest
          b.send('/who\n')
          b.wait('在线用户 (2): alice, bob\n', go)
        end,
        function(go)
          a.send('\x8c!\n')
          b.wait('alice: 你好, 世界!\n', go)
        end,
        function(go) -- two lines in one write, telnet's "\r\n"
          a.send('第一行\r\n第二行\n')
          b.wait('alice: 第一行\nalice: 第二行\n', go)
        end,
        function(go) -- no newline for 5000 bytes: refused, not kept
          a.send(string.rep('x', 5000))
          a.wait(TOO_LONG, go)
        end,
        function(go) -- its tail is dropped too; a whole long line is refused
          a.send(string.rep('y', 3000) .. '\nback\n' .. string.rep('z', 5000) ..
            '\nafter\n')
          a.wait(TOO_LONG, function()
            b.wait('alice: back\nalice: after\n', go)
          end)
        end,
        function()
          stderr = select(2, proc.output())
          closeAll({ a, b })
        end,
      })
    end, CHILD)

    assert.are.equal(greeting(1) .. welcome('alice') .. joined('bob') ..
      TOO_LONG .. TOO_LONG, a.text)
    assert.are.equal(greeting(2) .. welcome('bob') ..
      '在线用户 (2): alice, bob\n' .. 'alice: 你好, 世界!\n' ..
      'alice: 第一行\nalice: 第二行\n' .. 'alice: back\nalice: after\n', b.text)
    assert.are.equal('', stderr)
  end)

  it('announces a /quit and a reset, and serves on', function()
    local proc, port, up = startServer()
    local a, b, c, d, e
    local log, stderr
    t.run(function()
      sequence({
        up,
        function(go) a = join(port, 'alice', 1, {}, go) end,
        function(go) b = join(port, 'bob', 2, { a }, go) end,
        function(go) c = join(port, 'carol', 3, { a, b }, go) end,
        function(go) d = join(port, 'dave', 4, { a, b, c }, go) end,
        function(go) -- a polite leave: the server says goodbye and ends
          b.socket:on('close', t.mustCall(go))
          b.send('/quit\n')
        end,
        function(go) allGet({ a, c, d }, left('bob'), go) end,
        function(go) -- an abrupt one: RST, the server sees ECONNRESET
          d.socket:on('close', t.mustCall(go))
          d.socket:resetAndDestroy()
        end,
        function(go) allGet({ a, c }, left('dave'), go) end,
        function(go) e = join(port, 'erin', 3, { a, c }, go) end,
        function(go)
          e.send('still serving?\n')
          allGet({ a, c }, 'erin: still serving?\n', go)
        end,
        function(go)
          a.send('/who\n')
          a.wait('在线用户 (3): alice, carol, erin\n', go)
        end,
        function(go)
          h.waitFor(function()
            return proc.output():find('erin 加入了聊天室\n', 1, true) ~= nil
          end, go)
        end,
        function()
          log = serverLog(proc)
          stderr = select(2, proc.output())
          closeAll({ a, c, e })
        end,
      })
    end, CHILD)

    assert.are.equal(greeting(1) .. welcome('alice') .. joined('bob') ..
      joined('carol') .. joined('dave') .. left('bob') .. left('dave') ..
      joined('erin') .. 'erin: still serving?\n' ..
      '在线用户 (3): alice, carol, erin\n', a.text)
    assert.are.equal(greeting(2) .. welcome('bob') .. joined('carol') ..
      joined('dave') .. '再见!\n', b.text)
    assert.are.equal(greeting(3) .. welcome('carol') .. joined('dave') ..
      left('bob') .. left('dave') .. joined('erin') ..
      'erin: still serving?\n', c.text)
    assert.are.equal(greeting(4) .. welcome('dave') .. left('bob'), d.text)
    assert.are.equal(greeting(3) .. welcome('erin'), e.text)
    assert.are.equal('聊天工作室已启动, 端口: ' .. port .. '\n' ..
      'alice 加入了聊天室\n' .. 'bob 加入了聊天室\n' .. 'carol 加入了聊天室\n' ..
      'dave 加入了聊天室\n' .. 'bob 离开了聊天室\n' ..
      '连接出错: read ECONNRESET\n' .. 'dave 离开了聊天室\n' ..
      'erin 加入了聊天室\n', log)
    assert.are.equal('', stderr)
    for _, x in ipairs({ a, b, c, d, e }) do assert.are.same({}, x.errors) end
  end)
end)
