-- Errors that name the fix of the slips a Node user makes in Lua: a
-- method called with a dot, `socket:end()`, an 'error' nobody listens to,
-- an error table joined with `..` or raised by the user. Each sentence is
-- checked word for word, mostly by running build/luanet on a small script
-- and reading its standard error.
local h = require('spec.helpers')
local t = require('luanet.test')

local net, timers, process = h.net, h.timers, h.process
local errors = require('errors')
local EventEmitter = require('events')

-- Runs source as a script file; returns its stderr as a list of lines,
-- stdout, the exit code and the script's path (removed already).
local function run(source)
  local path = h.script(source)
  local out, err, code = h.exec({ path })
  os.remove(path)
  local lines = {}
  for line in err:gmatch('([^\n]*)\n') do lines[#lines + 1] = line end
  return lines, out, code, path
end

-- The position of line in lines, or nil.
local function find(lines, line)
  for i, l in ipairs(lines) do
    if l == line then return i end
  end
end

-- What fn raised.
local function raised(fn)
  local ok, err = pcall(fn)
  assert.is_false(ok, 'it did not raise')
  return err
end

local function dotted(class, method, fix)
  return class .. ':' .. method .. " called with '.'; use " .. fix .. '(...)'
end

describe('a method called with a dot', function()
  t.it("socket.write('x') is uncaught ERR_INVALID_THIS naming socket:write",
    function()
      local err, _, code = run([[
local net = require('net')
local socket = net.Socket()
socket.write('x')
]])
      assert.are.equal('Uncaught TypeError [ERR_INVALID_THIS]: ' ..
        "Socket:write called with '.'; use socket:write(...)", err[1])
      assert.are.equal(1, code)
    end)

  t.it('server.listen(0), s.on(...), c.end_() name the colon call', function()
    for _, case in ipairs({
      { 'local server = net.createServer()\nserver.listen(0)',
        dotted('Server', 'listen', 'server:listen') },
      { "local s = net.Socket()\ns.on('data', print)",
        dotted('Socket', 'on', 'socket:on') },
      { 'local c = net.Socket()\nc.end_()',
        dotted('Socket', 'end_', 'socket:end_') },
      { "process.on('exit', print)", dotted('process', 'on', 'process:on') },
    }) do
      local err, _, code = run("local net = require('net')\n" .. case[1])
      assert.are.equal('Uncaught TypeError [ERR_INVALID_THIS]: ' .. case[2],
        err[1])
      assert.are.equal(1, code)
    end
  end)

  t.it('is a TypeError with code ERR_INVALID_THIS, catchable', function()
    local socket = net.Socket()
    local err = raised(function() socket.write('x') end)
    assert.are.equal('TypeError', err.name)
    assert.are.equal('ERR_INVALID_THIS', err.code)
    assert.are.equal(dotted('Socket', 'write', 'socket:write'), err.message)
    assert.is_true(errors.isError(err))
    socket:destroy()
  end)

  t.it('names the class and the method, whichever they are', function()
    local server, socket = net.createServer(), net.Socket()
    local emitter = EventEmitter()
    local timeout = timers.setTimeout(function() end, 1000)
    local immediate = timers.setImmediate(function() end)
    local list = net.BlockList()
    local cases = {
      { function() socket.once('data', print) end,
        dotted('Socket', 'once', 'socket:once') },
      { function() socket.off('data', print) end,
        dotted('Socket', 'off', 'socket:off') },
      { function() socket.prependListener('data', print) end,
        dotted('Socket', 'prependListener', 'socket:prependListener') },
      { function() socket.emit('data') end,
        dotted('Socket', 'emit', 'socket:emit') },
      { function() socket.connect(80) end,
        dotted('Socket', 'connect', 'socket:connect') },
      { function() socket.setTimeout(10) end,
        dotted('Socket', 'setTimeout', 'socket:setTimeout') },
      { function() socket.pipe(socket) end,
        dotted('Socket', 'pipe', 'socket:pipe') },
      { function() socket.destroy() end,
        dotted('Socket', 'destroy', 'socket:destroy') },
      { function() socket['end']() end,
        dotted('Socket', 'end', 'socket:end_') },
      { function() server.address() end,
        dotted('Server', 'address', 'server:address') },
      { function() server.close() end,
        dotted('Server', 'close', 'server:close') },
      { function() server.once('listening', print) end,
        dotted('Server', 'once', 'server:once') },
      { function() server.removeAllListeners() end,
        dotted('Server', 'removeAllListeners', 'server:removeAllListeners') },
      { function() emitter.on('x', print) end,
        dotted('EventEmitter', 'on', 'emitter:on') },
      { function() emitter.listenerCount('x') end,
        dotted('EventEmitter', 'listenerCount', 'emitter:listenerCount') },
      { function() process.on('exit', print) end,
        dotted('process', 'on', 'process:on') },
      { function() timeout.unref() end,
        dotted('Timeout', 'unref', 'timeout:unref') },
      { function() immediate.hasRef() end,
        dotted('Immediate', 'hasRef', 'immediate:hasRef') },
      { function() list._check('1.2.3.4') end,
        dotted('BlockList', '_check', 'blockList:_check') },
    }
    for _, case in ipairs(cases) do
      assert.are.equal(case[2], raised(case[1]).message)
    end
    timers.clearTimeout(timeout)
    timers.clearImmediate(immediate)
    server:close()
    socket:destroy()
  end)

  t.it('a method given another object keeps Lua\'s own words', function()
    local socket = net.Socket()
    assert.are.equal("bad argument #1 to 'write' (luanet.Socket expected, " ..
      'got table)', select(2, pcall(socket.write, {}, 'x')))
    local other = { write = socket.write }
    assert.are.equal("calling 'write' on bad self (luanet.Socket expected, " ..
      'got table)', raised(function() other:write('x') end))
    socket:destroy()
  end)
end)

describe("a compile error near 'end'", function()
  t.it('gets a line naming end_ and the receiver of the line', function()
    local err, _, code, path = run([[
local net = require('net')
local client = net.Socket()
client:end()
]])
    assert.are.same({
      'luanet: ' .. path .. ":3: <name> expected near 'end'",
      "`end` is a Lua keyword: write client:end_() (or client['end'](client))",
    }, err)
    assert.are.equal(1, code)
  end)

  t.it("names 'socket' where the line cannot be read", function()
    local _, err, code = h.exec({}, 'local s = 1\ns.end()\n')
    assert.are.equal("luanet: stdin:2: <name> expected near 'end'\n" ..
      "`end` is a Lua keyword: write socket:end_() (or " ..
      "socket['end'](socket))\n", err)
    assert.are.equal(1, code)
  end)

  t.it('reads the receiver of -e code', function()
    local _, err = h.exec({ '-e', 'local c = {}\nc.sock:end()' })
    assert.are.equal("luanet: [command line]:2: <name> expected near " ..
      "'end'\n`end` is a Lua keyword: write c.sock:end_() (or " ..
      "c.sock['end'](c.sock))\n", err)
  end)

  t.it('is added at the REPL prompt too', function()
    local out = h.exec({ '-i' }, 'conn = {}\nconn:end()\n')
    assert.matches("Uncaught Error: repl:1: <name> expected near 'end'\n" ..
      "`end` is a Lua keyword: write conn:end_() (or conn['end'](conn))\n",
      out, 1, true)
  end)

  t.it('is not added to other compile errors', function()
    local _, err = h.exec({ '-e', 'x = = 1' })
    assert.are.equal("luanet: [command line]:1: unexpected symbol near '='\n",
      err)
  end)
end)

describe("an 'error' nobody listens to", function()
  -- Node 22 prints "Emitted 'error' event on Socket instance at:" and the
  -- stack of its emitErrorNT; luanet names where the script made the
  -- emitter, after the message and the stack, before the error's fields.
  local closedPort = [[
local net = require('net')
local probe = net.createServer()
probe:listen(0, '127.0.0.1', function()
  local port = probe:address().port
  probe:close(function()
    print(port)
]]

  t.it('names the Socket, its peer and the line that connected it',
    function()
      local err, out, code, path = run(closedPort .. [[
    net.connect(port, '127.0.0.1')
  end)
end)
]])
      local port = out:match('^(%d+)\n$')
      assert.are.equal('Uncaught Error: connect ECONNREFUSED 127.0.0.1:' ..
        port, err[1])
      local at = find(err, "Emitted 'error' event on Socket (127.0.0.1:" ..
        port .. '), connected at ' .. path .. ':7')
      assert.is_truthy(at, table.concat(err, '\n'))
      assert.is_truthy(find(err, 'stack traceback:') < at)
      assert.are.equal('{', err[at + 1])
      assert.are.equal(1, code)
    end)

  t.it('names the line of socket:connect(); nothing for one never connected',
    function()
      local err, out, _, path = run(closedPort .. [[
    local socket = net.Socket()
    socket:connect(port, '127.0.0.1')
  end)
end)
]])
      local port = out:match('^(%d+)\n$')
      assert.is_truthy(find(err, "Emitted 'error' event on Socket " ..
        '(127.0.0.1:' .. port .. '), connected at ' .. path .. ':8'),
        table.concat(err, '\n'))
      err = run([[
local net = require('net')
local socket = net.Socket()
socket:destroy({ code = 'EMADEUP' })
]])
      assert.are.equal('Uncaught { code = "EMADEUP" }', err[1])
      assert.is_truthy(find(err, "Emitted 'error' event on Socket"),
        table.concat(err, '\n'))
    end)

  t.it('names the Server, its address and the line of listen()', function()
    local err, out, _, path = run([[
local net = require('net')
local first = net.createServer()
first:listen(0, '127.0.0.1', function()
  print(first:address().port)
  local second = net.createServer()
  second:listen(first:address().port, '127.0.0.1')
end)
]])
    local port = out:match('^(%d+)\n$')
    assert.are.equal('Uncaught Error: listen EADDRINUSE: address already ' ..
      'in use 127.0.0.1:' .. port, err[1])
    assert.is_truthy(find(err, "Emitted 'error' event on Server (127.0.0.1:" ..
      port .. '), listen called at ' .. path .. ':6'), table.concat(err, '\n'))
  end)

  t.it('names any other emitter by its class', function()
    local err = run([[
local EventEmitter = require('events')
EventEmitter():emit('error', 'boom')
]])
    assert.are.equal("Uncaught Error [ERR_UNHANDLED_ERROR]: Unhandled " ..
      "error. ('boom')", err[1])
    assert.is_truthy(find(err, "Emitted 'error' event on EventEmitter"),
      table.concat(err, '\n'))
  end)
