-- luanet.test: a test harness for busted, so that users test their servers
-- the way luanet's own specs do (Node's test/common, luv's tap.lua):
-- t.it() runs a test and then the event loop until the test calls done()
-- and nothing is left to do; t.mustCall() and its kin check how often a
-- callback ran; whatever the test left open fails it, listed with where it
-- was made, and is closed before the next test. require('luanet.test').
--
-- Where each socket, server and timer was made is known because loading
-- this module wraps the functions that make them (net.createServer,
-- net.connect, net.Socket(), setTimeout...): require it before the code
-- under test keeps those functions in locals. What is still open is read
-- from the Lua registry, where the bindings hold every socket, server and
-- timer libuv may still call back about.
local luanet = require('luanet')
local util = require('util')

local net, timers = luanet.net, luanet.timers
local type, tostring, pairs, ipairs, pcall, error, setmetatable, rawget =
  type, tostring, pairs, ipairs, pcall, error, setmetatable, rawget
local getinfo, getregistry, getmetatable =
  debug.getinfo, debug.getregistry, debug.getmetatable
local concat, sort, pack = table.concat, table.sort, table.pack
local format, find = string.format, string.find
local floor, tonumber, getenv = math.floor, tonumber, os.getenv

local M = {}

-- The test being run by M.run, or nil.
local current

-- ---- where things were made ----------------------------------------------

-- "file:line" of the function `level` levels above the caller.
local function where(level)
  local info = getinfo(level + 1, 'Sl')
  if not info then return '?' end
  return info.short_src .. ':' .. (info.currentline or '?')
end

