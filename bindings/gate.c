/* The gate: every call from C into Lua, the uncaught-error path, the run
 * loop, and process.nextTick. After lua.c's docall and msghandler. */
#include <stdlib.h>
#include <string.h>

#include "luanet.h"

lnb_t *lnb_get(lua_State *L) {
  lnb_t *b;
  lua_getfield(L, LUA_REGISTRYINDEX, LNB_STATE);
  b = lua_touserdata(L, -1);
  lua_pop(L, 1);
  return b;
}

/* Whether the value at idx is one of luanet's error tables. */
static int is_error(lua_State *L, int idx) {
  int is;
  if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
    return 0;
  lua_getfield(L, LUA_REGISTRYINDEX, LNB_ERROR_MT);
  is = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return is;
}

int lnb_msgh(lua_State *L) {
  size_t len;
  const char *trace;
  static const char c_frame[] = "\n\t[C]: in ?";
  luaL_traceback(L, L, NULL, 1);
  /* The frames below the user's code are the gate's own C functions:
   * nothing a reader can use. */
  trace = lua_tolstring(L, -1, &len);
  while (len >= sizeof(c_frame) - 1 &&
         memcmp(trace + len - (sizeof(c_frame) - 1), c_frame,
                sizeof(c_frame) - 1) == 0)
    len -= sizeof(c_frame) - 1;
  lua_pushlstring(L, trace, len);
  lua_replace(L, -2);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, LNB_TRACE);
  if (is_error(L, 1)) {
    /* Keep the traceback with the error, as Node keeps err.stack; a table
     * of the user's own is left as it was (its traceback is LNB_TRACE). */
    lua_pushliteral(L, "stack");
    if (lua_rawget(L, 1) == LUA_TNIL) {
      lua_pop(L, 1);
      lua_pushliteral(L, "stack");
      luaL_tolstring(L, 1, NULL);
      lua_pushliteral(L, "\n");
      lua_pushvalue(L, 2);
      lua_concat(L, 3);
      lua_rawset(L, 1);
    }
  }
  lua_settop(L, 1);
  return 1;
}

/* Whether process._uncaught(err) took the error on top of L (kept). If it
 * raised, its error replaces the one on top. */
static int try_handlers(lnb_t *b, lua_State *L) {
  int handled;
  lua_pushcfunction(L, lnb_msgh);
  lua_rawgeti(L, LUA_REGISTRYINDEX, b->uncaught_ref);
  lua_pushvalue(L, -3);
  if (lua_pcall(L, 1, 1, -3) != LUA_OK) {
    lua_replace(L, -3); /* the handler's error is the one that counts */
    lua_pop(L, 1);
    return 0;
  }
  handled = lua_toboolean(L, -1);
  lua_pop(L, 2);
  return handled;
}

void lnb_report(lnb_t *b, lua_State *L) {
  const char *s;
  size_t len;
  lua_getfield(L, LUA_REGISTRYINDEX, "luanet.host");
  lua_getfield(L, -1, "describe");
  lua_pushvalue(L, -3);
  lua_getfield(L, LUA_REGISTRYINDEX, LNB_TRACE);
  if (lua_pcall(L, 2, 1, 0) == LUA_OK && (s = lua_tolstring(L, -1, &len)))
    lnb_write(b, 2, s, len);
  lua_pop(L, 3);
}

void lnb_uncaught(lnb_t *b, lua_State *L) {
  if (b->fatal) { /* the loop is stopping: one fatal error is enough */
    lua_pop(L, 1);
    return;
  }
  if (try_handlers(b, L)) {
    lua_pop(L, 1);
    return;
  }
  if (b->keep_going) { /* the REPL prints it and goes on */
    lnb_report(b, L);
    return;
  }
  lua_setfield(L, LUA_REGISTRYINDEX, LNB_FATAL);
  b->fatal = 1;
  ln_loop_stop(&b->loop);
}

int lnb_call(lnb_t *b, int nargs) {
  lua_State *L = b->L;
  int base = lua_gettop(L) - nargs;
  int status;

  if (b->fatal) { /* stopping on an uncaught error: run nothing more */
    lua_settop(L, base - 1);
    return 1;
  }
  lua_pushcfunction(L, lnb_msgh);
  lua_insert(L, base);
  status = lua_pcall(L, nargs, 0, base);
  if (status != LUA_OK)
    lnb_uncaught(b, L);
  lua_remove(L, base);
  return status != LUA_OK;
}

