-- Installing: `cmake --install` into a temporary prefix gives a luanet
-- that runs a script and a module a stock lua5.4 requires; the man page
-- renders without warnings and lists the options --help lists; --version
-- names the three versions. (scripts/check-install, run by CI, also tries
-- `luarocks make` and the Debian package.)
local h = require('spec.helpers')

-- Runs a shell command; returns its output (stdout and stderr) and
-- whether it exited 0.
local function sh(cmd)
  local p = assert(io.popen('(' .. cmd .. ') 2>&1'))
  local out = p:read('a')
  return out, p:close() == true
end

local q = h.shellQuote

-- Tools that are not luanet run without the sanitizer build's preloaded
-- runtimes (ctest sets LD_PRELOAD there), whose reports of their own
-- leaks would fail the spec.
local plain = 'env -u LD_PRELOAD '

describe('cmake --install --prefix P', function()
  local prefix

  setup(function()
    prefix = os.tmpname()
    os.remove(prefix)
    local out, ok = sh(plain .. 'cmake --install ' .. q(h.build) ..
      ' --prefix ' .. q(prefix))
    assert(ok, out)
  end)

  teardown(function()
    os.execute('rm -rf ' .. q(prefix))
  end)

  it('installs P/bin/luanet, which runs a script and its loop', function()
    local script = h.script([[
      local net = require('net')
      local server = net.createServer(function(s) s:end_('installed') end)
      server:listen(0, '127.0.0.1', function()
        net.connect(server:address().port, '127.0.0.1')
          :on('data', function(d) print(d) server:close() end)
      end)
    ]])
    local out, ok = sh(q(prefix .. '/bin/luanet') .. ' ' .. q(script))
    os.remove(script)
    assert.are.equal('installed\n', out)
    assert.is_true(ok)
  end)

  it('installs luanet.so in P/lib/lua/5.4, where lua5.4 finds it', function()
    local out, ok = sh('LUA_CPATH=' .. q(prefix .. '/lib/lua/5.4/?.so') ..
      [[ lua5.4 -e "local l = require('luanet')
        io.write(l.net.isIP('::1'), ' ', type(require('luanet.test').it))"]])
    assert.are.equal('6 function', out)
    assert.is_true(ok)
  end)

  it('installs the man page, the editor types and the docs', function()
    for _, f in ipairs({ '/share/man/man1/luanet.1',
      '/share/luanet/types/luanet/net.lua', '/share/doc/luanet/README.md',
      '/share/doc/luanet/net.md' }) do
      assert.is_true(io.open(prefix .. f) ~= nil, f .. ' is not installed')
    end
  end)
end)

-- The options of `luanet --help`, or of the man page's OPTIONS section,
-- as a sorted list ('-e', '--eval', ...).
local function helpOptions(text)
  local set = {}
  for line in text:gmatch('[^\n]+') do
    local names = line:match('^  (%-[^%s][%w%-]*,? ?%-?%-?[%w%-]*)')
    if names then
      for name in names:gmatch('%-%-?[%w%-]*') do set[name] = true end
    end
  end
  return set
end

local function manOptions(roff)
  local section = roff:match('\n%.SH OPTIONS\n(.-)\n%.SH ')
  local set = {}
  for tag in section:gmatch('%.TP\n([^\n]+)') do
    -- .BR \-e ", " \-\-eval " \fIcode\fR"  or  .B \-\-
    for name in tag:gsub('\\fI.-\\fR', ''):gsub('\\%-', '-')
        :gmatch('%-%-?[%w%-]*') do
      set[name] = true
    end
  end
  return set
end

describe('the man page, luanet(1)', function()
  local roff = h.readAll('man/luanet.1')

  it('renders with groff -ww without a warning', function()
    local out, ok = sh(plain .. 'groff -ww -man -Tutf8 man/luanet.1 >/dev/null')
    assert.are.equal('', out)
    assert.is_true(ok)
  end)

  it('lists the options luanet --help lists', function()
    local help = h.exec({ '--help' })
    local fromHelp = helpOptions(help)
    assert.is_true(fromHelp['--eval'] and fromHelp['-h'])
    assert.are.same(fromHelp, manOptions(roff))
  end)

  it('has the sections a man page has', function()
    for _, s in ipairs({ 'NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS',
      'ENVIRONMENT', 'EXIT STATUS', 'REPL', 'FILES', 'EXAMPLES' }) do
      assert.truthy(roff:find('\n.SH ' .. s .. '\n', 1, true), s)
    end
  end)

  it("names luanet's version, as --version prints it", function()
    local version = h.exec({ '--version' })
    -- luanet's, Lua's and libuv's
    local luanet = version:match('^luanet (%d+%.%d+%.%d+) %(Lua 5%.4%.%d+, ' ..
      'libuv %d+%.%d+%.%d+%)\n$')
    assert.is_string(luanet)
    assert.truthy(roff:find('"luanet ' .. luanet .. '"', 1, true))
  end)
end)

describe('luanet-scm-1.rockspec', function()
  it('builds with CMake, passing LuaRocks install directories', function()
    local spec = {}
    assert(loadfile('luanet-scm-1.rockspec', 't', spec))()
    assert.are.equal('luanet', spec.package)
    assert.are.equal('scm-1', spec.version)
    assert.are.equal('cmake', spec.build.type)
    local v = spec.build.variables
    assert.are.equal('$(PREFIX)', v.CMAKE_INSTALL_PREFIX)
    assert.are.equal('$(BINDIR)', v.CMAKE_INSTALL_BINDIR)
    assert.are.equal('$(LIBDIR)', v.LUANET_INSTALL_CMOD)
  end)
end)
