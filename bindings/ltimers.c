/* Node's timers: setTimeout, setInterval, setImmediate, their clear*
 * functions, and the Timeout and Immediate objects, as lib/timers.js and
 * lib/internal/timers.js behave.
 *
 * A Timeout owns a uv_timer_t, allocated apart from the userdata so that
 * a finaliser can close it and libuv free it later. While the timer is
 * started the registry holds the userdata, so it lives as long as libuv
 * may call back into it. Immediates are a FIFO run from a uv_check_t;
 * an idle handle keeps poll from blocking while a ref'd one waits.
 *
 * Each callback runs in its own scope, so the nextTick queue runs after
 * it. When a callback raises and an 'uncaughtException' listener takes
 * the error, Node runs the ticks it queued only after the next callback
 * of the same phase: b->carry keeps that scope open until then. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "luanet.h"

#define TIMEOUT_T "luanet.Timeout"
#define IMMEDIATE_T "luanet.Immediate"
#define TIMEOUT_MAX 2147483647 /* ms, Node's TIMEOUT_MAX */
#define CALL_UV 2 /* the user value holding the call (1: lclass.c's) */

typedef struct lnb_timer_s lnb_timer_t;

typedef struct {
  uv_timer_t handle;
  lnb_timer_t *owner; /* NULL once the userdata is finalised */
} timer_handle_t;

struct lnb_timer_s {
  timer_handle_t *h; /* NULL once closed */
  lnb_t *b;
  int ref;          /* the registry's hold while started */
  int refed;        /* hasRef() */
  int repeat;       /* setInterval */
  int destroyed;    /* Node's _destroyed: fired (a timeout) or cleared */
  int dropped;      /* cleared: its callback is gone (_onTimeout null) */
  int unenrolled;   /* _idleTimeout is -1: refresh() does nothing */
  lua_Number after; /* _idleTimeout, in ms, as Node keeps it */
};

typedef struct lnb_immediate_s {
  struct lnb_immediate_s *next;
  int ref;       /* the registry's hold while queued */
  int refed;     /* hasRef(); cleared once it ran or was cleared */
  int destroyed; /* Node's _destroyed: ran or cleared */
} lnb_immediate_t;

static void update_idle(lnb_t *b);

/* ---- shared ------------------------------------------------------------- */

/* A userdata of the class tname with a third user value for the call
 * (1 and 2 are the class's: events, own fields). */
static void *new_object(lua_State *L, size_t size, const char *tname) {
  void *p = lua_newuserdatauv(L, size, CALL_UV);
  luaL_setmetatable(L, tname);
  return p;
}

/* Stores { n, fn, args... } in the call user value of the userdata at ud:
 * fn at fn_idx, the arguments from first to last (none when first > last).
 * Trailing nils are kept: n counts them. */
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
  lua_setiuservalue(L, ud, CALL_UV);
}

/* Calls the stored call of the userdata at 2: run by lnb_protect. */
static int stored_call(lua_State *L) {
  int n;
  lua_getiuservalue(L, 2, CALL_UV);
  lua_pushliteral(L, "n");
  lua_rawget(L, -2);
  n = (int)lua_tointeger(L, -1);
  lua_pop(L, 1);
  luaL_checkstack(L, n + 2, "too many arguments to a timer");
  for (int i = 1; i <= n; i++)
    lua_rawgeti(L, 3, i);
  lua_call(L, n - 1, 0);
  return 0;
}

/* Calls the stored call of the userdata at idx through the gate. Returns
 * 1 if it raised. */
static int call_stored(lnb_t *b, lua_State *L, int idx) {
  lnb_protect_begin(b, stored_call, NULL);
  lua_pushvalue(L, idx);
  return lnb_protect_end(b, 1);
}

/* validateFunction(callback, 'callback'), Node's first check. */
static void check_callback(lua_State *L) {
  if (!lua_isfunction(L, 1)) {
    lua_settop(L, 1); /* nil when there is no argument at all */
    lua_pushliteral(L, "callback");
    lua_pushliteral(L, "function");
    lua_pushvalue(L, 1);
    lnb_raise(L, "invalidArgType", 3);
  }
}

/* Opens the scope of a timer or immediate callback; after one that
 * raised, takes over the scope it left open. */
static void scope_enter(lnb_t *b) {
  if (b->carry)
    b->carry = 0;
  else
    ln_loop_enter(&b->loop);
}

/* Closes it, running the ticks; after a raise that a listener took, keeps
 * it open for the next callback (or the idle handle) to close. */