void lnb_protect_begin(lnb_t *b, lua_CFunction f, void *ud) {
  lua_State *L = b->L;
  lua_pushcfunction(L, lnb_msgh);
  lua_pushcfunction(L, f);
  lua_pushlightuserdata(L, ud);
}

int lnb_protect_end(lnb_t *b, int nargs) {
  lua_State *L = b->L;
  int base = lua_gettop(L) - nargs - 2; /* the message handler */
  int status = LUA_ERRRUN;

  if (!b->fatal) { /* else stopping on an uncaught error: run nothing */
    status = lua_pcall(L, nargs + 1, 0, base);
    if (status != LUA_OK)
      lnb_uncaught(b, L);
  }
  lua_settop(L, base - 1);
  return status != LUA_OK;
}

int lnb_protect(lnb_t *b, lua_CFunction f, void *ud) {
  lnb_protect_begin(b, f, ud);
  return lnb_protect_end(b, 0);
}

void lnb_emit_begin(lnb_t *b, lua_State *L, int idx, const char *event) {
  idx = lua_absindex(L, idx);
  lua_rawgeti(L, LUA_REGISTRYINDEX, b->emit_ref);
  lua_pushvalue(L, idx);
  lua_pushstring(L, event);
}

int lnb_run(lnb_t *b, lua_State *L) {
  lua_State *outer = b->L;
  /* Notifications run on L's stack: room for what they push before
   * their protected call (lua_checkstack does not raise). */
  if (!lua_checkstack(L, LUA_MINSTACK))
    return luaL_error(L, "out of memory"), 1;
  b->L = L;
  b->running++;
  if (!b->fatal)
    ln_loop_run(&b->loop);
  b->running--;
  b->L = outer;
  if (!b->fatal)
    return 0;
  b->fatal = 0;
  lua_getfield(L, LUA_REGISTRYINDEX, LNB_FATAL);
  lua_pushnil(L);
  lua_setfield(L, LUA_REGISTRYINDEX, LNB_FATAL);
  return 1;
}

/* ---- process.nextTick --------------------------------------------------- */

typedef struct {
  ln_tick_t tick;
  lnb_t *b;
  int ref; /* { n, fn, args... } */
} lnb_tick_t;

/* The tick's call { fn, args..., n = } (registry ref at 2), through the
 * gate. */
static int tick_call(lua_State *L) {
  int n, ref = (int)lua_tointeger(L, 2);
  lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
  luaL_unref(L, LUA_REGISTRYINDEX, ref);
  lua_pushliteral(L, "n");
  lua_rawget(L, -2);
  n = (int)lua_tointeger(L, -1);
  lua_pop(L, 1);
  luaL_checkstack(L, n + 2, "too many arguments to a tick");
  for (int i = 1; i <= n; i++)
    lua_rawgeti(L, 3, i);
  lua_call(L, n - 1, 0);
  return 0;
}

static void run_tick(ln_tick_t *tick) {
  lnb_tick_t *t = (lnb_tick_t *)tick;
  lnb_t *b = t->b;
  int ref = t->ref;

  free(t);
  if (b->fatal) { /* stopping on an uncaught error: run nothing more */
    luaL_unref(b->L, LUA_REGISTRYINDEX, ref);
    return;
  }
  lnb_protect_begin(b, tick_call, NULL);
  lua_pushinteger(b->L, ref);
  lnb_protect_end(b, 1);
}

void lnb_drop_ticks(lnb_t *b) {
  ln_tick_t **p = &b->loop.ticks;
  b->loop.ticks_tail = p;
  while (*p != NULL) {
    ln_tick_t *tick = *p;
    if (tick->cb == run_tick) {
      *p = tick->next;
      free(tick);
    } else {
      p = &tick->next;
      b->loop.ticks_tail = p;
    }
  }
}

void lnb_next_tick(lnb_t *b, lua_State *L, int nargs) {
  lnb_tick_t *t = malloc(sizeof(*t));
  int first = lua_gettop(L) - nargs;

  if (t == NULL) {
    luaL_error(L, "out of memory");
    return;
  }
  lua_createtable(L, nargs + 1, 1);
  for (int i = 0; i <= nargs; i++) {
    lua_pushvalue(L, first + i);
    lua_rawseti(L, -2, i + 1);
  }
  lua_pushinteger(L, nargs + 1);
  lua_setfield(L, -2, "n");
  t->ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_settop(L, first - 1);
  t->b = b;
  t->tick.cb = NULL;
  ln_loop_defer(&b->loop, &t->tick, run_tick);
}
