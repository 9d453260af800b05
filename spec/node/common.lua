-- Node's test/common, as far as the ported test-net-* scripts in this
-- directory use it. Each port is a script that build/luanet runs on its
-- own (spec/node_net_spec.lua runs them all) and, like Node's test, passes
-- when the process exits with 0 and fails on an error or a missed
-- expectation. mustCall and its kin are checked at 'exit', as Node's are.
local process = require('process')
local assert = require('assert')
local net = require('net')

local format, concat = string.format, table.concat
local getinfo = debug.getinfo

local M = {
  isWindows = false,
  isLinux = true,
  isSunOS = false,
  inFreeBSDJail = false,
  localhostIPv4 = '127.0.0.1',
}

local expectations = {}

-- 'file:line' of the caller level levels above this function's caller.
local function where(level)
  local info = getinfo(level + 2, 'Sl')
  return info and (info.short_src .. ':' .. info.currentline) or '?'
end

local function expect(fn, exact, minimum)
  local e = { calls = 0, exact = exact, minimum = minimum, where = where(2) }
  expectations[#expectations + 1] = e
  return function(...)
    e.calls = e.calls + 1
    if fn then return fn(...) end
  end
end

-- At 'exit': every expectation met, or the process fails with the list.
process:on('exit', function()
  local unmet = {}
  for _, e in ipairs(expectations) do
    if (e.exact and e.calls ~= e.exact) or
        (e.minimum and e.calls < e.minimum) then
      unmet[#unmet + 1] = format('Mismatched function calls. Expected %s ' ..
        '%d, actual %d.\n    at %s', e.exact and 'exactly' or 'at least',
        e.exact or e.minimum, e.calls, e.where)
    end
  end
  if #unmet > 0 then
    io.stderr:write(concat(unmet, '\n'), '\n')
    process.exitCode = 1
  end
end)

---common.mustCall([fn][, exact]) -> a function calling fn (if given) that
---must be called exactly `exact` times (1) before the process exits.
---@param fn? function|integer
---@param exact? integer
---@return function
function M.mustCall(fn, exact)
  if type(fn) == 'number' then fn, exact = nil, fn end
  local f = expect(fn, exact or 1, nil)
  return f -- not a tail call: expect() reads this frame's caller
end

---common.mustCallAtLeast([fn][, minimum]): as mustCall, called at least
---`minimum` times (1).
---@param fn? function|integer
---@param minimum? integer
---@return function
function M.mustCallAtLeast(fn, minimum)
  if type(fn) == 'number' then fn, minimum = nil, fn end
  local f = expect(fn, nil, minimum or 1)
  return f
end

---common.mustSucceed([fn][, exact]) -> a callback function(err, ...) that
---raises err when it is not nil, else calls fn(...); called `exact` (1)
---times.
---@param fn? function
---@param exact? integer
---@return function
function M.mustSucceed(fn, exact)
  local f = expect(function(err, ...)
    if err ~= nil then error(err, 0) end
    if fn then return fn(...) end
  end, exact or 1, nil)
  return f
end

---common.mustNotCall([message]) -> a function that raises when called.
---@param message? string
---@return function
function M.mustNotCall(message)
  local at = where(1)
  return function()
    error((message or 'function should not have been called') ..
      ' at ' .. at, 0)
  end
end

---common.expectsError(fields[, exact]) -> a mustCall function(err) that
---asserts err holds every field of `fields` (code, name, message...).
---@param fields table
---@param exact? integer
---@return function
function M.expectsError(fields, exact)
  local f = expect(function(err)
    assert.throws(function() error(err, 0) end, fields)
    return true -- so that it also serves as assert.throws' validator
  end, exact or 1, nil)
  return f
end

---common.platformTimeout(ms) -> ms scaled for slow builds
---(LUANET_TEST_TIMEOUT_MULTIPLIER, as the harness scales its timeouts).
---@param ms number
---@return number
function M.platformTimeout(ms)
  return require('luanet.test').platformTimeout(ms)
end

---common.skip(message): prints TAP's skip line and exits 0, as Node's.
---@param message string
function M.skip(message)
  print('1..0 # Skipped: ' .. message)
  process.exit(0)
end

-- common.hasIPv6: whether ::1 can be bound here (Node's reads the
-- interfaces; a bind answers the question the tests ask). A numeric host
-- is bound within listen(), so the loop need not run.
do
  local s = net.createServer()
  s:on('error', function() end)
  s:listen(0, '::1')
  M.hasIPv6 = s:address() ~= nil
  s:close()
end

---common.invalidArgTypeHelper(input) -> ' Received ...', the end of
---ERR_INVALID_ARG_TYPE's message for input, as Node's helper words it.
---@param input any
---@return string
function M.invalidArgTypeHelper(input)
  return ' Received ' .. require('errors').received(input)
end

-- As Node's test/common: the tests see ten times the default attempt
-- timeout of autoSelectFamily (scaled for slow builds too).
net.setDefaultAutoSelectFamilyAttemptTimeout(M.platformTimeout(
  net.getDefaultAutoSelectFamilyAttemptTimeout() * 10))
M.defaultAutoSelectFamilyAttemptTimeout =
  net.getDefaultAutoSelectFamilyAttemptTimeout()

---common.tmpdir: path (a directory of this process's own) and refresh(),
---which empties it; it is removed at exit.
M.tmpdir = { path = (os.getenv('TMPDIR') or '/tmp') .. '/luanet-node-test.' ..
  process.pid }
function M.tmpdir.refresh()
  os.execute("rm -rf '" .. M.tmpdir.path .. "' && mkdir -p '" ..
    M.tmpdir.path .. "'")
end
process:on('exit', function()
  os.execute("rm -rf '" .. M.tmpdir.path .. "'")
end)

-- common.PIPE: a Unix socket path in the tmpdir.
M.PIPE = M.tmpdir.path .. '/test.sock'

return M
