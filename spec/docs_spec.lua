-- The reference in docs/ and the editor types in types/ are kept true:
-- every public name reachable from the modules (their tables, and the
-- methods and fields of the classes) is described in docs/ and declared
-- in types/; every name, event and function the docs describe (but those
-- marked "(coming)") is declared in types/; the types parse; every link of
-- README.md and docs/ resolves inside the repository, anchors included;
-- and the user's spec docs/testing.md shows passes under busted.
local h = require('spec.helpers')

local function lines(path)
  local t = {}
  for line in io.lines(path) do t[#t + 1] = line end
  return t
end

local function ls(dir, pattern)
  local p = assert(io.popen('ls ' .. h.shellQuote(dir)))
  local out = {}
  for name in p:lines() do
    if name:match(pattern) then out[#out + 1] = dir .. '/' .. name end
  end
  p:close()
  table.sort(out)
  return out
end

local DOCS = ls('docs', '%.md$')
local TYPES = ls('types/luanet', '%.lua$')

-- ---- the public names --------------------------------------------------

-- name -> where it was found ('net', 'Socket'...), for every public name:
-- the keys of the modules and of the classes' method tables, and the
-- getters the classes compute (lnb_class keeps them as upvalues of
-- __index), but those starting with '_'.
local function publicNames()
  local names = {}
  local function add(t, where)
    for k in pairs(t) do
      if type(k) == 'string' and not k:find('^_') then
        names[k] = names[k] or where
      end
    end
  end
  local luanet = h.luanet
  add(luanet, 'luanet')
  for _, m in ipairs({ 'net', 'events', 'timers', 'util', 'process',
    'console', 'assert', 'repl', 'luanet.test' }) do
    add(require(m), m)
  end
  add(require('repl').REPLServer, 'REPLServer')
  add(luanet.process.stdout, 'process.stdout')
  add(getmetatable(luanet.process.stdout), 'process.stdout')
  add(luanet.process.hrtime, 'process.hrtime')
  add(luanet.process.memoryUsage, 'process.memoryUsage')
  local reg = debug.getregistry()
  for _, class in ipairs({ 'Socket', 'Server', 'BlockList', 'SocketAddress',
    'Timeout', 'Immediate' }) do
    local index = reg['luanet.' .. class].__index
    local _, methods = debug.getupvalue(index, 1)
    local _, getters = debug.getupvalue(index, 2)
    add(methods, class)
    add(getters, class)
  end
  names.exitCode = 'process' -- an accessor, not a key
  return names
end

-- The text of docs/: what its code spans and code blocks hold.
local function docsCode()
  local code = {}
  for _, path in ipairs(DOCS) do
    local text = h.readAll(path)
    for block in text:gmatch('\n```[%w]*\n(.-)\n```') do
      code[#code + 1] = block
    end
    text = text:gsub('\n```[%w]*\n.-\n```', '')
    for span in text:gmatch('`([^`\n]+)`') do code[#code + 1] = span end
  end
  return table.concat(code, '\n')
end

local function hasWord(text, word)
  return text:find('%f[%w_]' .. word:gsub('%p', '%%%0') .. '%f[^%w_]') ~= nil
end

-- What the docs describe: the name of every entry heading (`### `name...``,
-- the last part of a dotted or colon path), and every event
-- (`### Event: `'name'``), but for the entries marked (coming).
local function described()
  local names, events = {}, {}
  for _, path in ipairs(DOCS) do
    local ls_ = lines(path)
    for i, line in ipairs(ls_) do
      local next_ = table.concat(ls_, '\n', i + 1, math.min(#ls_, i + 3))
      local coming = next_:find('%*%*%(coming%)%*%*') and
        not next_:find('^#') or line:find('%(coming%)')
      local event = line:match("^###+ Event: `'([%w_]+)'`")
      local head = line:match('^###+ `([^`]+)`')
      if event and not coming then
        events[event] = path
      elseif head and not coming then
        local path_ = head:match('^([%w_%.:]+)%f[^%w_%.:]')
        if path_ and not head:find('^local ') and
            not head:find('^tostring%(') then
          names[path_:match('([%w_]+)$')] = path
        end
      end
    end
  end
  return names, events
end

describe('docs/', function()
  it('describes every public name of the modules and classes', function()
    local code = docsCode()
    local missing = {}
    for name, where in pairs(publicNames()) do
      if not hasWord(code, name) then
        missing[#missing + 1] = where .. '.' .. name
      end
    end
    table.sort(missing)
    assert.are.same({}, missing)
  end)

  it('has a page for every module, linked from its index', function()
    local index = h.readAll('docs/README.md')
    for _, page in ipairs({ 'porting.md', 'errors.md', 'net.md',
      'events.md', 'timers.md', 'process.md', 'util-console-assert.md',
      'repl.md', 'host.md', 'testing.md' }) do
      assert.truthy(index:find('(' .. page .. ')', 1, true), page)
    end
  end)

  it("shows a user's spec that passes under busted", function()
    local text = h.readAll('docs/testing.md')
    local spec = text:match('\n```lua\n(%-%- spec/echo_spec%.lua.-)\n```')
    assert.is_string(spec)
    local path = os.tmpname() .. '_spec.lua'
    local f = assert(io.open(path, 'w'))
    f:write(spec)
    f:close()
    local p = assert(io.popen('LUA_CPATH_5_4=' ..
      h.shellQuote(h.build .. '/?.so;;') .. ' timeout 60 busted ' ..
      h.shellQuote(path) .. ' 2>&1'))
    local out = p:read('a')
    local ok = p:close()
    os.remove(path)
    assert.truthy(out:find('2 successes / 0 failures / 0 errors', 1, true),
      out)
    assert.is_true(ok)
  end)
end)

-- ---- links -------------------------------------------------------------

-- GitHub's anchor of a heading: lower case, only letters, digits, '-',
-- '_' and spaces kept, spaces made '-'; repeats get -1, -2...
local function anchors(path)
  local set, seen, fence = {}, {}, false
  for _, line in ipairs(lines(path)) do
    if line:find('^```') then fence = not fence end
    local title = not fence and line:match('^#+%s+(.-)%s*$')
    if title then
      local slug = title:lower():gsub('[^%w%- _]', ''):gsub(' ', '-')
      if seen[slug] then
        seen[slug] = seen[slug] + 1
        slug = slug .. '-' .. seen[slug]
      else
        seen[slug] = 0
      end
      set[slug] = true
    end
  end
  return set
end

-- Every [text](target) of a Markdown file outside code, and any bare
-- address; returns a list of { target, line }.
local function links(path)
  local out, fence = {}, false
  for n, line in ipairs(lines(path)) do
    if line:find('^```') then fence = not fence end
    if not fence then
      local text = line:gsub('`[^`]*`', '')
      for target in text:gmatch('%]%(([^)%s]*)%)') do
        out[#out + 1] = { target = target, line = n }
      end
      for url in text:gmatch('%a[%w+.-]*://[^%s)>]*') do
        out[#out + 1] = { target = url, line = n }
      end
    end
  end
  return out
end

local function exists(path)
  local f = io.open(path)
  if f then f:close() end
  return f ~= nil
end

describe('README.md and docs/', function()
  it('link only to files and headings inside the repository', function()
    local broken = {}
    local files = { 'README.md' }
    for _, p in ipairs(DOCS) do files[#files + 1] = p end
    for _, file in ipairs(files) do
      local dir = file:match('^(.*)/') or '.'
      for _, l in ipairs(links(file)) do
        local target, anchor = l.target:match('^([^#]*)#?(.*)$')
        local where = target == '' and file or dir .. '/' .. target
        local ok = not l.target:find('^%a[%w+.-]*:') and
          not target:find('^/') and exists(where)
        if ok and anchor ~= '' then
          ok = where:find('%.md$') ~= nil and anchors(where)[anchor] == true
        end
        -- inside the repository: no way out through ..
        if ok then
          local depth = 0
          for part in (dir .. '/' .. target):gmatch('[^/]+') do
            depth = depth + (part == '..' and -1 or part ~= '.' and 1 or 0)
            if depth < 0 then ok = false end
          end
        end
        if not ok then
          broken[#broken + 1] = file .. ':' .. l.line .. ': ' .. l.target
        end
      end
    end
    assert.are.same({}, broken)
  end)
end)

-- ---- types -------------------------------------------------------------

describe('types/luanet', function()
  it('parses: luac5.4 -p on every file', function()
    assert.is_true(#TYPES > 0)
    for _, path in ipairs(TYPES) do
      local p = assert(io.popen('luac5.4 -p ' .. h.shellQuote(path) ..
        ' 2>&1'))
      local out = p:read('a')
      assert.is_true(p:close(), out)
      assert.truthy(h.readAll(path):find('^%-%-%-@meta'), path ..
        ' is no ---@meta file')
    end
  end)

  it('declares every public name, and every one the docs describe',
    function()
      local text = {}
      for _, path in ipairs(TYPES) do text[#text + 1] = h.readAll(path) end
      text = table.concat(text, '\n')
      local missing = {}
      local names, events = described()
      for name, where in pairs(publicNames()) do names[name] = where end
      for name, where in pairs(names) do
        if not hasWord(text, name) then
          missing[#missing + 1] = where .. ': ' .. name
        end
      end
      for event, where in pairs(events) do
        if not (text:find("'" .. event .. "'", 1, true) or
            text:find('"' .. event .. '"', 1, true)) then
          missing[#missing + 1] = where .. ": event '" .. event .. "'"
        end
      end
      table.sort(missing)
      assert.are.same({}, missing)
    end)
end)
