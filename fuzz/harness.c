/* The shared part of the Lua fuzz targets (see harness.h). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <lualib.h>

#include "allow.h"
#include "harness.h"

int luaopen_luanet(lua_State *L);

void fz_fail(const char *file, int line, const char *cond, const char *fmt,
             ...) {
  va_list ap;
  fprintf(stderr, "\n%s:%d: check failed: %s\n  ", file, line, cond);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputs("\n", stderr);
  abort();
}

/* ---- the network: loopback only, no name service ------------------------ */

/* Set by a target to the one TCP port on loopback that connect() may reach;
 * 0: none. Unix sockets are always allowed (they stay on this machine). */
int fz_connect_port;

static int loopback_port(const struct sockaddr *sa, socklen_t len) {
  if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
    if ((ntohl(in->sin_addr.s_addr) >> 24) == 127)
      return ntohs(in->sin_port);
  } else if (sa->sa_family == AF_INET6 &&
             len >= sizeof(struct sockaddr_in6)) {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
    if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) ||
        (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) &&
         in6->sin6_addr.s6_addr[12] == 127))
      return ntohs(in6->sin6_port);
  }
  return -1;
}

/* Fuzzed input may name any address: connections go nowhere but Unix
 * sockets and the target's own port, so that no packet leaves the machine
 * and no other program's server is disturbed. */
int connect(int fd, const struct sockaddr *sa, socklen_t len) {
  if (sa == NULL || len < sizeof(sa->sa_family) ||
      (sa->sa_family != AF_UNIX &&
       (fz_connect_port == 0 || loopback_port(sa, len) != fz_connect_port))) {
    errno = ECONNREFUSED;
    return -1;
  }
  return (int)syscall(SYS_connect, fd, sa, len);
}

/* Names are never looked up (no DNS traffic, and the same answer every
 * run): a numeric address resolves as glibc resolves it, "localhost" to
 * 127.0.0.1 and ::1, anything else fails as an unknown name. */
int getaddrinfo(const char *node, const char *service,
                const struct addrinfo *hints, struct addrinfo **res) {
  static int (*real)(const char *, const char *, const struct addrinfo *,
                     struct addrinfo **);
  struct addrinfo h;
  if (real == NULL)
    real = (int (*)(const char *, const char *, const struct addrinfo *,
                    struct addrinfo **))dlsym(RTLD_NEXT, "getaddrinfo");
  memset(&h, 0, sizeof(h));
  if (hints != NULL)
    h = *hints;
  if (node != NULL && strcmp(node, "localhost") == 0) {
    h.ai_flags &= ~AI_ADDRCONFIG;
    node = h.ai_family == AF_INET6 ? "::1" : "127.0.0.1";
  }
  h.ai_flags |= AI_NUMERICHOST;
  return real(node, service, &h, res);
}

/* ---- budgets ------------------------------------------------------------ */

static size_t used, limit = (size_t)-1;

/* The error value of a budget's end: an address no input can make, as a
 * message could be (an input that holds the text of one would pass for
 * it). */
static char limit_token;
static long budget = -1; /* thousands of instructions left; <0: none */

static void *alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  if (ptr == NULL)
    osize = 0;
  if (nsize == 0) {
    free(ptr);
    used -= osize;
    return NULL;
  }
  if (nsize > osize && used - osize + nsize > limit)
    return NULL; /* Lua raises "not enough memory" */
  ptr = realloc(ptr, nsize);
  if (ptr != NULL)
    used = used - osize + nsize;
  return ptr;
}

void fz_begin(long instructions, size_t memory) {
  budget = instructions;
  limit = used + memory;
}

/* ---- coverage of Lua lines ---------------------------------------------- */

/* libFuzzer reads these after every input as it reads its own edge
 * counters: one per pair of consecutive Lua lines run (hashed). */
__attribute__((section("__libfuzzer_extra_counters")))
static uint8_t lua_edges[1 << 16];
static uintptr_t previous;

