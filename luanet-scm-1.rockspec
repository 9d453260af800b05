-- LuaRocks: `luarocks make` in a clone builds luanet with CMake and
-- installs the module luanet.so and the host luanet into the tree, with
-- the man page, the editor types and the docs in the rock's directory.
-- Needs CMake, a C compiler, pkg-config and the development files of Lua
-- 5.4, libuv and libedit (Debian: scripts/setup installs them).
-- scripts/check-install runs it into a temporary tree.
rockspec_format = '3.0'
package = 'luanet'
version = 'scm-1'
source = {
  -- `luarocks make` builds the clone it runs in; a published rockspec
  -- names the repository's address here.
  url = 'git+file://.',
}
description = {
  summary = "Node.js's net module in C on libuv, scripted in Lua 5.4",
  detailed = [[
luanet reproduces Node.js's net module (servers, sockets, their events
and errors), events, timers, util, console, assert and the REPL, in C on
libuv for Lua 5.4: require('luanet') in a stock interpreter, or the
luanet command, which runs scripts written as Node's examples are.]],
  labels = { 'networking', 'libuv', 'event-loop', 'nodejs' },
}
dependencies = {
  'lua == 5.4',
}
build = {
  type = 'cmake',
  variables = {
    CMAKE_BUILD_TYPE = 'Release',
    CMAKE_INSTALL_PREFIX = '$(PREFIX)',
    CMAKE_INSTALL_BINDIR = '$(BINDIR)',
    LUANET_INSTALL_CMOD = '$(LIBDIR)',
  },
}
