-- The benchmark suite's driver, run by scripts/bench/run in a stock lua5.4
-- (never in luanet, which it measures). For each scenario, each server
-- (plain C on libuv, luanet, every Node found) runs pinned to one core
-- with the load (load.c, or wrk) on the other, the servers interleaved
-- round by round; it prints each measurement, then per scenario the
-- medians with min-max and the ratios, then the tables of the summary.
--
--   lua5.4 scripts/bench/suite.lua BUILD [--quick] [--rounds N]
--     [--only SCENARIO,...] [--kinds KIND,...] [--profile perf|callgrind]
--
-- Exits 1 when a server crashes or does not answer, never on a timing.
local quick, rounds, only, kinds_wanted, profile
local build = assert(arg[1], 'usage: suite.lua BUILD [options]')
local here = arg[0]:match('^(.*)/[^/]*$') or '.'
local fmt, concat = string.format, table.concat

do
  local i = 2
  while arg[i] do
    local a = arg[i]
    if a == '--quick' then quick = true
    elseif a == '--rounds' then i = i + 1; rounds = tonumber(arg[i])
    elseif a == '--only' then i = i + 1; only = arg[i]
    elseif a == '--kinds' then i = i + 1; kinds_wanted = arg[i]
    elseif a == '--profile' then i = i + 1; profile = arg[i]
    else
      io.stderr:write('bench: unknown option ', a, '\n')
      os.exit(2)
    end
    i = i + 1
  end
  assert(rounds == nil or rounds >= 1, '--rounds needs a number')
  assert(profile == nil or profile == 'perf' or profile == 'callgrind',
    '--profile is perf or callgrind')
end

-- The load of each scenario, full and --quick (a smoke test): seconds of
-- load (wrk takes whole seconds), idle connections, starts.
local size = quick and {
  rounds = 1, seconds = 0.5, http = 1, idle = 500, start = 10,
} or {
  rounds = 3, seconds = 4, http = 4, idle = 10000, start = 100,
}
rounds = rounds or size.rounds
if profile then rounds, kinds_wanted = 1, kinds_wanted or 'luanet' end

-- ---- processes ---------------------------------------------------------

local function quote(s)
  s = tostring(s)
  if s:match('^[%w%./_=:,-]+$') then return s end
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

local function command(argv)
  local out = {}
  for i, a in ipairs(argv) do out[i] = quote(a) end
  return concat(out, ' ')
end

-- The output of a shell command and whether it exited 0.
local function capture(cmd)
  local p = io.popen(cmd .. ' 2>&1')
  local out = p:read('a')
  return out, p:close()
end

local function first_line(cmd)
  local out, ok = capture(cmd)
  return ok and out:match('^[^\n]*') or nil
end

local failed = false
local function fail(message)
  io.stdout:write('FAIL: ', message, '\n')
  io.stdout:flush()
  failed = true
  error(message, 0)
end

local ncpu = tonumber(first_line('nproc')) or 1
local server_cpu, load_cpu = 0, ncpu > 1 and 1 or 0
local tmp = first_line('mktemp -d /tmp/luanet-bench.XXXXXX')
local load = build .. '/bench/load'

local function tail(path)
  local f = io.open(path)
  if not f then return '' end
  local s = f:read('a')
  f:close()
  return s:sub(-2000)
end