static void hook(lua_State *L, lua_Debug *ar) {
  if (ar->event == LUA_HOOKCOUNT) {
    lua_Debug deep;
    if (budget < 0)
      return;
    if (--budget < 0) {
      lua_pushlightuserdata(L, &limit_token);
      lua_error(L);
    }
    /* Recursion a million calls deep is Lua's "stack overflow" in a
     * second, but minutes with the sanitizers and this hook (the
     * collector walks the whole stack at each step): stop at Node's
     * depth instead. */
    if (lua_getstack(L, 10000, &deep)) {
      lua_pushlightuserdata(L, &limit_token);
      lua_error(L);
    }
    return;
  }
  if (ar->event == LUA_HOOKLINE && lua_getinfo(L, "S", ar)) {
    /* By the source's text, not its address: a chunk loaded again (a
     * REPL line) is the same place. */
    uintptr_t h = 2166136261u;
    for (const char *s = ar->source; *s != '\0' && s - ar->source < 48; s++)
      h = (h ^ (unsigned char)*s) * 16777619u;
    h ^= (uintptr_t)ar->linedefined * 2654435761u;
    h ^= (uintptr_t)ar->currentline * 40503u;
    lua_edges[(h ^ previous) & (sizeof(lua_edges) - 1)]++;
    previous = h >> 1;
  }
}

/* fuzzAllowed(tag) -> whether FUZZ_ALLOW names the known finding tag. */
static int l_allowed(lua_State *L) {
  lua_pushboolean(L, fz_allowed(luaL_checkstring(L, 1)));
  return 1;
}

/* Whether v (at idx) is the end of a budget: the token, or Lua's own
 * messages for memory and stack. */
static int is_limit(lua_State *L, int idx) {
  const char *s;
  size_t len;
  if (lua_touserdata(L, idx) == &limit_token)
    return 1;
  if (lua_type(L, idx) != LUA_TSTRING)
    return 0;
  s = lua_tolstring(L, idx, &len);
  return strcmp(s, "not enough memory") == 0 ||
         (len >= 14 && strcmp(s + len - 14, "stack overflow") == 0);
}

int fz_is_limit(lua_State *L) {
  return is_limit(L, -1);
}

/* fuzzIsLimit(err) -> whether err is the end of a budget (fz_is_limit). */
static int l_is_limit(lua_State *L) {
  lua_pushboolean(L, is_limit(L, 1));
  return 1;
}

/* ---- input in pieces ----------------------------------------------------- */

size_t fz_cut(uint32_t *seed, size_t left) {
  size_t n;
  if (*seed == 0)
    return left;
  *seed = *seed * 1103515245u + 12345u;
  n = (*seed >> 16) % 17 + 1;
  return n < left ? n : left;
}

/* fuzzPieces(data) -> text, pieces (harness.h). */
static int l_pieces(lua_State *L) {
  size_t size, pos = 1;
  const char *data = luaL_checklstring(L, 1, &size);
  uint32_t seed = size > 0 ? (unsigned char)data[0] : 0;
  lua_Integer i = 0;
  lua_pushlstring(L, data + (size > 0), size - (size > 0));
  lua_newtable(L);
  while (pos < size) {
    size_t n = fz_cut(&seed, size - pos);
    lua_pushlstring(L, data + pos, n);
    lua_rawseti(L, -2, ++i);
    pos += n;
  }
  return 2;
}

/* fuzzCheckLines(seen, expect, closed) (harness.h). */
static const char check_lines[] =
    "return function(seen, expect, closed)\n"
    "  for i = 1, #seen do\n"
    "    if seen[i] ~= expect[i] then\n"
    "      error(('line %d is %q, not %q'):format(i, seen[i],\n"
    "        tostring(expect[i])), 0)\n"
    "    end\n"
    "  end\n"
    "  if #seen ~= #expect and not closed then\n"
    "    error(('%d lines seen of %d'):format(#seen, #expect), 0)\n"
    "  end\n"
    "end\n";

/* ---- the state ----------------------------------------------------------- */

static lua_State *state;

