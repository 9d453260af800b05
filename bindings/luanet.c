/* luaopen_luanet: the state, the classes, the embedded Lua modules, and
 * the module table { net, events, timers, process, run }. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lmodules.h"
#include "luanet.h"

#define LNB_MODULE "luanet.module"

#ifndef LUANET_VERSION
#define LUANET_VERSION "0"
#endif

static const ln_hooks_t hooks = {lnb_socket_event, lnb_server_event,
                                 lnb_server_socket_new};

/* The state's finaliser, run last at lua_close: closes what is left of
 * the loop. Every other finaliser has run; no memory is freed yet. */
static int state_gc(lua_State *L) {
  lnb_t *b = lua_touserdata(L, 1);
  b->closing = 1;
  lnb_drop_ticks(b);
  ln_loop_close(&b->loop);
  return 0;
}

/* What the C side keeps of a module once it is loaded (on top of L):
 * errors itself (in place of errors_proxy), events' emit, process's
 * _uncaught. */
static void keep(lua_State *L, const char *name) {
  lnb_t *b = lnb_get(L);
  if (strcmp(name, "errors") == 0) {
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, "luanet.errors");
  } else if (strcmp(name, "events") == 0) {
    lua_getfield(L, -1, "emit");
    lua_rawseti(L, LUA_REGISTRYINDEX, b->emit_ref);
  } else if (strcmp(name, "process") == 0) {
    lua_getfield(L, -1, "_uncaught");
    lua_rawseti(L, LUA_REGISTRYINDEX, b->uncaught_ref);
  }
}

static void require(lua_State *L, const char *name);

/* package.preload loader for an embedded module: runs it with
 * (name, core), then keeps what the bindings call in it. Upvalues: the
 * core table, the module's index. */
static int load_embedded(lua_State *L) {
  const lnb_lua_module_t *m =
      &lnb_lua_modules[lua_tointeger(L, lua_upvalueindex(2))];
  char chunkname[64];
  lua_settop(L, 0);
  snprintf(chunkname, sizeof(chunkname), "@luanet/%s.lua", m->name);
  if (luaL_loadbuffer(L, m->source, m->len, chunkname) != LUA_OK)
    return lua_error(L);
  lua_pushstring(L, m->name);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_call(L, 2, 1);
  keep(L, m->name);
  return 1;
}

/* Stands for a module's function until the module is loaded (keep then
 * puts the function itself in its place): requires module upvalue 1 and
 * calls its field upvalue 2 with the arguments. The gate's emit and
 * uncaught-error handler, so that neither module loads at start. */
static int call_lazily(lua_State *L) {
  int n = lua_gettop(L);
  require(L, lua_tostring(L, lua_upvalueindex(1)));
  lua_getfield(L, -1, lua_tostring(L, lua_upvalueindex(2)));
  lua_replace(L, -2);
  lua_insert(L, 1);
  lua_call(L, n, LUA_MULTRET);
  return lua_gettop(L);
}

/* __index of the registry's "luanet.errors" until errors is loaded (keep
 * puts the module there then): requires errors and gives its field k, so
 * that the bindings' lnb_raise loads it on the first error they raise. */
static int errors_index(lua_State *L) {
  require(L, "errors");
  lua_pushvalue(L, 2);
  lua_gettable(L, -2);
  return 1;
}

/* __index of the core table until its first read of a field it lacks:
 * opens the classes (sockets, block lists, servers, timers) and process's
 * tables, which a script that uses nothing never reads, then drops itself
 * and gives the field. Upvalue: the state. */
static int core_index(lua_State *L) {
  lnb_t *b = lua_touserdata(L, lua_upvalueindex(1));
  lua_settop(L, 2);
  lua_pushvalue(L, 1); /* each opener sets its fields in the table on top */
  lnb_open_socket(L, b);
  lnb_open_blocklist(L, b);
  lnb_open_server(L, b);
  lnb_open_timers(L, b);
  lnb_open_process_tables(L);
  lua_pushnil(L); /* only once all are made: a memory error retries */
  lua_setmetatable(L, 1);
  lua_pushvalue(L, 2);
  lua_rawget(L, 1);
  return 1;
}

/* A registry reference to call_lazily(module, field). */
static int lazy_ref(lua_State *L, const char *module, const char *field) {
  lua_pushstring(L, module);
  lua_pushstring(L, field);
  lua_pushcclosure(L, call_lazily, 2);
  return luaL_ref(L, LUA_REGISTRYINDEX);
}