-- Starts argv (its last argument the port) on the server's core, in a
-- shell that reports its exit status; waits until it answers.
local function start_server(argv, port, http, wrap)
  local log = tmp .. '/server.log'
  local cmd = fmt('exec 2>/dev/null; ulimit -n $(ulimit -Hn); ' ..
    'taskset -c %d %s%s %d >%s 2>&1 </dev/null & echo $!; wait $!; echo $?',
    server_cpu, wrap or '', command(argv), port, log)
  local pipe = io.popen(cmd)
  local server = { pid = tonumber(pipe:read('l')), pipe = pipe, log = log,
    name = argv[#argv] }
  local out, ok = capture(command({ load, 'ping', port, http and 'http' or
    nil }))
  if not ok then
    os.execute('kill ' .. server.pid .. ' 2>/dev/null')
    pipe:close()
    fail(fmt('%s did not answer on port %d: %s%s', command(argv), port, out,
      tail(log)))
  end
  return server
end

-- Stops the server; fails unless it was still running (SIGTERM's 143).
local function stop_server(server, argv)
  os.execute('kill ' .. server.pid .. ' 2>/dev/null')
  local status = server.pipe:read('l')
  server.pipe:close()
  if status ~= '143' then
    fail(fmt('%s exited during the load (status %s): %s', command(argv),
      tostring(status), tail(server.log)))
  end
end

local port_next = tonumber(os.getenv('BENCH_PORT')) or 9611
local function free_port()
  for _ = 1, 100 do
    local port = port_next
    port_next = port_next < 9611 + 200 and port_next + 1 or 9611
    if os.execute(command({ load, 'free', port })) then return port end
  end
  fail('no free port from 9611')
end

-- Parses load's result line.
local function result(out)
  local line = out:match('units=[^\n]*')
  if not line then return nil end
  local r = {}
  for k, v in line:gmatch('(%w+)=([%d.e+-]+)') do r[k] = tonumber(v) end
  return r
end

-- ---- the servers and the scenarios -------------------------------------

local empty = os.tmpname()
local kinds = {
  { id = 'c', label = 'C on libuv',
    echo = { build .. '/bench/echo_peer' },
    pipe = { build .. '/bench/echo_peer' }, -- the same C server as bulk's
    http = { build .. '/bench/http_peer' },
    start = { 'lua5.4', '-e', '' }, start_label = "lua5.4 -e ''" },
  { id = 'luanet', label = 'luanet',
    echo = { build .. '/luanet', here .. '/echo.lua' },
    pipe = { build .. '/luanet', here .. '/pipe.lua' },
    http = { build .. '/luanet', here .. '/http.lua' },
    start = { build .. '/luanet', empty }, start_label = 'luanet empty.lua' },
}
do -- every Node found: `node`, and those NODE names (space-separated)
  local seen = {}
  for bin in ((os.getenv('NODE') or '') .. ' node'):gmatch('%S+') do
    local v = first_line(quote(bin) .. ' --version')
    local major = v and v:match('^v(%d+)')
    if major and not seen[major] then
      seen[major] = true
      kinds[#kinds + 1] = { id = 'node' .. major, label = 'Node ' .. major,
        version = v, echo = { bin, here .. '/echo.js' },
        pipe = { bin, here .. '/pipe.js' },
        http = { bin, here .. '/http.js' },
        start = { bin, '-e', '' }, start_label = 'Node ' .. major .. " -e ''" }
    end
  end
  table.sort(kinds, function(a, b) -- C, Nodes by version, luanet last
    local function rank(k)
      return k.id == 'c' and 0 or k.id == 'luanet' and 1000 or
        tonumber(k.id:match('%d+'))
    end
    return rank(a) < rank(b)
  end)
end
if kinds_wanted then
  local keep = {}
  for _, k in ipairs(kinds) do
    if (',' .. kinds_wanted .. ','):find(',' .. k.id .. ',', 1, true) then
      keep[#keep + 1] = k
    end
  end
  kinds = keep
end
local nodes = {}
for _, k in ipairs(kinds) do
  if k.id:match('^node') then nodes[#nodes + 1] = k end
end

local has_wrk = first_line('command -v wrk') ~= nil
local scenarios = {
  { id = 'http', title = 'raw HTTP keep-alive, 50 conns (wrk)',
    unit = 'µs/req', server = 'http', skip = not has_wrk and 'no wrk',
    load = function(port, pid)
      return { 'exec', pid, 'wrk', '-t1', '-c50', '-d' .. size.http .. 's',
        'http://127.0.0.1:' .. port .. '/' }
    end,
    units = function(out)
      if out:match('Non%-2xx') then return nil end
      return tonumber(out:match('(%d+) requests in'))
    end },
  { id = 'echo1', title = 'echo 64 B, 1 in flight, 50 conns',
    unit = 'µs/msg', server = 'echo',
    load = function(port, pid)
      return { 'echo', port, pid, 50, 1, size.seconds, 64 }
    end },
  { id = 'echo16', title = 'echo 64 B, 16 in flight, 50 conns',
    unit = 'µs/msg', server = 'echo',
    load = function(port, pid)
      return { 'echo', port, pid, 50, 16, size.seconds, 64 }
    end },
  { id = 'bulk', title = 'bulk echo, 4 conns, 64 KiB writes',
    unit = 'µs/MB', per = 1e6, server = 'echo',
    load = function(port, pid)
      return { 'bulk', port, pid, 4, size.seconds, 65536 }
    end },
  { id = 'pipe', title = 'bulk echo through pipe(), 4 conns, 64 KiB writes',
    unit = 'µs/MB', per = 1e6, server = 'pipe',
    load = function(port, pid)
      return { 'bulk', port, pid, 4, size.seconds, 65536 }
    end },
  { id = 'churn', title = 'churn: connect, 1 byte each way, close',
    unit = 'µs/conn', server = 'echo',
    load = function(port, pid)
      return { 'churn', port, pid, 50, size.seconds }
    end },
  { id = 'idle', title = "idle connections, RSS each ('data' listener)",
    unit = 'KiB/conn', server = 'echo', memory = true,
    load = function(port, pid) return { 'idle', port, pid, size.idle } end },
  { id = 'start', title = 'start-up, an empty script', unit = 'ms',
    startup = true },
}
if only then
  local keep = {}
  for _, s in ipairs(scenarios) do
    if (',' .. only .. ','):find(',' .. s.id .. ',', 1, true) then
      keep[#keep + 1] = s
    end
  end
  scenarios = keep
end

-- ---- profiling -----------------------------------------------------------

-- Where a function of a callgrind report belongs, by its file and object.
local lua_gc = { 'luaC_', 'singlestep', 'propagate', 'sweep', 'freeobj',
  'reallymarkobject', 'atomic', 'traverse', 'mark', 'clear', 'entersweep',
  'youngcollection', 'genstep', 'incstep', 'fullinc', 'luaE_setdebt', 'GCTM',
  'luaF_free', 'luaH_free', 'luaS_remove', 'udata2finalize', 'correctgraylist',
  'remarkupvals', 'convergeephemerons', 'separatetobefnz', 'checkSizes' }
local function area(name)
  if name:match('libuv%.so') then return 'libuv' end
  if name:match('malloc%.c') then return 'libc malloc and free' end
  if name:match('libc%.so') then return 'libc, the rest (memcpy, syscalls)' end
  if name:match('^core/') or name:match('/core/') then
    return 'luanet core/'
  end
  if name:match('bindings/') then return 'luanet bindings/' end
  if name:match('^%?%?%?:') and name:match('/luanet%]') then
    local fn = name:match('^%?%?%?:([%w_]+)')
    for _, p in ipairs(lua_gc) do
      if fn and fn:sub(1, #p) == p then return 'Lua collector' end
    end
    return 'Lua (VM, API, strings, tables)'
  end
  if name:match('scripts/bench/') then return 'the C server' end
  return 'other'
end

-- perf: attached to the server for the load only; callgrind: the server
-- runs under it, its counters zeroed before the load and dumped after.
-- Prints the top functions with their cost per unit of work.
local function profiled(sc, kind, server, run)
  local data = fmt('%s/%s-%s', tmp, sc.id, kind.id)
  local perf
  if profile == 'perf' then
    perf = io.popen(fmt('perf record -q -F 1999 -p %d -o %s.perf ' ..
      '>/dev/null 2>&1 & echo $!', server.pid, data)):read('l')
    capture('sleep 0.5')
  else
    capture('callgrind_control -z ' .. server.pid)
  end
  local out, r = run()
  local lines = {}
  if profile == 'perf' then
    os.execute('kill -INT ' .. perf)
    capture(fmt('while kill -0 %s 2>/dev/null; do sleep 0.1; done', perf))
    local cost = (r.user + r.sys) / r.units * (sc.per or 1) * 1e6
    -- By object (the kernel's share included), then the functions of the
    -- kernel and of user space apart, the top 15 of each.
    for _, view in ipairs({ { 'dso', '' }, { 'symbol', '[k]' },
      { 'symbol', '[.]' } }) do
      local report = capture(fmt('perf report -i %s.perf --no-children ' ..
        '--sort %s --stdio -g none --percent-limit 0.1 2>/dev/null',
        data, view[1]))
      lines[#lines + 1] = fmt('  by %s: %% of samples, and %s of the ' ..
        'server CPU per unit', view[2] == '[k]' and 'kernel function' or
        view[2] == '[.]' and 'user-space function' or 'object', sc.unit)
      local n = 0
      for pct, name in report:gmatch('\n%s+([%d.]+)%%%s+([^\n]+)') do
        if n < 15 and name:find(view[2], 1, true) then
          n = n + 1
          lines[#lines + 1] = fmt('  %6.2f%%  %8.3f  %s', tonumber(pct),
            cost * tonumber(pct) / 100, (name:gsub('[%s%-]+$', '')))
        end
      end
    end
  else
    capture('callgrind_control -d ' .. server.pid)
    local report = capture(fmt('callgrind_annotate --auto=no ' ..
      '--threshold=100 %s',
      first_line(fmt('ls %s/callgrind.%s.* | tail -1', tmp, kind.id)) or
      'none'))
    local total = tonumber(((report:match('([%d,]+)%s+%(100.0%%%)%s+' ..
      'PROGRAM TOTALS') or '0'):gsub(',', ''))) or 0
    local per, funcs, groups, order = r.units / (sc.per or 1), {}, {}, {}
    for ir, pct, name in report:gmatch('\n%s*([%d,]+)%s+%(%s*([%d.]+)%%%)%s+' ..
      '([^\n]+)') do
      -- Functions that were running when the counters were zeroed show
      -- the whole cost, as callgrind counts them: left out.
      if tonumber(pct) < 99.5 then
        local cost = tonumber((ir:gsub(',', ''))) / per
        local g = area(name)
        funcs[#funcs + 1] = fmt('  %10.0f  %5.1f%%  %s', cost, tonumber(pct),
          name)
        if not groups[g] then order[#order + 1] = g end
        groups[g] = (groups[g] or 0) + cost
      end
    end
    table.sort(order, function(x, y) return groups[x] > groups[y] end)
    lines[#lines + 1] = fmt('  %.0f instructions per %s in all; by area:',
      total / per, sc.unit:match('/(.*)'))
    for _, g in ipairs(order) do
      lines[#lines + 1] = fmt('  %10.0f  %s', groups[g], g)
    end
    lines[#lines + 1] = '  by function, instructions per unit:'
    table.move(funcs, 1, math.min(#funcs, 25), #lines + 1, lines)
  end
  print(fmt('profile (%s) of %s, %s:', profile, kind.label, sc.title))
  print(concat(lines, '\n'))
  return out, r
end

-- ---- measuring -----------------------------------------------------------

-- One measurement of a scenario on one kind of server: a table with value
-- (per unit), user (its user-space part), server and client (CPU
-- utilisation, 0 to 1), rate (units per second).
local function measure(sc, kind)
  local r, out, ok
  if sc.startup then
    out, ok = capture(fmt('taskset -c %d %s', server_cpu,
      command({ load, 'start', size.start, table.unpack(kind.start) })))
    r = result(out)
    if not ok or not r then fail(kind.start_label .. ': ' .. out) end
    return { value = r.wall / r.units * 1e3,
      user = (r.user + r.sys) / r.units * 1e3, rate = r.units / r.wall }
  end
  local argv, port = kind[sc.server], free_port()
  local wrap = profile == 'callgrind' and fmt('valgrind --tool=callgrind ' ..
    '--quiet --callgrind-out-file=%s/callgrind.%s ', tmp, kind.id) or nil
  local server = start_server(argv, port, sc.server == 'http', wrap)
  local function run()
    local o, k = capture(fmt('taskset -c %d %s', load_cpu,
      command({ load, table.unpack(sc.load(port, server.pid)) })))
    local res = result(o)
    if res and sc.units then res.units = sc.units(o) end
    if not k or not res or not res.units or res.units == 0 then
      stop_server(server, argv)
      fail(fmt('%s: the load failed on %s: %s', sc.id, kind.label, o))
    end
    return o, res
  end
  if profile then
    r = select(2, profiled(sc, kind, server, run))
  else
    r = select(2, run())
  end
  stop_server(server, argv)
  local m = { server = (r.user + r.sys) / r.wall, client = r.client / r.wall,
    rate = r.units / r.wall }
  if sc.memory then
    m.server, m.client, m.rate = nil, nil, nil
    m.value = r.rss / r.units / 1024
  else
    local per = (sc.per or 1) * 1e6 / r.units
    m.value, m.user = (r.user + r.sys) * per, r.user * per
  end
  return m
end

local function median(t)
  local s = {}
  for i, v in ipairs(t) do s[i] = v end
  table.sort(s)
  local n = #s
  if n == 0 then return nil end
  return n % 2 == 1 and s[(n + 1) // 2] or (s[n // 2] + s[n // 2 + 1]) / 2
end

local function field(list, name)
  local t = {}
  for _, m in ipairs(list) do t[#t + 1] = m[name] end
  return t
end

local function num(v)
  if v == nil then return '-' end
  local a = math.abs(v)
  return fmt(a >= 100 and '%.0f' or a >= 10 and '%.1f' or a >= 1 and '%.2f'
    or '%.3f', v)
end

-- Units of work per second, in the scenario's words: '24.8k req/s'.
local function rate(sc, v)
  local what = sc.unit:match('/(.*)') or 'start'
  v = v / (sc.per or 1)
  return (v >= 1e6 and fmt('%.2fM', v / 1e6) or v >= 1e3 and
    fmt('%.1fk', v / 1e3) or fmt('%.0f', v)) .. ' ' .. what .. '/s'
end

local function ratio(a, b)
  return a and b and b > 0 and fmt('%.2f', a / b) or '-'
end

local function pct(v) return v and fmt('%3.0f%%', v * 100) or '-' end

-- ---- the run -------------------------------------------------------------

local function loadavg()
  return (first_line('cat /proc/loadavg') or ''):match('^(%S+ %S+ %S+)')
end

print('luanet benchmark suite' .. (quick and ' (--quick: a smoke test, ' ..
  'no figure to keep)' or ''))
print(fmt('  %s; %d CPUs (server on CPU %d, load on CPU %d); Linux %s',
  first_line("lscpu | sed -n 's/^Model name: *//p'") or '?', ncpu,
  server_cpu, load_cpu, first_line('uname -r') or '?'))
print(fmt('  luanet %s, %s, libuv %s%s%s', first_line(
  'git describe --always --dirty 2>/dev/null') or '?',
  first_line('lua5.4 -v') or 'no lua5.4', first_line(
  'pkg-config --modversion libuv') or '?',
  (function()
    local s = ''
    for _, k in ipairs(nodes) do s = s .. ', Node ' .. k.version end
    return s
  end)(), has_wrk and ', ' .. (capture('wrk -v'):match('^(wrk %S+)') or
    'wrk') or ', no wrk'))
print(fmt('  %d round%s, interleaved; load average %s', rounds,
  rounds == 1 and '' or 's', loadavg()))

local results = {}
local ok, err = pcall(function()
  for _, sc in ipairs(scenarios) do
    print()
    if sc.skip then
      print(fmt('%s: skipped (%s)', sc.title, sc.skip))
    else
      print(fmt('%s: %s, server CPU per unit', sc.title, sc.unit))
      results[sc.id] = {}
      for round = 1, rounds do
        for i = 1, #kinds do -- each round starts with another kind
          local kind = kinds[(i + round - 2) % #kinds + 1]
          local m = measure(sc, kind)
          local list = results[sc.id][kind.id] or {}
          results[sc.id][kind.id] = list
          list[#list + 1] = m
          print(fmt('  round %d  %-16s %8s %s%s%s  %s', round,
            sc.startup and kind.start_label or kind.label, num(m.value),
            sc.unit, m.user and fmt('  (%s %s)', sc.startup and 'CPU' or
            'user', num(m.user)) or '', m.server and fmt('  server %s' ..
            '  load %s', pct(m.server), pct(m.client)) or '',
            m.rate and rate(sc, m.rate) or ''))
          io.stdout:flush()
        end
      end
    end
  end
end)
os.remove(empty)
os.execute('rm -rf ' .. tmp)
if not ok then
  if not failed then print('FAIL: ' .. tostring(err)) end
  os.exit(1)
end
if profile then os.exit(0) end

-- ---- the summary -----------------------------------------------------------

local function summary(sc)
  local rows, base = {}, {}
  for _, k in ipairs(kinds) do
    local list = results[sc.id][k.id]
    if list then
      local v = field(list, 'value')
      rows[#rows + 1] = { kind = k, value = median(v),
        min = math.min(table.unpack(v)), max = math.max(table.unpack(v)),
        user = median(field(list, 'user')),
        server = median(field(list, 'server')),
        client = median(field(list, 'client')),
        rate = median(field(list, 'rate')) }
      base[k.id] = rows[#rows].value
    end
  end
  return rows, base
end

print()
print(fmt('Summary: medians of %d round%s, min-max; "user" is the ' ..
  'user-space part of the server CPU per unit; server and load: CPU ' ..
  'utilisation (a load near 100%% is saturated)', rounds,
  rounds == 1 and '' or 's'))
for _, sc in ipairs(scenarios) do
  if results[sc.id] then
    local rows, base = summary(sc)
    print()
    print(fmt('%s (%s)%s', sc.title, sc.unit,
      sc.startup and ': wall time per start, CPU, ratios to lua5.4' or ''))
    local head = fmt('  %-17s %8s %-15s %8s %6s %6s %15s %6s', '', sc.unit,
      'min-max', sc.startup and 'CPU ms' or 'user', 'server', 'load',
      sc.memory and '' or 'rate', '/C')
    for _, n in ipairs(nodes) do head = head .. fmt(' %9s', '/' .. n.label) end
    print(head)
    for _, row in ipairs(rows) do
      local k = row.kind
      local line = fmt('  %-17s %8s %-15s %8s %6s %6s %15s %6s',
        sc.startup and k.start_label or k.label, num(row.value),
        num(row.min) .. '-' .. num(row.max), num(row.user),
        pct(row.server), pct(row.client), sc.memory and '' or
        rate(sc, row.rate), ratio(row.value, base.c))
      for _, n in ipairs(nodes) do
        line = line .. fmt(' %9s', ratio(row.value, base[n.id]))
      end
      print(line)
    end
  end
end

-- The tables as the issue has them, in Markdown.
local function table_of(title, name)
  local out = {}
  local head, rule = '| scenario | C on libuv', '|---|---'
  for _, n in ipairs(nodes) do
    head, rule = head .. ' | ' .. n.label, rule .. '|---'
  end
  head, rule = head .. ' | luanet | luanet / C', rule .. '|---|---'
  if name == 'value' then
    for _, n in ipairs(nodes) do
      head, rule = head .. ' | luanet / ' .. n.label, rule .. '|---'
    end
  end
  for _, sc in ipairs(scenarios) do
    if results[sc.id] and (name == 'value' or not sc.memory) then
      local rows, med = summary(sc), {}
      for _, row in ipairs(rows) do med[row.kind.id] = row[name] end
      local line = fmt('| %s (%s) | %s', sc.title, sc.startup and
        "ms; C column: lua5.4 -e ''" or sc.unit, num(med.c))
      for _, n in ipairs(nodes) do line = line .. ' | ' .. num(med[n.id]) end
      local l = med.luanet
      line = line .. ' | ' .. num(l) .. ' | ' .. ratio(l, med.c)
      if name == 'value' then
        for _, n in ipairs(nodes) do
          line = line .. ' | ' .. ratio(l, med[n.id])
        end
      end
      out[#out + 1] = line .. ' |'
    end
  end
  if #out > 0 then
    print('\n' .. title .. '\n\n' .. head .. ' |\n' .. rule .. '|\n' ..
      concat(out, '\n'))
  end
end
table_of('Server CPU per unit of work (idle: RSS per connection; ' ..
  'start-up: wall time), medians:', 'value')
table_of('Its user-space part (start-up: CPU time of a start), medians:',
  'user')
print()
print('load average at the end: ' .. loadavg())