lua_State *fz_lua(void) {
  lua_State *L;
  if (state != NULL)
    return state;
  if (getenv("FUZZ_STDOUT") == NULL) {
    int fd = open("/dev/null", O_WRONLY);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      close(fd);
    }
  }
  state = L = lua_newstate(alloc, NULL);
  FZ_ASSERT(L != NULL, "no Lua state");
  /* Set before anything runs: threads made later inherit the hook. */
  lua_sethook(L, hook, LUA_MASKLINE | LUA_MASKCOUNT, 1000);
  luaL_openlibs(L);
  lua_register(L, "fuzzAllowed", l_allowed);
  lua_register(L, "fuzzIsLimit", l_is_limit);
  lua_register(L, "fuzzPieces", l_pieces);
  fz_function(L, "=checkLines", check_lines);
  lua_setglobal(L, "fuzzCheckLines");
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_luanet);
  lua_setfield(L, -2, "luanet");
  lua_pop(L, 1);
  fz_function(L, "=harness", "return function()\n"
                             "  luanet = require('luanet')\n"
                             "  require('host').install({ 'fuzz' }, nil)\n"
                             "end\n");
  FZ_ASSERT(fz_pcall(L, 0, 0) == LUA_OK, "%s", lua_tostring(L, -1));
  /* As bindings/main.c keeps it, for lnb_report (the REPL's errors). */
  lua_getglobal(L, "require");
  lua_pushliteral(L, "host");
  lua_call(L, 1, 1);
  lua_setfield(L, LUA_REGISTRYINDEX, "luanet.host");
  return L;
}

void fz_function(lua_State *L, const char *name, const char *code) {
  lua_getfield(L, LUA_REGISTRYINDEX, name);
  if (lua_isfunction(L, -1))
    return;
  lua_pop(L, 1);
  FZ_ASSERT(luaL_loadbuffer(L, code, strlen(code), name) == LUA_OK, "%s",
            lua_tostring(L, -1));
  lua_call(L, 0, 1);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, name);
}

static int traceback(lua_State *L) {
  if (lua_type(L, 1) == LUA_TSTRING)
    luaL_traceback(L, L, lua_tostring(L, 1), 1);
  return 1;
}

int fz_pcall(lua_State *L, int nargs, int nresults) {
  int base = lua_gettop(L) - nargs, status;
  lua_pushcfunction(L, traceback);
  lua_insert(L, base);
  status = lua_pcall(L, nargs, nresults, base);
  lua_remove(L, base);
  return status;
}

void fz_sandbox(lua_State *L) {
  fz_function(
      L, "=sandbox",
      "return function()\n"
      "  local open, setmt = io.open, setmetatable\n"
      "  os.exit, os.execute, os.remove, os.rename, os.tmpname =\n"
      "    nil, nil, nil, nil, nil\n"
      "  io.popen, io.output, io.input, io.read, io.lines, io.stdin =\n"
      "    nil, nil, nil, nil, nil, nil\n"
      "  -- Files to read only, and only those that can seek: no pipe,\n"
      "  -- terminal or standard input that would wait for ever.\n"
      "  io.open = function(path, mode)\n"
      "    if mode ~= nil and mode:find('[wa+]') then\n"
      "      return nil, 'sandbox: read only'\n"
      "    end\n"
      "    local f, err = open(path, mode)\n"
      "    if f and not f:seek('cur') then\n"
      "      f:close()\n"
      "      return nil, 'sandbox: not a file'\n"
      "    end\n"
      "    return f, err\n"
      "  end\n"
      "  -- A finaliser runs without hooks: one that loops would hang.\n"
      "  setmetatable = function(t, mt)\n"
      "    if type(mt) == 'table' and rawget(mt, '__gc') ~= nil then\n"
      "      error('sandbox: no __gc', 2)\n"
      "    end\n"
      "    return setmt(t, mt)\n"
      "  end\n"
      "  debug.sethook, debug.setmetatable = nil, nil\n"
      "  package.loadlib, package.cpath = nil, ''\n"
      "  local refuse = function() error('sandbox: refused', 2) end\n"
      "  process.exit, process.kill, process.abort, process.chdir =\n"
      "    refuse, refuse, refuse, refuse\n"
      "  local saved, mt, next, rawset = {}, getmetatable(_G), next, rawset\n"
      "  for k, v in next, _G do saved[k] = v end\n"
      "  -- Puts the globals back as they were, for the next input, with\n"
      "  -- the host's metatable (its __index loads console, process and the\n"
      "  -- timer functions when first read).\n"
      "  return function()\n"
      "    setmt(_G, mt)\n"
      "    for k in next, _G do\n"
      "      if saved[k] == nil then rawset(_G, k, nil) end\n"
      "    end\n"
      "    for k, v in next, saved do rawset(_G, k, v) end\n"
      "  end\n"
      "end\n");
  FZ_ASSERT(fz_pcall(L, 0, 1) == LUA_OK, "%s", lua_tostring(L, -1));
  lua_setfield(L, LUA_REGISTRYINDEX, "fz.restore");
}