-- The frames from `level` levels above the caller to where the stack
-- enters this harness (the frames of busted and of M.run say nothing),
-- without the frames of luanet and C that led from the loop in: a list
-- of debug.getinfo tables. Only the frames of the test are read, not the
-- whole stack, so that a timer made in a test costs microseconds: two
-- setTimeout calls in a row still fall in the same millisecond.
local function frames(level)
  local list = {}
  level = level + 1
  while true do
    local info = getinfo(level, 'Slnt')
    if not info or info.short_src == 'luanet/test.lua' then break end
    list[#list + 1] = info
    level = level + 1
  end
  while #list > 1 and (list[#list].what == 'C' or
      find(list[#list].short_src, '^luanet/')) do
    list[#list] = nil
  end
  return list
end

-- The frames as debug.traceback writes them (without the global names
-- it looks up, nor the tail calls below the last), each line indented by
-- `indent`.
local function traceText(list, indent)
  local lines = {}
  for i, info in ipairs(list) do
    local name
    if info.namewhat ~= '' then
      name = info.namewhat .. " '" .. info.name .. "'"
    elseif info.what == 'main' then
      name = 'main chunk'
    elseif info.what ~= 'C' then
      name = 'function <' .. info.short_src .. ':' .. info.linedefined .. '>'
    else
      name = '?'
    end
    lines[#lines + 1] = indent .. info.short_src .. ':' ..
      (info.currentline > 0 and info.currentline .. ':' or '') .. ' in ' ..
      name
    if info.istailcall and i < #list then
      lines[#lines + 1] = indent .. '(...tail calls...)'
    end
  end
  return concat(lines, '\n')
end

-- Every socket, server and timer made while a test ran: object -> { n,
-- test, frames }. Weak keys: an object that is gone is forgotten.
local made = setmetatable({}, { __mode = 'k' })
local serial = 0

-- Records where obj was made (`level` above the caller), if a test runs.
local function record(obj, level)
  if current and obj ~= nil then
    serial = serial + 1
    made[obj] = { n = serial, test = current, frames = frames(level + 1) }
  end
  return obj
end

-- Where the object of a made[] entry was made, as indented lines.
local function traceOf(info)
  return traceText(info.frames, '    ')
end

-- Replaces t[k], a function returning an object, with one that records
-- where the object was made. Returns the original.
local function wrap(t, k)
  local f = t[k]
  t[k] = function(...)
    local obj = record(f(...), 2)
    return obj -- not a tail call: record() reads this frame's caller
  end
  return f
end

local setTimeout = timers.setTimeout -- the watchdog's: not recorded
for _, k in ipairs({ 'createServer', 'createConnection', 'connect' }) do
  wrap(net, k)
end
for _, k in ipairs({ 'setTimeout', 'setInterval', 'setImmediate' }) do
  local original = wrap(timers, k)
  -- the host's globals are copies of these (lua/host.lua)
  if rawget(_G, k) == original then _G[k] = timers[k] end
end
for _, class in ipairs({ net.Socket, net.Server }) do
  local mt = getmetatable(class)
  local call = mt.__call
  mt.__call = function(...)
    local obj = record(call(...), 2)
    return obj
  end
end

-- A server's listen() records its address, which an accepted socket
-- leaked after the server closed is matched against.
local listen = net.Server.listen
function net.Server.listen(server, ...)
  local r = listen(server, ...)
  local info = made[server]
  if info then info.address = server:address() end
  return r
end

-- ---- what is still open ----------------------------------------------------

-- The userdata the bindings hold in the registry while libuv may call
-- back about them, by kind, in the order they were made.
local function openHandles()
  local reg = getregistry()
  local kinds = {}
  for _, kind in ipairs({ 'Socket', 'Server', 'Timeout', 'Immediate' }) do
    local mt = reg['luanet.' .. kind]
    if mt then kinds[mt] = kind end
  end
  local list, seen = {}, {}
  for key, v in pairs(reg) do
    if type(key) == 'number' and type(v) == 'userdata' and not seen[v] then
      local kind = kinds[getmetatable(v)]
      if kind then
        seen[v] = true
        list[#list + 1] = { kind = kind, object = v,
          n = made[v] and made[v].n or math.huge }
      end
    end
  end
  sort(list, function(a, b) return a.n < b.n end)
  return list
end

local function hostPort(address, port)
  if address == nil then return nil end
  if find(address, ':', 1, true) then address = '[' .. address .. ']' end
  return port and address .. ':' .. port or address
end

-- The server (a made[] entry) that accepted socket s, from its address:
-- one the running test made.
local function acceptedBy(s)
  local port, server = s.localPort, getregistry()['luanet.Server']
  for obj, info in pairs(made) do
    local a = info.address
    if info.test == current and getmetatable(obj) == server then
      if port and type(a) == 'table' and a.port == port then return info end
      if not port and type(a) == 'string' then return info end
    end
  end
end

-- One line, and where it was made, for an open handle; nil for one that
-- is no leak (a timer that no longer keeps the loop alive).
local function describe(h)
  local o, info = h.object, made[h.object]
  local what
  if h.kind == 'Socket' then
    if o.destroyed then return nil end -- closing, or closed
    local ends = hostPort(o.localAddress, o.localPort)
    if o.remoteAddress then
      ends = (ends or '?') .. ' -> ' .. hostPort(o.remoteAddress, o.remotePort)
    end
    what = format('Socket %s(%s)', ends and ends .. ' ' or '', o.readyState)
    if not info then
      local server = acceptedBy(o)
      if server then
        what = what .. ', accepted by the server made at:\n' ..
          traceOf(server)
        return what
      end
    end
  elseif h.kind == 'Server' then
    local a = o:address()
    if type(a) == 'table' then
      what = 'Server listening on ' .. hostPort(a.address, a.port)
    elseif a then
      what = 'Server listening on ' .. a
    elseif o._connections > 0 then
      what = 'Server, closed, waiting for ' .. o._connections ..
        ' connection(s) to end'
    else
      return nil -- closed (the bindings may hold it a while longer)
    end
  elseif h.kind == 'Timeout' then
    if not o:hasRef() then return nil end
    what = format('%s of %s ms', o._repeat and 'Interval' or 'Timeout',
      tostring(o._idleTimeout))
  else
    if not o:hasRef() then return nil end
    what = 'Immediate'
  end
  if info then return what .. ', made at:\n' .. traceOf(info) end
  return what .. ', made outside the test'
end

-- The report of what is open, or nil when nothing is.
local function leaks()
  local lines = {}
  for _, h in ipairs(openHandles()) do
    local line = describe(h)
    if line then lines[#lines + 1] = '  ' .. line end
  end
  if #lines == 0 then return nil end
  return concat(lines, '\n')
end

-- Closes everything and lets the closes finish; what listeners raise
-- meanwhile belongs to the test that failed already.
local function closeAll()
  for _ = 1, 100 do
    luanet._closeAll()
    if pcall(luanet.run) then break end
  end
end

-- ---- failing ---------------------------------------------------------------

-- busted, when it runs this (its runner loads it before the specs).
local function getBusted()
  local busted = package.loaded.busted
  if type(busted) == 'table' and busted.it then return busted end
end

-- Raises a failure with message: busted's (a failed assertion, not an
-- error of the test's code) when busted runs.
local function fail(message)
  local busted = getBusted()
  if busted then busted.fail(message, 0) end
  error(message, 0)
end

-- ---- timeouts --------------------------------------------------------------

---t.platformTimeout(ms) -> ms scaled by LUANET_TEST_TIMEOUT_MULTIPLIER (a
---number, 1 when unset): for slow builds (sanitizers, valgrind), as
---Node's common.platformTimeout.
---@param ms number
---@return number
function M.platformTimeout(ms)
  local k = tonumber(getenv('LUANET_TEST_TIMEOUT_MULTIPLIER') or '')
  if not k or k <= 0 then k = 1 end
  return floor(ms * k)
end

-- ---- calls that must happen ------------------------------------------------

-- Adds an expectation to the test that runs: checked at its end.
local function expect(fn, exact, minimum, level)
  if current == nil then
    error('luanet.test: mustCall and its kin work inside t.it() or ' ..
      't.run() only', level + 1)
  end
  local e = { calls = 0, exact = exact, minimum = minimum,
    where = where(level + 1) }
  current.expectations[#current.expectations + 1] = e
  return function(...)
    e.calls = e.calls + 1
    if fn then return fn(...) end
  end
end

local function count(n, name)
  if n == nil then return 1 end
  if type(n) ~= 'number' or n < 0 or n ~= floor(n) then
    error('luanet.test: ' .. name .. ' must be a whole number >= 0', 3)
  end
  return n
end

---t.mustCall([fn][, exact]) -> a function that calls fn (if given) and
---must be called exactly `exact` times (1) before the test ends.
---@param fn? function|integer
---@param exact? integer
---@return function
function M.mustCall(fn, exact)
  if type(fn) == 'number' then fn, exact = nil, fn end
  local f = expect(fn, count(exact, 'exact'), nil, 2)
  return f -- not a tail call: expect() reads this frame's caller
end

---t.mustCallAtLeast([fn][, minimum]) -> a function that calls fn (if
---given) and must be called at least `minimum` times (1).
---@param fn? function|integer
---@param minimum? integer
---@return function
function M.mustCallAtLeast(fn, minimum)
  if type(fn) == 'number' then fn, minimum = nil, fn end
  local f = expect(fn, nil, count(minimum, 'minimum'), 2)
  return f
end

---t.mustSucceed([fn][, exact]) -> a Node-style callback function(err,
---...) that fails the test when err is not nil, else calls fn(...); it
---must be called exactly `exact` times (1).
---@param fn? function
---@param exact? integer
---@return fun(err: any, ...: any)
function M.mustSucceed(fn, exact)
  local at = where(2)
  local f = expect(function(err, ...)
    if err ~= nil then
      fail(at .. ': the callback got an error: ' ..
        (type(err) == 'table' and tostring(err) or util.inspect(err)))
    end
    if fn then return fn(...) end
  end, count(exact, 'exact'), nil, 2)
  return f
end

---t.mustNotCall([message]) -> a function that fails the test if it is
---ever called.
---@param message? string
---@return function
function M.mustNotCall(message)
  local at = where(2)
  return function(...)
    local args = pack(...)
    local shown = {}
    for i = 1, args.n do shown[i] = util.inspect(args[i]) end
    fail(at .. ': ' .. (message or 'function should not have been ' ..
      'called') .. (args.n > 0 and '\ncalled with arguments: ' ..
      concat(shown, ', ') or ''))
  end
end

-- The expectations of a test that were not met, as lines.
local function unmet(list)
  local out = {}
  for _, e in ipairs(list) do
    if e.exact and e.calls ~= e.exact then
      out[#out + 1] = format('the function made at %s was called %d ' ..
        'time%s, expected exactly %d', e.where, e.calls,
        e.calls == 1 and '' or 's', e.exact)
    elseif e.minimum and e.calls < e.minimum then
      out[#out + 1] = format('the function made at %s was called %d ' ..
        'time%s, expected at least %d', e.where, e.calls,
        e.calls == 1 and '' or 's', e.minimum)
    end
  end
  return out
end

-- ---- running a test --------------------------------------------------------

-- What the watchdog raises once it closed everything: the loop stops at
-- once, unless an 'uncaughtException' listener takes it.
local TIMEOUT = setmetatable({}, {
  __tostring = function() return 'luanet.test: the test timed out' end,
})

-- Runs the test fn (see M.run); failures name site, where it was defined.
local function run(fn, opts, site)
  if current then error('luanet.test: a test is already running', 3) end
  opts = opts or {}
  local ms = M.platformTimeout(opts.timeout or 5000)
  local info = getinfo(fn, 'u')
  local wantsDone = info.nparams > 0 or info.isvararg
  local test = { expectations = {}, done = not wantsDone }
  current = test
  local function done(err)
    if test.called then
      fail(where(2) .. ': done() was called twice')
    end
    test.called, test.done, test.err = true, true, err
  end
  local watchdog = setTimeout(function()
    test.timedOut, test.open = true, leaks()
    luanet._closeAll()
    error(TIMEOUT, 0)
  end, ms)
  watchdog:unref()
  local ok, err = pcall(fn, done)
  if ok then ok, err = pcall(luanet.run) end
  timers.clearTimeout(watchdog)
  local report
  if test.timedOut then
    report = (test.done and 'done() was called, but the loop still had ' ..
      'work after ' or 'done() was not called within ') .. ms .. ' ms'
    if test.open then report = report .. '; still open:\n' .. test.open end
  elseif ok then
    local open = leaks()
    if test.err ~= nil then
      ok, err = false, test.err
    elseif not test.done then
      report = 'the loop ran out of work, but done() was not called'
    elseif open then
      report = 'left open after the test:\n' .. open
    else
      local lines = unmet(test.expectations)
      if #lines > 0 then report = concat(lines, '\n') end
    end
  end
  current = nil
  closeAll()
  collectgarbage()
  collectgarbage()
  if report then fail(site .. ': ' .. report) end
  if not ok then error(err, 0) end -- the test's own error, as it was
end

---t.run(fn[, opts]): runs one test outside busted's it (t.it uses it):
---calls fn(done), runs the loop until done() was called (when fn takes a
---parameter) and nothing is left to do, then checks the mustCall
---functions and that nothing is left open; raises the test's failure.
---opts.timeout (ms, 5000, scaled by t.platformTimeout) bounds the whole:
---then what is still open is listed, and closed.
---@param fn fun(done: fun(err?: any))
---@param opts? { timeout?: number }
function M.run(fn, opts)
  run(fn, opts, where(2))
end

---t.it(name, fn[, opts]): busted's it(name, ...) running t.run(fn, opts):
---the test passes when it calls done() (if fn takes it), the loop runs
---out of work, every mustCall function ran as often as it must, and
---nothing is left open.
---@param name string
---@param fn fun(done: fun(err?: any))
---@param opts? { timeout?: number }
function M.it(name, fn, opts)
  local busted = getBusted()
  if not busted then
    error('luanet.test: t.it needs busted (t.run works without it)', 2)
  end
  local site = where(2)
  -- a tail call, so that busted finds the test where the spec defines it
  return busted.it(name, function() run(fn, opts, site) end)
end

return M
