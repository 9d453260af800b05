-- The host's side in Lua: the globals a script sees, and how an uncaught
-- error is shown. Used by bindings/main.c.
local _, core = ...

local require, rawset, setmetatable = require, rawset, setmetatable

local M = {}

-- The timer functions' globals (core.timers, which is made when first
-- read: not at start).
local TIMERS = { 'setTimeout', 'setInterval', 'setImmediate',
  'clearTimeout', 'clearInterval', 'clearImmediate' }

---Installs the globals of a luanet script (console, process, the timer
---functions) and lets script (a path, or nil) require modules beside it.
---For code given with -e or -p (eval true), the built-in modules are
---globals too, as in Node's -e. Each global's module is loaded when the
---global is first read (an __index on _G), so that a script pays at
---start only for what it uses; process.argv is set whenever process is
---first loaded, by the global or by require.
---@param argv string[] process.argv
---@param script string|nil
---@param eval boolean|nil
function M.install(argv, script, eval)
  local loadProcess = package.preload.process
  package.preload.process = function(...)
    local process = loadProcess(...)
    process.argv = argv
    return process
  end
  if package.loaded.process then package.loaded.process.argv = argv end
  -- name -> the function that loads its value (repl.lua's completion
  -- lists this table's keys: it is the __index's first upvalue)
  local lazy = {
    console = function() return require('console') end,
    process = function() return require('process') end,
  }
  local function timer(k)
    return function()
      local timers = require('timers')
      for name, f in pairs(core.timers) do rawset(_G, name, f) end
      return timers[k]
    end
  end
  for _, k in ipairs(TIMERS) do lazy[k] = timer(k) end
  if eval then
    -- the modules preloaded under node: names (bindings/luanet.c)
    for name in pairs(package.preload) do
      local short = type(name) == 'string' and name:match('^node:(.+)$')
      if short and not lazy[short] then
        lazy[short] = function() return require(short) end
      end
    end
  end
  setmetatable(_G, { __index = function(_, k)
    local load = lazy[k]
    if load then
      local v = load()
      rawset(_G, k, v)
      return v
    end
  end })
  -- print() as Lua's, but written as console.log writes, so that output
  -- stays in order with it and the REPL keeps its prompt below both.
  _G.print = function(...)
    local n, shown = select('#', ...), {}
    for i = 1, n do shown[i] = tostring((select(i, ...))) end
    core.write(1, table.concat(shown, '\t', 1, n) .. '\n')
  end
  M.routeFiles()
  if script then
    local dir = script:match('^(.*)/[^/]*$') or '.'
    package.path = dir .. '/?.lua;' .. dir .. '/?/init.lua;' .. package.path
  end
end

---The value process._emitExit() returns (emitting 'exit' first), or 0
---when process was never loaded (no listener, no exitCode then).
---@return integer
function M.emitExit()
  local process = package.loaded.process
  if process == nil then return 0 end
  return process._emitExit()
end

---Compiles code for -p: as an expression first (`return code`), as the
---REPL does, else as statements. The function it returns runs the code,
---then at 'exit' prints what it returned as node -p prints its result:
---a string as it is, anything else through util.inspect (nothing: nil).
---@param code string
---@return function|nil chunk
---@return string|nil err the syntax error of the statements
function M.loadPrint(code)
  local chunk = load('return ' .. code, '=[command line]')
  if not chunk then
    local err
    chunk, err = load(code, '=[command line]')
    if not chunk then return nil, err end
  end
  return function(...)
    local values = table.pack(chunk(...))
    require('process'):on('exit', function()
      local shown = {}
      for i = 1, math.max(values.n, 1) do
        local v = values[i]
        shown[i] = type(v) == 'string' and v or require('util').inspect(v)
      end
      require('console').log(table.concat(shown, ' '))
    end)
  end
end

-- file:write's own argument checks and number formats (liolib's g_write).
local function fileText(...)
  local n, parts = select('#', ...), {}
  for i = 1, n do
    local v = select(i, ...)
    if math.type(v) == 'integer' then
      v = string.format('%d', v)
    elseif math.type(v) == 'float' then
      v = string.format('%.14g', v)
    elseif type(v) ~= 'string' then
      error(string.format("bad argument #%d to 'write' (string expected, " ..
        'got %s)', i, type(v) == 'nil' and 'no value' or type(v)), 3)
    end
    parts[i] = v
  end
  return table.concat(parts, '', 1, n)
end

---Makes io.write, io.stdout:write and io.stderr:write write as print and
---console.log do: at once, in the order written whatever standard output
---is, nothing left in a buffer when the process ends by any path, and
---above the REPL's prompt. Other files write as Lua's own.
function M.routeFiles()
  local stdout, stderr = io.stdout, io.stderr
  local methods = getmetatable(stdout).__index
  local fileWrite = methods.write
  methods.write = function(f, ...)
    if f == stdout then
      core.write(1, fileText(...))
      return f
    elseif f == stderr then
      core.write(2, fileText(...))
      return f
    end
    return fileWrite(f, ...)
  end
  io.write = function(...) return io.output():write(...) end
end

---The text shown for an uncaught error (lua/host_uncaught.lua, loaded on the
---first one).
---@param err any
---@param traceback string|nil
---@return string
function M.describe(err, traceback)
  return require('host_uncaught').describe(err, traceback)
end

return M