void fz_restore(lua_State *L) {
  lua_getfield(L, LUA_REGISTRYINDEX, "fz.restore");
  fz_begin(-1, (size_t)-1 / 2);
  FZ_ASSERT(fz_pcall(L, 0, 0) == LUA_OK, "%s", lua_tostring(L, -1));
}

int fz_run_loop(lua_State *L, int close_all) {
  int top = lua_gettop(L), status;
  fz_function(L, "=run",
              "return function(closeAll)\n"
              "  if closeAll then luanet._closeAll() end\n"
              "  luanet.run()\n"
              "end\n");
  lua_pushboolean(L, close_all);
  status = fz_pcall(L, 1, 0) != LUA_OK;
  if (status && getenv("FUZZ_VERBOSE") != NULL)
    fprintf(stderr, "luanet.run raised: %s\n", luaL_tolstring(L, -1, NULL));
  lua_settop(L, top);
  return status;
}

/* ---- values made from bytes ---------------------------------------------- */

/* gen(data) -> values (a table with n), plain: Lua values read from data
 * as from a small program. plain is true when every value is data a
 * util.inspect of depth math.huge writes back as loadable source: no
 * functions, cycles, metatables, tables as keys or arrays over 100. */
static const char generator[] =
    "return function()\n"
    "  local errors = require('errors')\n"
    "  local specials = { 0 / 0, math.huge, -math.huge, -0.0, 0.1, 1e21,\n"
    "    1e-7, 2 ^ 53, 2 ^ 63, math.maxinteger, math.mininteger, 123.0,\n"
    "    1e15, 1e16, -1, 0, 5e-324, 1 / 3 }\n"
    "  local words = { '', 'a', 'end', 'nil', '_x', 'x y', '\\n', 'é',\n"
    "    '\\xff', '%s', 'constructor', '1', '__index', 'é\\n\\t\"' }\n"
    "  local function reader(data)\n"
    "    local pos = 1\n"
    "    local r = {}\n"
    "    function r.byte()\n"
    "      local b = data:byte(pos) or 0\n"
    "      pos = pos + 1\n"
    "      return b\n"
    "    end\n"
    "    function r.bytes(n)\n"
    "      local s = data:sub(pos, pos + n - 1)\n"
    "      pos = pos + n\n"
    "      return s\n"
    "    end\n"
    "    function r.left() return pos <= #data end\n"
    "    return r\n"
    "  end\n"
    "  local gen\n"
    "  local function str(r)\n"
    "    local n = r.byte()\n"
    "    if n < 200 then return r.bytes(n % 48) end\n"
    "    if n < 230 then return words[n % #words + 1] end\n"
    "    return string.rep(r.bytes(r.byte() % 8 + 1), r.byte() % 64)\n"
    "  end\n"
    "  local function tbl(r, depth, st)\n"
    "    local t = {}\n"
    "    st.tables[#st.tables + 1] = t\n"
    "    local n = r.byte() % 12\n"
    "    if n == 11 then\n"
    "      local v, count = gen(r, depth + 1, st), r.byte()\n"
    "      if type(v) == 'table' then count = count % 8 end -- no blow-up\n"
    "      if count > 100 then st.plain = false end\n"
    "      for i = 1, count do t[i] = v end\n"
    "      return t\n"
    "    end\n"
    "    for i = 1, n do\n"
    "      local how = r.byte() % 3\n"
    "      if how == 0 then\n"
    "        t[#t + 1] = gen(r, depth + 1, st)\n"
    "      else\n"
    "        local k = gen(r, depth + 1, st)\n"
    "        if type(k) == 'table' then st.plain = false end\n"
    "        if k ~= nil and k == k then t[k] = gen(r, depth + 1, st) end\n"
    "      end\n"
    "    end\n"
    "    return t\n"
    "  end\n"
    "  function gen(r, depth, st)\n"
    "    local k = r.byte() % 16\n"
    "    if depth > 8 and k >= 8 then k = k % 8 end\n"
    "    if k == 0 then return nil end\n"
    "    if k == 1 then return r.byte() % 2 == 0 end\n"
    "    if k == 2 then\n"
    "      local n = r.byte() % 8 + 1\n"
    "      return string.unpack('<i' .. n, r.bytes(n) .. ('\\0'):rep(n))\n"
    "    end\n"
    "    if k == 3 then\n"
    "      return (string.unpack('<d', r.bytes(8) .. ('\\0'):rep(8)))\n"
    "    end\n"
    "    if k == 4 then return specials[r.byte() % #specials + 1] end\n"
    "    if k <= 7 then return str(r) end\n"
    "    if k <= 10 then return tbl(r, depth, st) end\n"
    "    if k == 11 then\n"
    "      st.plain = false\n"
    "      return print\n"
    "    end\n"
    "    if k == 12 and #st.tables > 0 then\n"
    "      st.plain = false\n"
    "      return st.tables[r.byte() % #st.tables + 1]\n"
    "    end\n"
    "    if k == 13 then\n"
    "      st.plain = false\n"
    "      return errors.new(str(r), r.byte() % 2 == 0 and 'ERR_X' or nil,\n"
    "        str(r), { extra = gen(r, depth + 1, st) })\n"
    "    end\n"
    "    if k == 14 then\n"
    "      st.plain = false\n"
    "      local s = str(r)\n"
    "      local mt = r.byte() % 2 == 0 and { __name = s } or\n"
    "        { __tostring = function() return s end }\n"
    "      return setmetatable(tbl(r, depth, st), mt)\n"
    "    end\n"
    "    return r.byte() % 2 == 0 and '' or -0.0\n"
    "  end\n"
    "  return function(data)\n"
    "    local r, values = reader(data), {}\n"
    "    local st = { plain = true, tables = {} }\n"
    "    local n = 0\n"
    "    while r.left() and n < 8 do\n"
    "      n = n + 1\n"
    "      values[n] = gen(r, 0, st)\n"
    "    end\n"
    "    values.n = n\n"
    "    return values, st.plain\n"
    "  end\n"
    "end\n";

void fz_check_values(const char *name, const char *code, const uint8_t *data,
                     size_t size) {
  lua_State *L = fz_lua();
  fz_function(L, name, code);
  fz_generator(L);
  lua_pushlstring(L, (const char *)data, size);
  fz_begin(3000, 256u << 20);
  if (fz_pcall(L, 2, 0) != LUA_OK && !fz_is_limit(L))
    FZ_ASSERT(0, "%s", luaL_tolstring(L, -1, NULL));
  lua_settop(L, 0);
}

void fz_generator(lua_State *L) {
  fz_function(L, "=generator", generator);
  if (lua_getfield(L, LUA_REGISTRYINDEX, "fz.gen") != LUA_TFUNCTION) {
    lua_pop(L, 1);
    lua_call(L, 0, 1);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, "fz.gen");
  } else {
    lua_remove(L, -2);
  }
}