static void scope_leave(lnb_t *b, int failed) {
  if (failed && !b->fatal) {
    b->carry = 1;
    update_idle(b);
  } else {
    ln_loop_leave(&b->loop);
  }
}

/* Closes a scope left open, if any: the end of a phase. */
static void scope_flush(lnb_t *b) {
  if (b->carry) {
    b->carry = 0;
    ln_loop_leave(&b->loop);
  }
}

/* ---- Timeout ------------------------------------------------------------ */

static void handle_free(uv_handle_t *handle) {
  free(handle);
}

/* Holds the userdata at idx in the registry while the timer is started,
 * lets it go otherwise. */
static void sync_hold(lua_State *L, lnb_timer_t *t, int idx) {
  int active = t->h != NULL && uv_is_active((uv_handle_t *)&t->h->handle);
  if (active && t->ref == LUA_NOREF) {
    lua_pushvalue(L, idx);
    t->ref = luaL_ref(L, LUA_REGISTRYINDEX);
  } else if (!active && t->ref != LUA_NOREF) {
    luaL_unref(L, LUA_REGISTRYINDEX, t->ref);
    t->ref = LUA_NOREF;
  }
}

/* The loop's closer (luanet._closeAll, the state's end): the timer is
 * cleared and its handle closed. */
static void handle_closer(uv_handle_t *handle) {
  lnb_timer_t *t = ((timer_handle_t *)handle)->owner;
  if (t != NULL) {
    t->h = NULL;
    t->destroyed = t->dropped = t->unenrolled = 1;
    if (t->ref != LUA_NOREF) {
      luaL_unref(t->b->L, LUA_REGISTRYINDEX, t->ref);
      t->ref = LUA_NOREF;
    }
  }
  uv_close(handle, handle_free);
}
static const ln_close_fn handle_close_fn = handle_closer;

static void on_timer(uv_timer_t *handle) {
  lnb_timer_t *t = ((timer_handle_t *)handle)->owner;
  lnb_t *b = t->b;
  lua_State *L = b->L;
  int top = lua_gettop(L), failed;

  if (b->fatal) {
    /* The loop is stopping on an uncaught error: this one waits for the
     * next run() (1 ms, as 0 would be due again in this very pass). */
    uv_timer_start(handle, on_timer, 1, uv_timer_get_repeat(handle));
    return;
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, t->ref);
  if (t->dropped) { /* cleared after it fired, then refreshed: Node's no-op */
    t->destroyed = 1;
    sync_hold(L, t, top + 1);
    lua_settop(L, top);
    return;
  }
  scope_enter(b);
  failed = call_stored(b, L, top + 1);
  /* A timeout that was not refreshed from its callback is done. */
  if (t->h == NULL || !uv_is_active((uv_handle_t *)&t->h->handle))
    t->destroyed = 1;
  sync_hold(L, t, top + 1);
  lua_settop(L, top);
  scope_leave(b, failed);
}

/* (Re)starts the timer at idx for its full delay from now: Node reads
 * the clock afresh (GetNowUint64), not the loop's cached time, which is
 * stale when a timer is made outside a callback. */
static void timer_start(lua_State *L, lnb_timer_t *t, int idx) {
  uint64_t ms = (uint64_t)t->after;
  uv_update_time(&t->b->loop.uv);
  uv_timer_start(&t->h->handle, on_timer, ms, t->repeat ? ms : 0);
  t->destroyed = 0;
  sync_hold(L, t, idx);
}

/* Calls core.timeoutOverflow(after) (lua/timers.lua): Node's
 * TimeoutOverflowWarning. */
static void overflow_warning(lua_State *L, lnb_t *b, lua_Number after) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, b->core_ref);
  lua_getfield(L, -1, "timeoutOverflow");
  lua_remove(L, -2);
  if (!lua_isfunction(L, -1)) {
    lua_pop(L, 1);
    return;
  }
  lua_pushnumber(L, after);
  lua_call(L, 1, 0);
}

/* Node's `after *= 1`: a number, or a string that reads as one; anything
 * else is NaN. Outside 1..TIMEOUT_MAX (NaN too) the delay is 1 ms, with
 * a warning when it is too large. */
