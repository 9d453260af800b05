/* Node's timers: setTimeout, setInterval, setImmediate, their clear*
 * functions and the Timeout object (ref, unref, hasRef, refresh, close). */
#include <stddef.h>
#include <stdlib.h>

#include "luanet.h"

#define TIMEOUT_T "luanet.Timeout"
#define IMMEDIATE_T "luanet.Immediate"
#define TIMEOUT_MAX 2147483647 /* ms, Node's TIMEOUT_MAX */

typedef struct lnb_timer_s lnb_timer_t;

/* The libuv timer, allocated apart from the userdata so that a finaliser
 * can close it and let libuv free it later. */
typedef struct {
  uv_timer_t handle;
  lnb_timer_t *owner; /* NULL once the userdata is gone */
} timer_handle_t;

struct lnb_timer_s {
  timer_handle_t *h;
  lnb_t *b;
  int ref;        /* the registry's hold while started */
  int unref;      /* hasRef() is false */
  int repeat;     /* setInterval */
  lua_Integer ms;
};

typedef struct lnb_immediate_s {
  struct lnb_immediate_s *next;
  int ref;   /* held while queued */
  int unref;
  int cleared;
} lnb_immediate_t;

/* ---- shared: the callback and its arguments, in user value 1 ------------ */

/* Stores { n, fn, args... } in user value 1 of the userdata at ud: fn at
 * fn_idx, the arguments from first to last (none when first > last). */
static void store_call(lua_State *L, int ud, int fn_idx, int first, int last) {
  int n = 1 + (last >= first ? last - first + 1 : 0);
  lua_createtable(L, n, 1);
  lua_pushvalue(L, fn_idx);
  lua_rawseti(L, -2, 1);
  for (int i = first; i <= last; i++) {
    lua_pushvalue(L, i);
    lua_rawseti(L, -2, i - first + 2);
  }
  lua_pushinteger(L, n);
  lua_setfield(L, -2, "n");
  lua_setiuservalue(L, ud, 1);
}

/* Calls the stored { n, fn, args... } of the userdata at idx via the gate. */
static void call_stored(lnb_t *b, lua_State *L, int idx) {
  int n;
  lua_getiuservalue(L, idx, 1);
  lua_getfield(L, -1, "n");
  n = (int)lua_tointeger(L, -1);
  lua_pop(L, 1);
  luaL_checkstack(L, n + 2, "too many arguments to a timer");
  for (int i = 1; i <= n; i++)
    lua_rawgeti(L, -i, i);
  lua_remove(L, -n - 1);
  lnb_call(b, n - 1);
}

static void check_callback(lua_State *L) {
  if (!lua_isfunction(L, 1)) {
    lua_pushliteral(L, "callback");
    lua_pushliteral(L, "function");
    lua_pushvalue(L, 1);
    lnb_raise(L, "invalidArgType", 3);
  }
}

/* ---- Timeout ------------------------------------------------------------ */

static void handle_free(uv_handle_t *handle) {
  free(handle);
}

static void handle_closer(uv_handle_t *handle) {
  timer_handle_t *h = (timer_handle_t *)handle;
  if (h->owner != NULL)
    h->owner->h = NULL;
  uv_close(handle, handle_free);
}
static const ln_close_fn handle_close_fn = handle_closer;

static void timer_sync_ref(lua_State *L, lnb_timer_t *t, int idx) {
  int active = t->h != NULL && uv_is_active((uv_handle_t *)&t->h->handle);
  if (active && t->ref == LUA_NOREF) {
    lua_pushvalue(L, idx);
    t->ref = luaL_ref(L, LUA_REGISTRYINDEX);
  } else if (!active && t->ref != LUA_NOREF) {
    luaL_unref(L, LUA_REGISTRYINDEX, t->ref);
    t->ref = LUA_NOREF;
  }
}

static void on_timer(uv_timer_t *handle) {
  lnb_timer_t *t = ((timer_handle_t *)handle)->owner;
  lnb_t *b = t->b;
  lua_State *L = b->L;
  int top = lua_gettop(L);

  ln_loop_enter(&b->loop);
  lua_rawgeti(L, LUA_REGISTRYINDEX, t->ref);
  timer_sync_ref(L, t, top + 1); /* a timeout is done: collectable */
  call_stored(b, L, top + 1);
  lua_settop(L, top);
  ln_loop_leave(&b->loop);
}

static void timer_start(lua_State *L, lnb_timer_t *t, int idx) {
  if (t->h != NULL) {
    uv_timer_start(&t->h->handle, on_timer, (uint64_t)t->ms,
                   t->repeat ? (uint64_t)t->ms : 0);
    timer_sync_ref(L, t, idx);
  }
}

/* Node's after *= 1; outside 1..TIMEOUT_MAX (or NaN) it is 1 ms. */
static lua_Integer delay_arg(lua_State *L, int idx) {
  lua_Number ms = lua_isnumber(L, idx) ? lua_tonumber(L, idx) : 0;
  if (!(ms >= 1 && ms <= TIMEOUT_MAX))
    return 1;
  return (lua_Integer)ms;
}

