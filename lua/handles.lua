-- handles: net.handles(), the live handles of the process (sockets,
-- servers, timers, immediates), read from the Lua registry, where the
-- bindings hold every object libuv may still call back about; whether
-- each keeps the process alive comes from libuv (bindings/lhandles.c).
-- Nothing is kept per handle, but with LUANET_TRACE_HANDLES=1 or
-- process.traceHandles = true, when the functions that make them (net's
-- connect, createServer, Socket, Server; setTimeout, setInterval,
-- setImmediate) record where each was made and when.
local type, pairs, ipairs, getmetatable, setmetatable, tostring, rawget,
  tonumber, require = type, pairs, ipairs, getmetatable,
  setmetatable, tostring, rawget, tonumber, require
local getregistry, traceback = debug.getregistry, debug.traceback
local sort = table.sort

local M = {}

-- Where and when each object was made, while tracing: weak keys.
local traces = setmetatable({}, { __mode = 'k' })
local made = 0 -- a count, to list the traced in the order they were made

local loaded = package.loaded

local env = os.getenv('LUANET_TRACE_HANDLES')
local always = env ~= nil and env ~= '' and env ~= '0'

local function clockMs()
  return tonumber(require('process').hrtime.bigint()) / 1e6
end

---handles.made(object, level): records where object was made (the stack
---from level, seen from the caller) when tracing.
function M.made(object, level)
  if not always then -- this runs at every socket: kept short
    local process = loaded.process
    if process == nil or rawget(process, 'traceHandles') ~= true then
      return
    end
  end
  made = made + 1
  traces[object] = { stack = traceback('', (level or 1) + 1):sub(2),
    at = clockMs(), n = made }
end

local KINDS = { 'Socket', 'Server', 'Timeout', 'Immediate' }

local function hostPort(address, port)
  if type(address) ~= 'string' then return nil end
  if address:find(':', 1, true) then address = '[' .. address .. ']' end
  return port and address .. ':' .. tostring(port) or address
end

-- The row of one object of kind.
local function describe(object, kind, ref)
  local h = { object = object, kind = kind }
  if kind == 'Socket' then
    h.state = object.destroyed and 'closed' or object.readyState
    h.localAddress = hostPort(object.localAddress, object.localPort)
    h.remoteAddress = hostPort(object.remoteAddress, object.remotePort)
    h.bytesRead, h.bytesWritten = object.bytesRead, object.bytesWritten
    h.ref = ref
  elseif kind == 'Server' then
    local a = object:address()
    h.state = object.listening and 'listening' or 'closed'
    h.localAddress = type(a) == 'table' and hostPort(a.address, a.port) or a
    h.ref = ref
  else
    h.state = kind == 'Timeout' and (object._repeat and 'interval' or
      'timeout') or 'immediate'
    h.ref = object:hasRef()
  end
  local trace = traces[object]
  if trace then
    h.stack = trace.stack
    h.age = clockMs() - trace.at
  end
  return h
end

---net.handles() -> a list, one table per live handle of the process:
---{ object, kind ('Socket', 'Server', 'Timeout', 'Immediate'), state
---(readyState, 'listening', 'closed', 'timeout'...), localAddress,
---remoteAddress ('host:port' or a path), bytesRead, bytesWritten, ref
---(whether it keeps the process alive; nil when it has no open handle),
---and, when traced, stack (where it was made) and age (ms) }. Traced
---objects come first, oldest first. Node has no such call.
function M.list()
  local reg = getregistry()
  local kinds = {}
  for _, kind in ipairs(KINDS) do
    local mt = reg['luanet.' .. kind]
    if mt then kinds[mt] = kind end
  end
  local objects, found, seen = {}, {}, {}
  for key, v in pairs(reg) do
    if type(key) == 'number' and type(v) == 'userdata' and not seen[v] then
      local kind = kinds[getmetatable(v)]
      if kind then
        seen[v] = true
        objects[#objects + 1] = v
        found[#found + 1] = kind
      end
    end
  end
  local refs = require('luanet.handles').refs(objects)
  local list = {}
  for i, object in ipairs(objects) do
    local h = describe(object, found[i], refs[i])
    if h.state ~= 'closed' and (h.kind ~= 'Immediate' or h.ref) then
      list[#list + 1] = h -- (not what is closing, nor an immediate that ran)
    end
  end
  sort(list, function(a, b)
    local ta, tb = traces[a.object], traces[b.object]
    if ta and tb then return ta.n < tb.n end
    if ta or tb then return ta ~= nil end
    return a.kind < b.kind
  end)
  return list
end

-- With LUANET_TRACE_HANDLES set, the timer functions record where each
-- timer was made too (those called after net was first loaded).
if always then
  local timers = require('timers')
  for _, name in ipairs({ 'setTimeout', 'setInterval', 'setImmediate' }) do
    local f = timers[name]
    local function traced(...)
      local t = f(...)
      M.made(t, 2)
      return t
    end
    timers[name] = traced
    if rawget(_G, name) == f then _G[name] = traced end
  end
end

return M