static lua_Number delay_arg(lua_State *L, lnb_t *b, int idx) {
  lua_Number after = NAN;
  int t = lua_type(L, idx);
  if ((t == LUA_TNUMBER || t == LUA_TSTRING) && lua_isnumber(L, idx))
    after = lua_tonumber(L, idx);
  else if (t == LUA_TBOOLEAN)
    after = lua_toboolean(L, idx);
  if (after >= 1 && after <= TIMEOUT_MAX)
    return after;
  if (after > TIMEOUT_MAX)
    overflow_warning(L, b, after);
  return 1;
}

static int new_timer(lua_State *L, int repeat) {
  lnb_t *b = lnb_state(L);
  int nargs = lua_gettop(L), ud;
  lua_Number after;
  lnb_timer_t *t;

  check_callback(L);
  after = delay_arg(L, b, 2);
  t = new_object(L, sizeof(*t), TIMEOUT_T);
  ud = lua_gettop(L);
  t->h = NULL;
  t->b = b;
  t->ref = LUA_NOREF;
  t->refed = 1;
  t->repeat = repeat;
  t->destroyed = t->dropped = t->unenrolled = 0;
  t->after = after;
  store_call(L, ud, 1, 3, nargs);
  if ((t->h = malloc(sizeof(*t->h))) == NULL)
    return luaL_error(L, "out of memory");
  uv_timer_init(&b->loop.uv, &t->h->handle);
  t->h->handle.data = (void *)&handle_close_fn;
  t->h->owner = t;
  timer_start(L, t, ud);
  return 1;
}

/* setTimeout(fn[, ms[, ...]]) -> Timeout: fn(...) once, after ms. */
static int set_timeout(lua_State *L) {
  return new_timer(L, 0);
}

/* setInterval(fn[, ms[, ...]]) -> Timeout: fn(...) every ms. */
static int set_interval(lua_State *L) {
  return new_timer(L, 1);
}

/* clearTimeout(t), clearInterval(t): t will not fire again; anything that
 * is not a Timeout is ignored, as Node ignores it. As Node's unenroll, a
 * timeout that already fired keeps its delay, so a refresh() restarts it
 * (and it fires without calling anything). */
static int clear_timer(lua_State *L) {
  lnb_timer_t *t = luaL_testudata(L, 1, TIMEOUT_T);
  if (t == NULL || t->dropped)
    return 0;
  t->dropped = 1;
  if (t->destroyed)
    return 0;
  t->destroyed = t->unenrolled = 1;
  if (t->h != NULL)
    uv_timer_stop(&t->h->handle);
  sync_hold(L, t, 1);
  return 0;
}

/* The Timeout at index 1 of a method, else raises errors.invalidThis:
 * timeout.unref() names the fix. */
static lnb_timer_t *check_timer(lua_State *L) {
  lnb_timer_t *t = luaL_testudata(L, 1, TIMEOUT_T);
  if (t == NULL) {
    lua_pushliteral(L, "Timeout");
    lua_pushvalue(L, 1);
    lua_pushinteger(L, 2); /* the method's level, seen from invalidThis */
    lnb_raise(L, "invalidThis", 3);
  }
  return t;
}

/* timeout:ref() -> timeout: it keeps the loop alive (the default). */
static int timer_ref(lua_State *L) {
  lnb_timer_t *t = check_timer(L);
  t->refed = 1;
  if (t->h != NULL)
    uv_ref((uv_handle_t *)&t->h->handle);
  lua_settop(L, 1);
  return 1;
}

/* timeout:unref() -> timeout: it no longer keeps the loop alive. */
static int timer_unref(lua_State *L) {
  lnb_timer_t *t = check_timer(L);
  t->refed = 0;
  if (t->h != NULL)
    uv_unref((uv_handle_t *)&t->h->handle);
  lua_settop(L, 1);
  return 1;
}

/* timeout:hasRef() -> boolean */
static int timer_has_ref(lua_State *L) {
  lua_pushboolean(L, check_timer(L)->refed);
  return 1;
}

/* timeout:refresh() -> timeout: starts the full delay again from now,
 * even after it fired; does nothing once it was cleared. */
static int timer_refresh(lua_State *L) {
  lnb_timer_t *t = check_timer(L);
  if (t->h != NULL && !t->unenrolled)
    timer_start(L, t, 1);
  lua_settop(L, 1);
  return 1;
}

/* timeout:close() -> timeout: clearTimeout(timeout). */
static int timer_close(lua_State *L) {
  check_timer(L);
  clear_timer(L);
  lua_settop(L, 1);
  return 1;
}

/* __gc: the userdata goes; libuv frees the handle once it is closed. */
static int timer_gc(lua_State *L) {
  lnb_timer_t *t = check_timer(L);
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
                  (int)t->after, (void *)t);
  return 1;
}

