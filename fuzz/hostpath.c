/* Fuzz target: the host, path, port and option checks of connect() and
 * listen() (lua/net.lua's argument forms and validation, then
 * core/socket.c's and core/server.c's), where a program passes what came
 * from outside: a host name from a request, a path from a configuration.
 *
 * Input: byte 0 picks the call, bytes 1-8 pick the option values (numbers
 * of every kind, strings, booleans, tables, nil), then a string s (the
 * host or path, up to a NUL) and a string t (a second string value).
 * Connections reach nothing but this process's own server and Unix
 * sockets in a temporary directory (harness.c's connect()); names are not
 * looked up; paths have their '/' replaced, so every file stays in that
 * directory. Checked:
 *  - a call either returns or raises one of luanet's error tables with a
 *    Node code (ERR_...), never a plain string or an internal error;
 *  - every 'error' event carries an error table with a code;
 *  - a host or path with a NUL inside is never used cut short at it (a
 *    C string would: Node refuses such a host, and a path gets EINVAL;
 *    an abstract name, '\0' and then any bytes, is used whole);
 *  - everything started ends: the loop runs dry by itself, each socket
 *    made and connected emits 'close' once, and after closing all
 *    (luanet._closeAll) no handle is left open. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "allow.h"
#include "harness.h"

static const char code[] =
    "return function(data, port)\n"
    "  local net, errors = require('net'), require('errors')\n"
    "  local op = (data:byte(1) or 0) % 12\n"
    "  local sel = { data:byte(2, 9) }\n"
    "  local rest = data:sub(10)\n"
    "  local nul = rest:find('\\0', 1, true) or #rest + 1\n"
    "  local s, t = rest:sub(1, nul - 1), rest:sub(nul + 1)\n"
    "  local path = s:gsub('/', '_')\n"
    "  if (sel[8] or 0) % 7 == 3 then path = path .. '\\0x' end\n"
    "  local values = { nil, s, t, 0, -1, 1.5, 0 / 0, math.huge, -0.0,\n"
    "    65535, 65536, 2 ^ 31, 2 ^ 53, math.mininteger, true, false, {},\n"
    "    print, '80', ' 80 ', '0x50', '1e2', '', '0x1p4', port,\n"
    "    tostring(port), '127.0.0.1', '::1', 'localhost', path, 4, 6,\n"
    "    'IPv4', 'IPv6', -2 ^ 31, 10, 2 ^ 31 - 1, '127.0.0.1\\0x',\n"
    "    'localhost\\0', 'sock\\0x' }\n"
    "  local function v(i)\n"
    "    local b = sel[i] or 0\n"
    "    if b >= 0xF0 then return (b - 0xF0) * 4369 end -- 0 to 65535\n"
    "    return values[b % #values + 1]\n"
    "  end\n"
    "  local address, isPath, problem, excused\n"
    "  -- A finding, raised once the call returns or the loop has run (a\n"
    "  -- raise inside a listener would be an uncaught error instead).\n"
    "  local function found(message)\n"
    "    problem = problem or message\n"
    "  end\n"
    "  -- (an abstract name, after its first NUL, is bytes: Node 22 binds\n"
    "  -- and connects '\\0a\\0b' whole, as luanet does)\n"
    "  local function nulInside()\n"
    "    return type(address) == 'string' and not (isPath and\n"
    "      address:byte(1) == 0) and address:find('\\0', 1, true) ~= nil\n"
    "  end\n"
    "  local function checkError(err, where)\n"
    "    if not (errors.isError(err) and type(err.code) == 'string') then\n"
    "      if fuzzAllowed('plain-error') or\n"
    "          (nulInside() and fuzzAllowed('nul-bytes')) then\n"
    "        excused = true -- and what follows from it (an uncaught error)\n"
    "        return\n"
    "      end\n"
    "      found(where .. ' gave a plain error: ' .. tostring(err))\n"
    "    end\n"
    "  end\n"
    "  -- The host or path the call passes: one with a NUL inside must not\n"
    "  -- be used cut short at it (Node refuses it: ERR_INVALID_ARG_VALUE\n"
    "  -- for a host, EINVAL for a path; a path's first NUL is Linux's\n"
    "  -- abstract namespace).\n"
    "  local function aim(a, b)\n"
    "    if type(a) == 'string' and not tonumber(a) then\n"
    "      address, isPath = a, true\n"
    "    else\n"
    "      address, isPath = b, false\n"
    "    end\n"
    "  end\n"
    "  local function used(what)\n"
    "    if nulInside() and not fuzzAllowed('nul-bytes') then\n"
    "      found(('%s %q, cut at its NUL'):format(what, address))\n"
    "    end\n"
    "  end\n"
    "  local made, closed = {}, 0\n"
    "  local function watch(x)\n"
    "    if type(x) ~= 'userdata' or made[x] then return end\n"
    "    made[x] = true\n"
    "    x:on('error', function(err) checkError(err, \"'error'\") end)\n"
    "    x:on('close', function()\n"
    "      if made[x] == 'closed' then found(\"'close' twice\") end\n"
    "      made[x] = 'closed'\n"
    "      closed = closed + 1\n"
    "    end)\n"
    "    if x.listening ~= nil then -- a server\n"
    "      x:on('listening', function()\n"
    "        used('listening on')\n"
    "        x:close()\n"
    "      end)\n"
    "      x:on('connection', function(c) c:destroy() end)\n"
    "    else\n"
    "      x:on('connect', function()\n"
    "        used('connected to')\n"
    "        x:destroy()\n"
    "      end)\n"
    "    end\n"
    "  end\n"
    "  local calls = {\n"
    "    function()\n"
    "      aim(nil, s)\n"
    "      return net.connect({ host = s, port = v(1), family = v(2),\n"
    "        localAddress = v(3), localPort = v(4),\n"
    "        autoSelectFamily = v(5), autoSelectFamilyAttemptTimeout = v(6),\n"
    "        timeout = v(7), noDelay = v(8), keepAlive = v(8),\n"
    "        keepAliveInitialDelay = v(7) })\n"
    "    end,\n"
    "    function()\n"
    "      aim(path)\n"
    "      return net.connect({ path = path })\n"
    "    end,\n"
    "    function()\n"
    "      aim(path, 'localhost')\n"
    "      return net.connect(path)\n"
    "    end,\n"
    "    function()\n"
    "      aim(v(1), s)\n"
    "      return net.connect(v(1), s)\n"
    "    end,\n"
    "    function()\n"
    "      aim(v(1), v(2))\n"
    "      return net.connect(v(1), v(2), v(3))\n"
    "    end,\n"
    "    function()\n"
    "      local server = net.createServer()\n"
    "      watch(server)\n"
    "      aim(nil, s)\n"
    "      return server:listen({ host = s, port = v(1), backlog = v(2),\n"
    "        ipv6Only = v(3) })\n"
    "    end,\n"
    "    function()\n"
    "      local server = net.createServer()\n"
    "      watch(server)\n"
    "      aim(path)\n"
    "      return server:listen({ path = path, backlog = v(2),\n"
    "        readableAll = v(3), writableAll = v(4) })\n"
    "    end,\n"
    "    function()\n"
    "      local server = net.createServer()\n"
    "      watch(server)\n"
    "      aim(v(1), s)\n"
    "      return server:listen(v(1), s, v(2))\n"
    "    end,\n"
    "    function()\n"
    "      local server = net.createServer()\n"
    "      watch(server)\n"
    "      aim(path)\n"
    "      return server:listen(path, v(2))\n"
    "    end,\n"
    "    function()\n"
    "      local server = net.createServer({ allowHalfOpen = v(1),\n"
    "        pauseOnConnect = v(2), noDelay = v(3), keepAlive = v(4),\n"
    "        keepAliveInitialDelay = v(5), highWaterMark = v(6) })\n"
    "      watch(server)\n"
    "      return server:listen(0, '127.0.0.1')\n"
    "    end,\n"
    "    function()\n"
    "      -- A descriptor is the program's, not outside input: never one\n"
    "      -- this process has open (issue 8 covers the loop's own).\n"
    "      local fd = v(2)\n"
    "      if math.type(fd) == 'integer' and fd >= 0 and fd < 65536 or\n"
    "          fd == 4.0 or fd == 6.0 or fd == 10.0 then\n"
    "        fd = 100000\n"
    "      end\n"
    "      local socket = net.Socket({ allowHalfOpen = v(1), fd = fd,\n"
    "        readable = v(3), writable = v(4), noDelay = v(5),\n"
    "        keepAlive = v(6), keepAliveInitialDelay = v(7) })\n"
    "      watch(socket)\n"
    "      socket:setEncoding(t)\n"
    "      socket:setTimeout(v(8))\n"
    "      aim(v(1), s)\n"
    "      return socket:connect(v(1), s)\n"
    "    end,\n"
    "    function()\n"
    "      local socket = net.Socket()\n"
    "      watch(socket)\n"
    "      socket:connect({ port = port, host = '127.0.0.1' })\n"
    "      socket:write(s, t)\n"
    "      socket:end_(t, v(1))\n"
    "      return socket\n"
    "    end,\n"
    "  }\n"
    "  local ok, x = pcall(calls[op + 1])\n"
    "  if not ok then\n"
    "    if fuzzIsLimit(x) then error(x, 0) end\n"
    "    checkError(x, 'the call')\n"
    "  end\n"
    "  if ok then watch(x) end\n"
    "  if problem then error(problem, 0) end\n"
    "  return function()\n"
    "    if problem then error(problem, 0) end\n"
    "    for x, state in pairs(made) do\n"
    "      -- (a socket never connected: Node 22's readyState 'open')\n"
    "      if state ~= 'closed' and x.listening == nil and\n"
    "          not (x.pending and not x.connecting and\n"
    "            not x.destroyed) then\n"
    "        error('a socket never closed: ' .. x.readyState, 0)\n"
    "      end\n"
    "    end\n"
    "    return excused\n"
    "  end\n"
    "end\n";

/* With FUZZ_ALLOW=int-ub: bindings/lserver.c's and bindings/lsocket.c's
 * opt_int convert numbers out of an integer's range with undefined
 * behaviour (a backlog of math.huge, also reached as listen(port,
 * '1e300'); a localPort of math.huge); the options they are given leave
 * those out, so that the rest is fuzzed. */