end)

describe('an error table', function()
  -- Node 22: socket.on('error', (err) => console.log('failed: ' + err))
  -- printed "failed: Error: connect ECONNREFUSED 127.0.0.1:9", and
  -- err + '!' "Error: connect ECONNREFUSED 127.0.0.1:9!".
  t.it("joins with .. as JavaScript's + joins an Error, both orders",
    function()
      local server, port = h.listen()
      server:close()
      local client = net.connect(port, '127.0.0.1')
      client:on('error', t.mustCall(function(err)
        local text = 'Error: connect ECONNREFUSED 127.0.0.1:' .. port
        assert.are.equal('failed: ' .. text, 'failed: ' .. err)
        assert.are.equal(text .. '!', err .. '!')
        assert.are.equal('1' .. text, 1 .. err)
        assert.are.equal(text .. text, err .. err)
      end))
      local typed = errors.invalidArgType('x', 'string', 1)
      assert.are.equal('got TypeError [ERR_INVALID_ARG_TYPE]: The "x" ' ..
        'argument must be of type string. Received type number (1)',
        'got ' .. typed)
    end)

  t.it('does not join with a table or nil, as Lua would not', function()
    local err = errors.new('Error', nil, 'x')
    assert.matches('attempt to concatenate a table value',
      raised(function() return err .. {} end), 1, true)
    assert.matches('attempt to concatenate a nil value',
      raised(function() return err .. nil end), 1, true)
  end)

  t.it('raised by the user is not modified, luanet\'s own gets err.stack',
    function()
      local mine = { code = 'EMINE' }
      local caught = {}
      local onUncaught = t.mustCall(function(err)
        caught[#caught + 1] = err
        if #caught < 2 then return end
        assert.are.equal(mine, caught[1])
        assert.are.same({ code = 'EMINE' }, mine)
        assert.matches('^Error: own\nstack traceback:\n', caught[2].stack)
      end, 2)
      process:on('uncaughtException', onUncaught)
      finally(function() process:off('uncaughtException', onUncaught) end)
      timers.setTimeout(function() error(mine) end, 1)
      timers.setTimeout(function()
        error(errors.new('Error', 'EOWN', 'own'))
      end, 2)
    end)

  t.it('raised by the user is printed once, with its traceback once',
    function()
      local err, _, code, path = run([[
local t = { code = 'X' }
error(t)
]])
      assert.are.same({
        'Uncaught { code = "X" }',
        'stack traceback:',
        "\t[C]: in function 'error'",
        '\t' .. path .. ':2: in main chunk',
      }, err)
      assert.are.equal(1, code)
    end)
end)

describe("README's From Node to luanet", function()
  -- Each rule's script as client.lua, and the first line it prints to
  -- standard error (with the line of the compile error's hint).
  local function printed(source, lines)
    local dir = os.tmpname()
    os.remove(dir)
    assert(os.execute('mkdir ' .. h.shellQuote(dir)))
    local path = dir .. '/client.lua'
    local f = assert(io.open(path, 'w'))
    f:write(source)
    f:close()
    local _, err = h.exec({ path })
    os.remove(path)
    os.remove(dir)
    local text = {}
    for line in err:gmatch('([^\n]*)\n') do
      if #text < lines then text[#text + 1] = line end
    end
    return (table.concat(text, '\n'):gsub(dir:gsub('%p', '%%%0') .. '/', ''))
  end

  t.it('shows what luanet prints when a rule is forgotten', function()
    local readme = h.readAll('README.md')
    local server = "local server = net.createServer(function(s) " ..
      "s:end_('hi') end):listen(0, '127.0.0.1'):unref()\n"
    for _, case in ipairs({
      { "local net = require('net')\nlocal socket = net.Socket()\n" ..
        "socket.write('hello')\n", 1 },
      { "local net = require('net')\nlocal socket = net.Socket()\n" ..
        "socket:end('bye')\n", 2 },
      { "local net = require('net')\n" .. server ..
        'local client = net.connect(server:address().port, function() ' ..
        "client:write('hello') end)\n", 1 },
      { "local net = require('net')\n" .. server ..
        'local socket = net.connect(server:address().port)\n' ..
        "socket:on('data', function(data)\n" ..
        "  console.log('got ' .. data.toString())\nend)\n", 1 },
    }) do
      local text = printed(case[1], case[2])
      assert.is_truthy(readme:find('\n' .. text .. '\n', 1, true), text)
    end
  end)
end)

describe('console.log(process.env)', function()
  -- Node 22: env -i A=1 B=two node -e 'console.log(process.env)' printed
  -- "{ A: '1', B: 'two' }".
  t.it('prints the environment as a table', function()
    local out = h.exec({ '-e', 'console.log(process.env)' }, nil,
      { 'env', '-i', 'A=1', 'B=two' })
    assert.are.equal('{ A = "1", B = "two" }\n', out)
  end)
end)