/* Pushes a number of ms as Node holds it: an integer when it is one. */
static void push_ms(lua_State *L, lua_Number ms) {
  if (ms == floor(ms))
    lua_pushinteger(L, (lua_Integer)ms);
  else
    lua_pushnumber(L, ms);
}

/* timeout._repeat -> the interval's delay, or nil for a timeout */
static int timer_get_repeat(lua_State *L) {
  lnb_timer_t *t = check_timer(L);
  if (!t->repeat)
    return 0;
  push_ms(L, t->after);
  return 1;
}

/* timeout._idleTimeout -> the delay, or -1 once cleared */
static int timer_get_idle(lua_State *L) {
  lnb_timer_t *t = check_timer(L);
  push_ms(L, t->unenrolled ? -1 : t->after);
  return 1;
}

/* timeout._destroyed -> boolean */
static int timer_get_destroyed(lua_State *L) {
  lua_pushboolean(L, check_timer(L)->destroyed);
  return 1;
}

/* ---- Immediate ---------------------------------------------------------- */

/* The idle handle: while a ref'd immediate waits it keeps the loop alive
 * and poll from blocking, as Node's immediate_idle_handle; after a
 * raise in a timer, it ends the timers phase's open scope. */
static void on_idle(uv_idle_t *idle) {
  lnb_t *b = (lnb_t *)((char *)idle - offsetof(lnb_t, idle));
  scope_flush(b);
  update_idle(b);
}

static void update_idle(lnb_t *b) {
  if (b->immediates_refed > 0 || b->carry)
    uv_idle_start(&b->idle, on_idle);
  else
    uv_idle_stop(&b->idle);
}

/* Marks im done: it counts no more. */
static void immediate_done(lnb_t *b, lnb_immediate_t *im) {
  if (im->refed && !im->destroyed)
    b->immediates_refed--;
  im->refed = 0;
  im->destroyed = 1;
}

static void on_check(uv_check_t *check) {
  lnb_t *b = (lnb_t *)((char *)check - offsetof(lnb_t, check));
  lua_State *L = b->L;
  lnb_immediate_t *im = b->immediates, *last;

  /* Only those queued before this turn run now, as in Node. */
  b->immediates = b->immediates_tail = NULL;
  while (im != NULL && !b->fatal) {
    lnb_immediate_t *next = im->next;
    int top = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, im->ref);
    luaL_unref(L, LUA_REGISTRYINDEX, im->ref);
    im->ref = LUA_NOREF;
    im->next = NULL;
    if (!im->destroyed) {
      immediate_done(b, im);
      scope_enter(b);
      scope_leave(b, call_stored(b, L, top + 1));
    }
    lua_settop(L, top);
    im = next;
  }
  if (im != NULL) {
    /* The loop stops on an uncaught error: the rest stay queued. */
    for (last = im; last->next != NULL; last = last->next)
      ;
    last->next = b->immediates;
    if (b->immediates == NULL)
      b->immediates_tail = last;
    b->immediates = im;
  }
  scope_flush(b);
  update_idle(b);
}