static const char int_ub[] =
    "return function()\n"
    "  local net = require('net')\n"
    "  local function clamp(o)\n"
    "    if type(o) ~= 'table' then return end\n"
    "    for k, x in pairs(o) do\n"
    "      if type(x) == 'number' and not (x > -2 ^ 31 and x < 2 ^ 31) then\n"
    "        o[k] = nil\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "  local function upvalue(f, name)\n"
    "    for i = 1, 255 do\n"
    "      local n, v = debug.getupvalue(f, i)\n"
    "      if n == nil or n == name then return v end\n"
    "    end\n"
    "  end\n"
    "  local connect = net.Socket._connect\n"
    "  net.Socket._connect = function(self, o)\n"
    "    clamp(o)\n"
    "    return connect(self, o)\n"
    "  end\n"
    "  local listen = net.Server._listen\n"
    "  net.Server._listen = function(self, o)\n"
    "    clamp(o)\n"
    "    return listen(self, o)\n"
    "  end\n"
    "  local core = upvalue(upvalue(net.createServer, 'newServer'), 'core')\n"
    "  local newServer = core.newServer\n"
    "  core.newServer = function(o)\n"
    "    clamp(o)\n"
    "    return newServer(o)\n"
    "  end\n"
    "end\n";

/* The one server connections may reach, made again for each input (the
 * input ends by closing everything): unref'd, so that the loop still runs
 * dry. */