static int new_timer(lua_State *L, int repeat) {
  lnb_t *b = lnb_state(L);
  int nargs = lua_gettop(L), ud;
  lnb_timer_t *t;

  check_callback(L);
  t = lnb_new(L, sizeof(*t), TIMEOUT_T);
  ud = lua_gettop(L);
  t->b = b;
  t->ref = LUA_NOREF;
  t->unref = 0;
  t->repeat = repeat;
  t->ms = delay_arg(L, 2);
  t->h = NULL;
  store_call(L, ud, 1, 3, nargs);
  if ((t->h = malloc(sizeof(*t->h))) == NULL)
    return luaL_error(L, "out of memory");
  uv_timer_init(&b->loop.uv, &t->h->handle);
  t->h->handle.data = (void *)&handle_close_fn;
  t->h->owner = t;
  timer_start(L, t, ud);
  return 1;
}

/* setTimeout(fn, ms, ...) -> Timeout: fn(...) once, after ms (1 ms when
 * outside 1..2^31-1, as Node). Raises ERR_INVALID_ARG_TYPE without fn. */
static int set_timeout(lua_State *L) {
  return new_timer(L, 0);
}

/* setInterval(fn, ms, ...) -> Timeout: fn(...) every ms. */
static int set_interval(lua_State *L) {
  return new_timer(L, 1);
}

static lnb_timer_t *test_timer(lua_State *L, int idx) {
  return luaL_testudata(L, idx, TIMEOUT_T);
}

/* clearTimeout(t), clearInterval(t): stops t; anything else is ignored. */
static int clear_timer(lua_State *L) {
  lnb_timer_t *t = test_timer(L, 1);
  if (t != NULL && t->h != NULL) {
    uv_timer_stop(&t->h->handle);
    timer_sync_ref(L, t, 1);
  }
  return 0;
}

static lnb_timer_t *check_timer(lua_State *L) {
  return luaL_checkudata(L, 1, TIMEOUT_T);
}

/* timeout:ref() / :unref() -> timeout: whether it keeps the loop alive. */
static int timer_ref(lua_State *L) {
  lnb_timer_t *t = check_timer(L);
  t->unref = 0;
  if (t->h != NULL)
    uv_ref((uv_handle_t *)&t->h->handle);
  lua_settop(L, 1);
  return 1;
}

static int timer_unref(lua_State *L) {
  lnb_timer_t *t = check_timer(L);
  t->unref = 1;
  if (t->h != NULL)
    uv_unref((uv_handle_t *)&t->h->handle);
  lua_settop(L, 1);
  return 1;
}

/* timeout:hasRef() -> boolean */
static int timer_has_ref(lua_State *L) {
  lua_pushboolean(L, !check_timer(L)->unref);
  return 1;
}

/* timeout:refresh() -> timeout: starts the full delay again, even after
 * it fired, as Node's refresh() does. */
static int timer_refresh(lua_State *L) {
  lnb_timer_t *t = check_timer(L);
  timer_start(L, t, 1);
  lua_settop(L, 1);
  return 1;
}

static int timer_gc(lua_State *L) {
  lnb_timer_t *t = luaL_checkudata(L, 1, TIMEOUT_T);
  if (t->h != NULL) {
    t->h->owner = NULL;
    uv_close((uv_handle_t *)&t->h->handle, handle_free);
    t->h = NULL;
  }
  return 0;
}

static int timer_tostring(lua_State *L) {
  lnb_timer_t *t = check_timer(L);
  lua_pushfstring(L, "%s (%d ms): %p", t->repeat ? "Interval" : "Timeout",
                  (int)t->ms, t);
  return 1;
}

static int timer_get_repeat(lua_State *L) {
  lnb_timer_t *t = check_timer(L);
  if (!t->repeat)
    return 0;
  lua_pushinteger(L, t->ms);
  return 1;
}

static int timer_get_idle(lua_State *L) {
  lua_pushinteger(L, check_timer(L)->ms);
  return 1;
}

/* ---- Immediate ---------------------------------------------------------- */

static void idle_noop(uv_idle_t *idle) {
  (void)idle;
}

/* The idle handle keeps the loop alive, and poll from blocking, while an
 * immediate that counts (queued, not cleared, ref'd) waits. */
static void update_idle(lnb_t *b) {
  if (b->immediates_refed > 0)
    uv_idle_start(&b->idle, idle_noop);
  else
    uv_idle_stop(&b->idle);
}

static int counts(const lnb_immediate_t *im) {
  return im->ref != LUA_NOREF && !im->cleared && !im->unref;
}