/* setImmediate(fn[, ...]) -> Immediate: fn(...) after this turn's I/O. */
static int set_immediate(lua_State *L) {
  lnb_t *b = lnb_state(L);
  int nargs = lua_gettop(L), ud;
  lnb_immediate_t *im;

  check_callback(L);
  im = new_object(L, sizeof(*im), IMMEDIATE_T);
  ud = lua_gettop(L);
  im->next = NULL;
  im->ref = LUA_NOREF;
  im->refed = 1;
  im->destroyed = 0;
  store_call(L, ud, 1, 2, nargs);
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

/* clearImmediate(im): it will not run; anything else is ignored. It
 * stays in the queue, skipped, until the next check phase. */
static int clear_immediate(lua_State *L) {
  lnb_immediate_t *im = luaL_testudata(L, 1, IMMEDIATE_T);
  if (im != NULL && !im->destroyed) {
    lnb_t *b = lnb_state(L);
    immediate_done(b, im);
    update_idle(b);
  }
  return 0;
}

/* The Immediate at index 1 of a method, as check_timer. */
static lnb_immediate_t *check_immediate(lua_State *L) {
  lnb_immediate_t *im = luaL_testudata(L, 1, IMMEDIATE_T);
  if (im == NULL) {
    lua_pushliteral(L, "Immediate");
    lua_pushvalue(L, 1);
    lua_pushinteger(L, 2); /* the method's level, seen from invalidThis */
    lnb_raise(L, "invalidThis", 3);
  }
  return im;
}

/* ref/unref of a waiting immediate; one that ran or was cleared stays
 * as it is (Node's kRefed is null then). */
static int immediate_set_ref(lua_State *L, int refed) {
  lnb_immediate_t *im = check_immediate(L);
  lnb_t *b = lnb_state(L);
  if (!im->destroyed && im->refed != refed) {
    im->refed = refed;
    b->immediates_refed += refed ? 1 : -1;
    update_idle(b);
  }
  lua_settop(L, 1);
  return 1;
}

/* immediate:ref() / :unref() -> immediate */
static int immediate_ref(lua_State *L) {
  return immediate_set_ref(L, 1);
}

static int immediate_unref(lua_State *L) {
  return immediate_set_ref(L, 0);
}

/* immediate:hasRef() -> boolean: false once it ran or was cleared */
static int immediate_has_ref(lua_State *L) {
  lua_pushboolean(L, check_immediate(L)->refed);
  return 1;
}

/* immediate._destroyed -> boolean */
static int immediate_get_destroyed(lua_State *L) {
  lua_pushboolean(L, check_immediate(L)->destroyed);
  return 1;
}

static int immediate_tostring(lua_State *L) {
  lua_pushfstring(L, "Immediate: %p", (void *)check_immediate(L));
  return 1;
}

/* ---- registration ------------------------------------------------------- */

static const luaL_Reg timer_methods[] = {{"ref", timer_ref},
                                         {"unref", timer_unref},
                                         {"hasRef", timer_has_ref},
                                         {"refresh", timer_refresh},
                                         {"close", timer_close},
                                         {NULL, NULL}};

static const luaL_Reg timer_getters[] = {
    {"_repeat", timer_get_repeat},
    {"_idleTimeout", timer_get_idle},
    {"_destroyed", timer_get_destroyed},
    {NULL, NULL}};

static const luaL_Reg immediate_methods[] = {{"ref", immediate_ref},
                                             {"unref", immediate_unref},
                                             {"hasRef", immediate_has_ref},
                                             {NULL, NULL}};

static const luaL_Reg immediate_getters[] = {
    {"_destroyed", immediate_get_destroyed}, {NULL, NULL}};

static const luaL_Reg functions[] = {{"setTimeout", set_timeout},
                                     {"setInterval", set_interval},
                                     {"setImmediate", set_immediate},
                                     {"clearTimeout", clear_timer},
                                     {"clearInterval", clear_timer},
                                     {"clearImmediate", clear_immediate},
                                     {NULL, NULL}};

/* Sets a metamethod of the metatable tname to f (with b as upvalue). */
static void set_meta(lua_State *L, lnb_t *b, const char *tname,
                     const char *event, lua_CFunction f) {
  luaL_getmetatable(L, tname);
  lua_pushlightuserdata(L, b);
  lua_pushcclosure(L, f, 1);
  lua_setfield(L, -2, event);
  lua_pop(L, 1);
}

void lnb_open_timers(lua_State *L, lnb_t *b) {
  int core = lua_gettop(L);

  lua_newtable(L);
  lua_pushlightuserdata(L, b);
  luaL_setfuncs(L, timer_methods, 1);
  lnb_class(L, TIMEOUT_T, -1, timer_getters, NULL);
  lua_pop(L, 1);
  set_meta(L, b, TIMEOUT_T, "__gc", timer_gc);
  set_meta(L, b, TIMEOUT_T, "__close", clear_timer); /* Symbol.dispose */
  set_meta(L, b, TIMEOUT_T, "__tostring", timer_tostring);

  lua_newtable(L);
  lua_pushlightuserdata(L, b);
  luaL_setfuncs(L, immediate_methods, 1);
  lnb_class(L, IMMEDIATE_T, -1, immediate_getters, NULL);
  lua_pop(L, 1);
  set_meta(L, b, IMMEDIATE_T, "__close", clear_immediate);
  set_meta(L, b, IMMEDIATE_T, "__tostring", immediate_tostring);

  uv_check_init(&b->loop.uv, &b->check);
  uv_check_start(&b->check, on_check);
  uv_unref((uv_handle_t *)&b->check);
  uv_idle_init(&b->loop.uv, &b->idle);

  lua_newtable(L);
  lua_pushlightuserdata(L, b);
  luaL_setfuncs(L, functions, 1);
  lua_setfield(L, core, "timers");
}
