-- net.createServer({ proxyProtocol = true }): the PROXY protocol header
-- (HAProxy's proxy-protocol.txt, v1 text and v2 binary) that a load
-- balancer sends ahead of each connection, read by core/proxy.c before
-- 'connection'. Real peers only: raw clients that write headers (whole,
-- byte by byte, with data behind, malformed), and nginx's stream module
-- balancing two luanet servers with `proxy_protocol on`. Node has no such
-- option: what is asserted is luanet's own contract (docs/net.md).
local h = require('spec.helpers')
local net, timers = h.net, h.timers

local SIG = '\r\n\r\n\0\r\nQUIT\n'

-- A version 2 header: command (0 LOCAL, 1 PROXY), family and protocol
-- byte, then body (addresses and TLVs).
local function v2(command, family, body)
  return SIG .. string.char(0x20 | command, family) ..
    string.pack('>I2', #body) .. body
end

local function ip4(a, b, c, d) return string.char(a, b, c, d) end
local IP6_DB8_1 = '\x20\x01\x0d\xb8' .. string.rep('\0', 11) .. '\1'
local IP6_DB8_2 = '\x20\x01\x0d\xb8' .. string.rep('\0', 11) .. '\2'
-- a NOOP TLV (PP2_TYPE_NOOP) and a unique id (PP2_TYPE_UNIQUE_ID): skipped
local TLVS = '\x04\0\3abc' .. '\x05\0\5id-42'

local V2_TCP4 = v2(1, 0x11, ip4(1, 2, 3, 4) .. ip4(10, 0, 0, 1) ..
  string.pack('>I2I2', 5678, 80) .. TLVS)
local V2_TCP6 = v2(1, 0x21, IP6_DB8_1 .. IP6_DB8_2 ..
  string.pack('>I2I2', 65535, 443))
local V1_TCP4 = 'PROXY TCP4 1.2.3.4 10.0.0.1 5678 80\r\n'

-- One server with proxyProtocol (and options.blockList, options.setup(server))
-- on 127.0.0.1, echoing what it reads, and one client per entry of
-- clients: { chunks = { ... } (written in turn; slow = true: byte by byte,
-- a timer apart), open = true (does not end after writing) }. Returns what
-- was seen: connections (remote address, port and family of each), data
-- (per client, echoed back), errors (proxyError messages), drops, and each
-- client's local port and error codes.
local function trial(clients, options)
  options = options or {}
  local seen = { connections = {}, errors = {}, drops = {}, data = {},
    ports = {}, codes = {}, events = {} }
  local server = net.createServer({ proxyProtocol = true,
    blockList = options.blockList }, function(s)
    seen.connections[#seen.connections + 1] = s.remoteAddress .. ' ' ..
      tostring(s.remotePort) .. ' ' .. tostring(s.remoteFamily)
    s:on('data', function(d) s:write(d) end)
  end)
  server:on('proxyError', function(e)
    seen.errors[#seen.errors + 1] = e.message
    seen.events[#seen.events + 1] = e
  end)
  server:on('drop', function(d)
    seen.drops[#seen.drops + 1] = d.remoteAddress .. ' ' .. d.remotePort
  end)
  if options.setup then options.setup(server) end
  local left = #clients
  server:listen(0, '127.0.0.1', function()
    for i, spec in ipairs(clients) do
      seen.data[i] = ''
      seen.codes[i] = {}
      local c = net.connect(server:address().port, '127.0.0.1')
      c:setNoDelay(true)
      local bytes = table.concat(spec.chunks)
      local function finish()
        if not spec.open then c:end_() end
      end
      local function slow(k)
        if k > #bytes then return finish() end
        c:write(bytes:sub(k, k))
        timers.setTimeout(slow, 2, k + 1)
      end
      c:on('connect', function()
        seen.ports[i] = c.localPort
        if spec.slow then return slow(1) end
        for _, chunk in ipairs(spec.chunks) do c:write(chunk) end
        finish()
      end)
      c:on('data', function(d) seen.data[i] = seen.data[i] .. d end)
      c:on('error', function(e)
        table.insert(seen.codes[i], e.code)
      end)
      c:on('close', function()
        left = left - 1
        if left == 0 then server:close() end
      end)
    end
  end)
  h.run(options.seconds)
  return seen
end

describe('net.createServer({ proxyProtocol = true })', function()
  it('takes the client from a version 1 header, data behind it kept',
    function()
      local seen = trial({
        { chunks = { V1_TCP4 .. 'hello' } },
        { chunks = { 'PROXY TCP6 2001:db8::1 2001:db8::2 65535 443\r\n',
          'world' } },
      })
      table.sort(seen.connections)
      assert.are.same({ '1.2.3.4 5678 IPv4', '2001:db8::1 65535 IPv6' },
        seen.connections)
      assert.are.same({ 'hello', 'world' }, seen.data)
      assert.are.same({}, seen.errors)
    end)

  it('takes the client from a version 2 header, TLVs skipped', function()
    local seen = trial({
      { chunks = { V2_TCP4 .. 'hello' } },
      { chunks = { V2_TCP6, 'world' } },
    })
    table.sort(seen.connections)
    assert.are.same({ '1.2.3.4 5678 IPv4', '2001:db8::1 65535 IPv6' },
      seen.connections)
    assert.are.same({ 'hello', 'world' }, seen.data)
    assert.are.same({}, seen.errors)
  end)

  it('keeps the real peer for UNKNOWN, LOCAL and AF_UNSPEC', function()
    local seen = trial({
      { chunks = { 'PROXY UNKNOWN whatever follows\r\nA' } },
      { chunks = { v2(0, 0x00, '') .. 'B' } },
      { chunks = { v2(0, 0x11, ip4(1, 2, 3, 4) .. ip4(1, 2, 3, 4) ..
        '\0\1\0\2') .. 'C' } },
      { chunks = { v2(1, 0x00, '') .. 'D' } },
      -- LOCAL: the family is ignored, as the rest of the block
      { chunks = { v2(0, 0x41, 'xyz') .. 'E' } },
    })
    assert.are.equal(5, #seen.connections)
    for i, c in ipairs(seen.connections) do
      assert.matches('^127%.0%.0%.1 %d+ IPv4$', c, nil, false, i)
    end
    local ports = {}
    for _, p in ipairs(seen.ports) do ports[#ports + 1] = p end
    local got = {}
    for _, c in ipairs(seen.connections) do
      got[#got + 1] = tonumber(c:match(' (%d+) '))
    end
    table.sort(ports)
    table.sort(got)
    assert.are.same(ports, got)
    assert.are.same({ 'A', 'B', 'C', 'D', 'E' }, seen.data)
  end)

  it('reads a header that comes byte by byte', function()
    local seen = trial({
      { chunks = { V1_TCP4, 'one' }, slow = true },
      { chunks = { V2_TCP6, 'two' }, slow = true },
    })
    table.sort(seen.connections)
    assert.are.same({ '1.2.3.4 5678 IPv4', '2001:db8::1 65535 IPv6' },
      seen.connections)
    assert.are.same({ 'one', 'two' }, seen.data)
  end)

  it('closes a malformed header cleanly and tells proxyError', function()
    local cases = {
      { 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', 'not a PROXY protocol header' },
      { 'PROXY TCP4 ' .. string.rep('1', 120) .. '\r\n', 'header too long' },
      { SIG:sub(1, 7) .. 'QUIX\n' .. '\x21\x11\0\12',
        'not a PROXY protocol header' },
      { v2(1, 0x11, ip4(1, 2, 3, 4)), 'addresses longer than the header' },
      { v2(1, 0x41, string.rep('\0', 12)),
        'unknown address family or protocol' },
      { SIG .. '\x31\x11\0\12' .. string.rep('\0', 12),
        'unknown version or command' },
      { v2(1, 0x11, string.rep('\0', 3000)), 'header too long' },
      { 'PROXY TCP4 1.2.3 10.0.0.1 5678 80\r\n', 'malformed header line' },
      { 'PROXY TCP4 2001:db8::1 10.0.0.1 5678 80\r\n',
        'malformed header line' },
      { 'PROXY TCP4 1.2.3.4 10.0.0.1 05678 80\r\n', 'malformed header line' },
      { 'PROXY TCP4 1.2.3.4 10.0.0.1 5678 65536\r\n',
        'malformed header line' },
      { 'PROXY TCP4  1.2.3.4 10.0.0.1 5678 80\r\n', 'malformed header line' },
      { 'PROXY TCP5 1.2.3.4 10.0.0.1 5678 80\r\n', 'malformed header line' },
      { 'PROXY TCP4 1.2.3.4 10.0.0.1 5678 80\n', 'malformed header line' },
      { 'PROXY TCP4 1.2.3.4 10.0.0.1 5678\r\n', 'malformed header line' },
    }
    local clients = {}
    for i, case in ipairs(cases) do clients[i] = { chunks = { case[1] } } end
    -- and a good one beside them: nothing else is disturbed
    clients[#clients + 1] = { chunks = { V1_TCP4, 'fine' } }
    local seen = trial(clients)
    assert.are.same({ '1.2.3.4 5678 IPv4' }, seen.connections)
    assert.are.equal('fine', seen.data[#clients])
    local want = {}
    for i, case in ipairs(cases) do want[i] = case[2] end
    table.sort(want)
    table.sort(seen.errors)
    assert.are.same(want, seen.errors)
    for i = 1, #cases do
      assert.are.equal('', seen.data[i])
      -- closed with the header unread: the kernel may send a reset
      for _, code in ipairs(seen.codes[i]) do
        assert.are.equal('ECONNRESET', code)
      end
    end
    -- the event names the peer that sent it
    local e = seen.events[1]
    assert.are.equal('127.0.0.1', e.remoteAddress)
    assert.are.equal('127.0.0.1', e.localAddress)
    assert.are.equal('IPv4', e.remoteFamily)
    assert.is_number(e.remotePort)
  end)

  it('closes a header cut short by the peer', function()
    local seen = trial({
      { chunks = { V1_TCP4:sub(1, 20) } },
      { chunks = { V2_TCP4:sub(1, 20) } },
      { chunks = { '' } },
    })
    assert.are.same({}, seen.connections)
    assert.are.same({ 'closed by the peer', 'closed by the peer',
      'closed by the peer' }, seen.errors)
  end)

  it('closes a silent peer after 5 s', function()
    local t0 = os.time()
    local seen = trial({ { chunks = { 'PROXY TCP4 1.2' }, open = true } },
      { seconds = 15 })
    assert.are.same({}, seen.connections)
    assert.are.same({ 'timed out' }, seen.errors)
    assert.is_true(os.time() - t0 >= 4)
  end)

  it('applies the blockList to the client of the header', function()
    local list = net.BlockList()
    list:addAddress('1.2.3.4')
    list:addAddress('127.0.0.1') -- the balancer's address: not looked at
    local seen = trial({
      { chunks = { V1_TCP4, 'blocked' } },
      { chunks = { 'PROXY TCP4 5.6.7.8 10.0.0.1 1000 80\r\n', 'passes' } },
    }, { blockList = list })
    assert.are.same({ '5.6.7.8 1000 IPv4' }, seen.connections)
    assert.are.same({ '', 'passes' }, seen.data)
    assert.are.same({}, seen.errors)
    assert.are.same({}, seen.drops)
  end)

  it("tells 'drop' over maxConnections with the client's address",
    function()
      local seen = trial({ { chunks = { V2_TCP4, 'x' } } },
        { setup = function(server) server.maxConnections = 0 end })
      assert.are.same({}, seen.connections)
      assert.are.same({ '1.2.3.4 5678' }, seen.drops)
      assert.are.same({ '' }, seen.data)
    end)

  it('reads the header on a Unix socket server too', function()
    local dir = os.tmpname()
    os.remove(dir)
    os.execute('mkdir -p ' .. dir)
    local path = dir .. '/s.sock'
    local got, drops = '', {}
    local server = net.createServer({ proxyProtocol = true }, function(s)
      s:on('data', function(d) got = got .. d end)
      s:on('end', function() s:end_() end)
    end)
    server:on('drop', function(d)
      drops[#drops + 1] = d.remoteAddress .. ' ' .. d.remotePort
    end)
    local closed = 0
    server:listen(path, function()
      local c = net.connect(path)
      c:end_(V2_TCP6 .. 'over a pipe')
      c:on('close', function()
        server.maxConnections = 0
        local d = net.connect(path)
        d:end_(V1_TCP4)
        d:on('close', function()
          closed = closed + 1
          server:close()
        end)
      end)
    end)
    h.run()
    os.execute('rm -rf ' .. dir)
    assert.are.equal('over a pipe', got)
    assert.are.same({ '1.2.3.4 5678' }, drops)
    assert.are.equal(1, closed)
  end)

  it('lets the loop close while a header is awaited', function()
    -- _closeAll, as h.run does after an error
    local server = net.createServer({ proxyProtocol = true })
    server:listen(0, '127.0.0.1', function()
      local c = net.connect(server:address().port, '127.0.0.1')
      c:write('PROXY TCP4 ')
      local function check()
        server:getConnections(function(_, n)
          if n == 1 then return h.luanet._closeAll() end
          timers.setTimeout(check, 1)
        end)
      end
      check()
    end)
    h.run()
    -- and a process that exits meanwhile
    local out, err, code = h.exec({ '-e', [[
      local net = require('net')
      local server = net.createServer({ proxyProtocol = true })
      server:listen(0, '127.0.0.1', function()
        local c = net.connect(server:address().port, '127.0.0.1')
        c:write('PROXY TCP4 ')
        local function check()
          server:getConnections(function(_, n)
            if n == 1 then print('pending'); process.exit(3) end
            setTimeout(check, 1)
          end)
        end
        check()
      end)
    ]] })
    assert.are.same({ 'pending\n', '', 3 }, { out, err, code })
  end)

  it('keeps what follows the header for a paused socket', function()
    local got, remote = '', nil
    local server = net.createServer({ proxyProtocol = true,
      pauseOnConnect = true }, function(s)
      remote = s.remoteAddress
      assert.is_true(s:isPaused())
      s:on('data', function(d) got = got .. d end)
      s:on('end', function() s:end_() end)
      timers.setImmediate(function() s:resume() end)
    end)
    server:listen(0, '127.0.0.1', function()
      local c = net.connect(server:address().port, '127.0.0.1')
      c:end_(V2_TCP4 .. 'kept')
      c:on('close', function() server:close() end)
    end)
    h.run()
    assert.are.equal('1.2.3.4', remote)
    assert.are.equal('kept', got)
  end)

  it('announces a connection accepted before close() once its header is ' ..
    'read, then closes', function()
      local order = {}
      local server
      server = net.createServer({ proxyProtocol = true }, function(s)
        order[#order + 1] = 'connection ' .. s.remoteAddress
        s:on('end', function() s:end_() end)
      end)
      server:listen(0, '127.0.0.1', function()
        local c = net.connect(server:address().port, '127.0.0.1')
        c:write(V1_TCP4:sub(1, 10))
        local function check() -- until the server has it, header unread
          server:getConnections(function(_, n)
            if n == 0 then return timers.setTimeout(check, 1) end
            server:close(function() order[#order + 1] = 'close' end)
            c:end_(V1_TCP4:sub(11))
          end)
        end
        check()
      end)
      h.run()
      assert.are.same({ 'connection 1.2.3.4', 'close' }, order)
    end)

  it('leaves a server without the option as it was', function()
    local got = ''
    local server = net.createServer(function(s)
      s:on('data', function(d) got = got .. d end)
      s:on('end', function() s:end_() end)
    end)
    server:listen(0, '127.0.0.1', function()
      local c = net.connect(server:address().port, '127.0.0.1')
      c:end_(V1_TCP4)
      c:on('close', function() server:close() end)
    end)
    h.run()
    assert.are.equal(V1_TCP4, got)
  end)
end)

-- ---- behind nginx ----------------------------------------------------------

local NGINX = '/usr/sbin/nginx'
local STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so'

local function exists(path)
  local f = io.open(path, 'rb')
  if f then f:close() end
  return f ~= nil
end

-- A port free on 127.0.0.1 a moment ago.
local function freePort()
  local s = net.createServer()
  s:listen(0, '127.0.0.1')
  local port = s:address().port
  s:close()
  h.run()
  return port
end

describe('behind nginx (stream, proxy_protocol on)', function()
  it('balances two servers, each seeing the client', function()
    if not (exists(NGINX) and exists(STREAM_MODULE)) then
      return pending('needs Debian nginx and libnginx-mod-stream')
    end
    local port = freePort()
    local seen = { {}, {} }
    local servers = {}
    for i = 1, 2 do
      servers[i] = net.createServer({ proxyProtocol = true }, function(s)
        table.insert(seen[i], s.remoteAddress .. ':' .. s.remotePort)
        s:end_(s.remoteAddress .. ':' .. s.remotePort)
      end)
      servers[i]:listen(0, '127.0.0.1')
    end
    local dir = os.tmpname()
    os.remove(dir)
    assert(os.execute('mkdir -p ' .. dir .. '/logs'))
    -- the configuration the README's "Scaling out" shows
    local conf = string.format([[
load_module %s;
pid %s/nginx.pid;
error_log %s/error.log;
worker_processes 1;
events { worker_connections 64; }
stream {
  upstream luanet {
    server 127.0.0.1:%d;
    server 127.0.0.1:%d;
  }
  server {
    listen 127.0.0.1:%d;
    proxy_pass luanet;
    proxy_protocol on;
  }
}
]], STREAM_MODULE, dir, dir, servers[1]:address().port,
      servers[2]:address().port, port)
    local f = assert(io.open(dir .. '/nginx.conf', 'w'))
    f:write(conf)
    f:close()
    -- daemon on (the default): nginx returns once it listens
    local ok = os.execute(NGINX .. ' -c ' .. dir .. '/nginx.conf -p ' ..
      dir .. ' -e ' .. dir .. '/error.log 2>' .. dir .. '/start.log')
    local function stop()
      local pid = h.readAll(dir .. '/nginx.pid')
      if pid then
        pid = pid:match('%d+')
        -- until it is gone, or a zombie its new parent has not reaped
        os.execute('kill -TERM ' .. pid .. ' 2>/dev/null; timeout 10 sh -c ' ..
          h.shellQuote('while [ -e /proc/' .. pid .. ' ] && ! grep -q ' ..
            '"^[0-9]* (.*) Z" /proc/' .. pid .. '/stat 2>/dev/null; ' ..
            'do sleep 0.02; done'))
      end
      os.execute('rm -rf ' .. dir)
    end
    if not ok then
      local log = (h.readAll(dir .. '/start.log') or '') ..
        (h.readAll(dir .. '/error.log') or '')
      stop()
      error('nginx did not start: ' .. log)
    end
    local answers, mine = {}, {}
    local left = 6
    local function client(k)
      local c = net.connect(port, '127.0.0.1')
      c:on('connect', function() mine[k] = '127.0.0.1:' .. c.localPort end)
      answers[k] = ''
      c:on('data', function(d) answers[k] = answers[k] .. d end)
      c:on('close', function()
        left = left - 1
        if left == 0 then
          servers[1]:close()
          servers[2]:close()
        elseif k < 6 then
          client(k + 1) -- one after another: round robin alternates
        end
      end)
    end
    client(1)
    local run = pcall(h.run, 15)
    stop()
    assert.is_true(run)
    assert.are.same(mine, answers)
    assert.are.equal(3, #seen[1])
    assert.are.equal(3, #seen[2])
  end)
end)