static char dir[] = "/tmp/luanet-fuzz-XXXXXX";

/* Removes the directory and what the inputs left in it, at exit. */
static void remove_dir(void) {
  DIR *d = opendir(dir);
  struct dirent *e;
  while (d != NULL && (e = readdir(d)) != NULL)
    unlinkat(dirfd(d), e->d_name, 0);
  if (d != NULL)
    closedir(d);
  rmdir(dir);
}

static void serve(lua_State *L) {
  static int ready;
  if (!ready) {
    ready = 1;
    if (mkdtemp(dir) == NULL || chdir(dir) != 0)
      FZ_ASSERT(0, "no temporary directory");
    atexit(remove_dir);
    if (fz_allowed("int-ub")) {
      fz_function(L, "=int_ub", int_ub);
      FZ_ASSERT(fz_pcall(L, 0, 0) == LUA_OK, "%s", lua_tostring(L, -1));
    }
  }
  fz_function(L, "=server", "return function()\n"
                            "  local server = require('net').createServer(\n"
                            "    function(c) c:destroy() end)\n"
                            "  server:listen(0, '::')\n"
                            "  server:unref()\n"
                            "  return server:address().port\n"
                            "end\n");
  fz_begin(-1, (size_t)-1 / 2);
  FZ_ASSERT(fz_pcall(L, 0, 1) == LUA_OK, "%s", lua_tostring(L, -1));
  fz_connect_port = (int)lua_tointeger(L, -1);
  lua_pop(L, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  lua_State *L = fz_lua();
  int handles, uncaught;
  serve(L);
  fz_function(L, "=hostpath", code);
  lua_pushlstring(L, (const char *)data, size);
  lua_pushinteger(L, fz_connect_port);
  fz_begin(3000, 64u << 20);
  if (fz_pcall(L, 2, 1) != LUA_OK) {
    if (!fz_is_limit(L))
      FZ_ASSERT(0, "%s", luaL_tolstring(L, -1, NULL));
    lua_settop(L, 0);
    fz_run_loop(L, 1);
    return 0;
  }
  /* Everything must end by itself. */
  fz_begin(3000, 64u << 20);
  uncaught = fz_run_loop(L, 0);
  if (fz_pcall(L, 0, 1) != LUA_OK) {
    if (!fz_is_limit(L))
      FZ_ASSERT(0, "%s", luaL_tolstring(L, -1, NULL));
  } else if (!lua_toboolean(L, -1)) { /* no allowed finding excuses it */
    FZ_ASSERT(!uncaught, "an uncaught error (FUZZ_VERBOSE=1 shows it)");
  }
  lua_settop(L, 0);
  /* What is left (the fuzzer's server; a timeout timer of a socket
   * dropped unconnected, unref'd as in Node) must close with the rest. */
  fz_run_loop(L, 1);
  fz_function(L, "=handles", "return function()\n"
                             "  return luanet._handles()\n"
                             "end\n");
  FZ_ASSERT(fz_pcall(L, 0, 1) == LUA_OK, "%s", lua_tostring(L, -1));
  handles = (int)lua_tointeger(L, -1);
  lua_settop(L, 0);
  FZ_ASSERT(handles == 0, "%d handles left open after closing all", handles);
  return 0;
}