static void preload(lua_State *L, int core) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  for (int i = 0; lnb_lua_modules[i].name != NULL; i++) {
    const char *name = lnb_lua_modules[i].name;
    if (strcmp(name, "test") == 0) /* the harness; a user's test.lua stays */
      name = "luanet.test";
    if (lua_getfield(L, -1, name) == LUA_TNIL) {
      lua_pushvalue(L, core);
      lua_pushinteger(L, i);
      lua_pushcclosure(L, load_embedded, 2);
      lua_setfield(L, -3, name);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

static void require(lua_State *L, const char *name) {
  lua_getglobal(L, "require");
  if (lua_isnil(L, -1)) { /* no package library: call the loader itself */
    lua_pop(L, 1);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    lua_getfield(L, -1, name);
    lua_remove(L, -2);
  }
  lua_pushstring(L, name);
  lua_call(L, 1, 1);
}

/* The modules a user may require, each also under its node: name. */
static const char *const builtins[] = {"assert", "console", "events", "net",
                                       "process", "repl", "timers", "util",
                                       NULL};

/* package.preload loader for "node:NAME": require(NAME), so that both
 * names give the same table (Node's require('node:net') === net). */
static int load_node_name(lua_State *L) {
  require(L, luaL_checkstring(L, 1) + sizeof("node:") - 1);
  return 1;
}

static void preload_node_names(lua_State *L) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  for (int i = 0; builtins[i] != NULL; i++) {
    lua_pushfstring(L, "node:%s", builtins[i]);
    lua_pushcfunction(L, load_node_name);
    lua_rawset(L, -3);
  }
  lua_pop(L, 1);
}

/* luanet.run(): runs the loop until nothing referenced is left. Raises an
 * uncaught error (one no 'uncaughtException' listener took). Called from
 * inside the loop (a listener, a timer, a REPL line), raises Error
 * ERR_LOOP_RUNNING instead: libuv's uv_run is not re-entrant, and the
 * callback that called it would find its objects changed under it. Node
 * has no such call; the code is in its style. */
static int l_run(lua_State *L) {
  lnb_t *b = lnb_state(L);
  if (b->running) { /* uv_run is not re-entrant */
    lua_pushliteral(L, "Error");
    lua_pushliteral(L, "ERR_LOOP_RUNNING");
    lua_pushliteral(L, "luanet.run() cannot run the event loop: it is "
                       "already running");
    return lnb_raise(L, "new", 3);
  }
  if (lnb_run(b, L))
    return lua_error(L);
  return 0;
}

/* luanet._closeAll(): destroys every socket, closes every server and
 * stops every timer, as if the process were ending; run the loop after it
 * to let the closes finish. For tests and embedders that must start
 * clean; Node has no such call. */
static int l_close_all(lua_State *L) {
  lnb_t *b = lnb_state(L);
  b->fatal = 0;
  ln_loop_close_all(&b->loop);
  return 0;
}

/* __index of the module table: its modules (net, events, timers,
 * process), each required when first read, then kept in the table. */
static int module_index(lua_State *L) {
  static const char *const names[] = {"net", "events", "timers", "process",
                                      NULL};
  const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
  for (int i = 0; k != NULL && names[i] != NULL; i++)
    if (strcmp(k, names[i]) == 0) {
      require(L, k);
      lua_pushvalue(L, 2);
      lua_pushvalue(L, -2);
      lua_rawset(L, 1);
      return 1;
    }
  return 0;
}

/* require('luanet.test') from a stock lua5.4 before require('luanet'):
 * Lua's all-in-one searcher finds this in luanet.so. Opens the module,
 * then gives the test harness (lua/test.lua, preloaded as 'luanet.test';
 * docs/testing.md). */
int luaopen_luanet_test(lua_State *L) {
  luaL_requiref(L, "luanet", luaopen_luanet, 0);
  require(L, "luanet.test");
  return 1;
}

int luaopen_luanet(lua_State *L) {
  lnb_t *b;
  int core, err;

  if (lua_getfield(L, LUA_REGISTRYINDEX, LNB_MODULE) == LUA_TTABLE)
    return 1;
  lua_pop(L, 1);
  /* A write to a peer that is gone must fail with EPIPE, not kill the
   * process: Node ignores SIGPIPE from the start too. */
  {
    struct sigaction sa;
    if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL)
      signal(SIGPIPE, SIG_IGN);
  }

  b = lua_newuserdatauv(L, sizeof(*b), 0);
  memset(b, 0, offsetof(lnb_t, loop) + offsetof(ln_loop_t, rbuf));
  memset((char *)b + offsetof(lnb_t, L), 0, sizeof(*b) - offsetof(lnb_t, L));
  if ((err = ln_loop_init(&b->loop, &hooks, b)) != 0)
    return luaL_error(L, "luanet: %s", uv_strerror(err));
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, state_gc);
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, LNB_STATE);
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
  b->L = lua_tothread(L, -1);
  lua_pop(L, 1);
  b->emit_ref = b->uncaught_ref = LUA_NOREF;

  lua_newtable(L);
  core = lua_gettop(L);
  /* errors' Error metatable (lua/errors.lua fills it when it loads), here
   * so that the bindings' error tables have it before errors loads. */
  lua_newtable(L);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, LNB_ERROR_MT);
  lua_setfield(L, core, "Error");
  lua_newtable(L);
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, errors_index);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, "luanet.errors");
  lnb_open_process(L, b);
  lua_createtable(L, 0, 1); /* the rest when first read */
  lua_pushlightuserdata(L, b);
  lua_pushcclosure(L, core_index, 1);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, core);
  lua_pushliteral(L, LUANET_VERSION);
  lua_setfield(L, core, "version");
  lua_pushvalue(L, core);
  b->core_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  preload(L, core);
  preload_node_names(L);

  b->emit_ref = lazy_ref(L, "events", "emit");
  b->uncaught_ref = lazy_ref(L, "process", "_uncaught");

  lua_createtable(L, 0, 8); /* the module; net, events... on first read */
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, module_index);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_pushliteral(L, LUANET_VERSION);
  lua_setfield(L, -2, "version");
  lua_pushlightuserdata(L, b);
  lua_pushcclosure(L, l_run, 1);
  lua_setfield(L, -2, "run");
  lua_pushlightuserdata(L, b);
  lua_pushcclosure(L, l_close_all, 1);
  lua_setfield(L, -2, "_closeAll");
  lua_pushlightuserdata(L, b);
  lua_pushcclosure(L, lnb_count_handles, 1);
  lua_setfield(L, -2, "_handles");
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, LNB_MODULE);
  return 1;
}