static void on_check(uv_check_t *check) {
  lnb_t *b = (lnb_t *)((char *)check - offsetof(lnb_t, check));
  lua_State *L = b->L;
  lnb_immediate_t *im = b->immediates;

  /* Only those queued before this turn run now, as in Node. */
  b->immediates = b->immediates_tail = NULL;
  while (im != NULL) {
    lnb_immediate_t *next = im->next;
    int top = lua_gettop(L), run = !im->cleared;
    if (counts(im))
      b->immediates_refed--;
    lua_rawgeti(L, LUA_REGISTRYINDEX, im->ref);
    luaL_unref(L, LUA_REGISTRYINDEX, im->ref);
    im->ref = LUA_NOREF;
    im->cleared = 1;
    if (run) {
      ln_loop_enter(&b->loop);
      call_stored(b, L, top + 1);
      ln_loop_leave(&b->loop);
    }
    lua_settop(L, top);
    im = next;
  }
  update_idle(b);
}

/* setImmediate(fn, ...) -> Immediate: fn(...) after this turn's I/O. */
static int set_immediate(lua_State *L) {
  lnb_t *b = lnb_state(L);
  int nargs = lua_gettop(L), ud;
  lnb_immediate_t *im;

  check_callback(L);
  im = lnb_new(L, sizeof(*im), IMMEDIATE_T);
  ud = lua_gettop(L);
  store_call(L, ud, 1, 2, nargs);
  im->next = NULL;
  im->unref = 0;
  im->cleared = 0;
  lua_pushvalue(L, ud);
  im->ref = luaL_ref(L, LUA_REGISTRYINDEX);
  if (b->immediates_tail != NULL)
    b->immediates_tail->next = im;
  else
    b->immediates = im;
  b->immediates_tail = im;
  b->immediates_refed++;
  update_idle(b);
  return 1;
}

static lnb_immediate_t *check_immediate(lua_State *L) {
  return luaL_checkudata(L, 1, IMMEDIATE_T);
}

static int immediate_set_ref(lua_State *L, int ref) {
  lnb_immediate_t *im = check_immediate(L);
  lnb_t *b = lnb_state(L);
  int before = counts(im);
  im->unref = !ref;
  b->immediates_refed += counts(im) - before;
  update_idle(b);
  lua_settop(L, 1);
  return 1;
}

/* clearImmediate(im): it will not run; anything else is ignored. */
static int clear_immediate(lua_State *L) {
  lnb_immediate_t *im = luaL_testudata(L, 1, IMMEDIATE_T);
  if (im != NULL) {
    lnb_t *b = lnb_state(L);
    if (counts(im))
      b->immediates_refed--;
    im->cleared = 1;
    update_idle(b);
  }
  return 0;
}

/* immediate:ref() / :unref() -> immediate; immediate:hasRef() */
static int immediate_ref(lua_State *L) {
  return immediate_set_ref(L, 1);
}

static int immediate_unref(lua_State *L) {
  return immediate_set_ref(L, 0);
}

static int immediate_has_ref(lua_State *L) {
  lua_pushboolean(L, !check_immediate(L)->unref);
  return 1;
}

/* ---- registration ------------------------------------------------------- */

static const luaL_Reg timer_methods[] = {{"ref", timer_ref},
                                         {"unref", timer_unref},
                                         {"hasRef", timer_has_ref},
                                         {"refresh", timer_refresh},
                                         {"close", clear_timer},
                                         {NULL, NULL}};

static const luaL_Reg timer_getters[] = {{"_repeat", timer_get_repeat},
                                         {"_idleTimeout", timer_get_idle},
                                         {NULL, NULL}};

static const luaL_Reg immediate_methods[] = {{"ref", immediate_ref},
                                             {"unref", immediate_unref},
                                             {"hasRef", immediate_has_ref},
                                             {NULL, NULL}};

static const luaL_Reg functions[] = {{"setTimeout", set_timeout},
                                     {"setInterval", set_interval},
                                     {"setImmediate", set_immediate},
                                     {"clearTimeout", clear_timer},
                                     {"clearInterval", clear_timer},
                                     {"clearImmediate", clear_immediate},
                                     {NULL, NULL}};

void lnb_open_timers(lua_State *L, lnb_t *b) {
  int core = lua_gettop(L);

  lua_newtable(L);
  lua_pushlightuserdata(L, b);
  luaL_setfuncs(L, timer_methods, 1);
  lnb_class(L, TIMEOUT_T, -1, timer_getters, NULL);
  lua_pop(L, 1);
  luaL_getmetatable(L, TIMEOUT_T);
  lua_pushcfunction(L, timer_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, timer_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);

  lua_newtable(L);
  lua_pushlightuserdata(L, b);
  luaL_setfuncs(L, immediate_methods, 1);
  lnb_class(L, IMMEDIATE_T, -1, NULL, NULL);
  lua_pop(L, 1);

  uv_check_init(&b->loop.uv, &b->check);
  uv_check_start(&b->check, on_check);
  uv_unref((uv_handle_t *)&b->check);
  uv_idle_init(&b->loop.uv, &b->idle);

  lua_newtable(L);
  lua_pushlightuserdata(L, b);
  luaL_setfuncs(L, functions, 1);
  lua_setfield(L, core, "timers");
}
