/* The primitives behind lua/process.lua: clock, memory, environment,
 * standard output, exit, signals, and nextTick. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "luanet.h"

extern char **environ;

/* core.hrtime() -> seconds, nanoseconds (monotonic clock) */
static int p_hrtime(lua_State *L) {
  uint64_t t = uv_hrtime();
  lua_pushinteger(L, (lua_Integer)(t / 1000000000u));
  lua_pushinteger(L, (lua_Integer)(t % 1000000000u));
  return 2;
}

/* core.rss() -> resident set size in bytes */
static int p_rss(lua_State *L) {
  size_t rss = 0;
  uv_resident_set_memory(&rss);
  lua_pushinteger(L, (lua_Integer)rss);
  return 1;
}

/* core.env() -> a new table of the environment's variables */
static int p_env(lua_State *L) {
  lua_newtable(L);
  for (char **e = environ; e != NULL && *e != NULL; e++) {
    const char *eq = strchr(*e, '=');
    if (eq == NULL)
      continue;
    lua_pushlstring(L, *e, (size_t)(eq - *e));
    lua_pushstring(L, eq + 1);
    lua_rawset(L, -3);
  }
  return 1;
}

/* core.write(fd, s): writes all of s to fd (1 or 2) synchronously, as
 * Node writes to files and pipes. Errors are ignored, as Node ignores
 * EPIPE on standard output. */
static int p_write(lua_State *L) {
  int fd = (int)luaL_checkinteger(L, 1);
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  while (len > 0) {
    ssize_t n = write(fd, s, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && errno == EAGAIN) {
      struct pollfd p = {fd, POLLOUT, 0};
      poll(&p, 1, -1);
      continue;
    }
    if (n <= 0)
      break;
    s += n;
    len -= (size_t)n;
  }
  return 0;
}

/* core.exit(code): ends the process now, with code. */
static int p_exit(lua_State *L) {
  fflush(NULL);
  exit((int)luaL_optinteger(L, 1, 0));
  return 0;
}

/* core.isatty(fd) -> boolean */
static int p_isatty(lua_State *L) {
  lua_pushboolean(L, isatty((int)luaL_checkinteger(L, 1)));
  return 1;
}

/* core.cwd() -> the working directory */
static int p_cwd(lua_State *L) {
  char buf[4096];
  size_t len = sizeof(buf);
  if (uv_cwd(buf, &len) != 0)
    return 0;
  lua_pushlstring(L, buf, len);
  return 1;
}

/* core.nextTick(fn, ...): fn(...) once the current callback is done. */
static int p_next_tick(lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lnb_next_tick(lnb_state(L), L, lua_gettop(L) - 1);
  return 0;
}

/* ---- signals -------------------------------------------------------------
 * One uv_signal_t per signal with listeners, unref'd as Node's are; it
 * calls core.onsignal(name), set by lua/process.lua. */

typedef struct {
  uv_signal_t handle;
  lnb_t *b;
  const char *name;
} signal_t;

static const struct {
  const char *name;
  int signum;
} signals[] = {{"SIGINT", SIGINT},   {"SIGTERM", SIGTERM},
               {"SIGHUP", SIGHUP},   {"SIGQUIT", SIGQUIT},
               {"SIGUSR1", SIGUSR1}, {"SIGUSR2", SIGUSR2},
               {"SIGPIPE", SIGPIPE}, {"SIGWINCH", SIGWINCH},
               {"SIGCHLD", SIGCHLD}, {"SIGALRM", SIGALRM},
               {"SIGCONT", SIGCONT}, {"SIGTSTP", SIGTSTP},
               {NULL, 0}};

static signal_t *watched[sizeof(signals) / sizeof(signals[0])];

static void signal_free(uv_handle_t *handle) {
  free(handle);
}

static void signal_closer(uv_handle_t *handle) {
  for (size_t i = 0; signals[i].name != NULL; i++)
    if (watched[i] == (signal_t *)handle)
      watched[i] = NULL;
  uv_close(handle, signal_free);
}
static const ln_close_fn signal_close_fn = signal_closer;

static void on_signal(uv_signal_t *handle, int signum) {
  signal_t *sig = (signal_t *)handle;
  lnb_t *b = sig->b;
  lua_State *L = b->L;
  (void)signum;
  ln_loop_enter(&b->loop);
  lua_rawgeti(L, LUA_REGISTRYINDEX, b->core_ref);
  lua_getfield(L, -1, "onsignal");
  lua_remove(L, -2);
  lua_pushstring(L, sig->name);
  lnb_call(b, 1);
  ln_loop_leave(&b->loop);
}

/* core.signal(name, on) -> boolean: starts or stops watching signal name;
 * false for a name that is not a signal. */
static int p_signal(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  int on = lua_toboolean(L, 2);
  lnb_t *b = lnb_state(L);

  for (size_t i = 0; signals[i].name != NULL; i++) {
    if (strcmp(signals[i].name, name) != 0)
      continue;
    if (on && watched[i] == NULL) {
      signal_t *sig = malloc(sizeof(*sig));
      if (sig == NULL)
        return luaL_error(L, "out of memory");
      uv_signal_init(&b->loop.uv, &sig->handle);
      sig->handle.data = (void *)&signal_close_fn;
      sig->b = b;
      sig->name = signals[i].name;
      uv_signal_start(&sig->handle, on_signal, signals[i].signum);
      uv_unref((uv_handle_t *)&sig->handle);
      watched[i] = sig;
    } else if (!on && watched[i] != NULL) {
      uv_close((uv_handle_t *)&watched[i]->handle, signal_free);
      watched[i] = NULL;
    }
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushboolean(L, 0);
  return 1;
}

/* core.kill(pid, name) -> boolean: sends signal name (for tests). */
static int p_kill(lua_State *L) {
  int pid = (int)luaL_checkinteger(L, 1);
  const char *name = luaL_checkstring(L, 2);
  for (size_t i = 0; signals[i].name != NULL; i++)
    if (strcmp(signals[i].name, name) == 0) {
      lua_pushboolean(L, uv_kill(pid, signals[i].signum) == 0);
      return 1;
    }
  lua_pushboolean(L, 0);
  return 1;
}

static const luaL_Reg functions[] = {
    {"hrtime", p_hrtime}, {"rss", p_rss},     {"env", p_env},
    {"write", p_write},   {"exit", p_exit},   {"isatty", p_isatty},
    {"cwd", p_cwd},       {"nextTick", p_next_tick},
    {"signal", p_signal}, {"kill", p_kill},   {NULL, NULL}};

void lnb_open_process(lua_State *L, lnb_t *b) {
  lua_pushlightuserdata(L, b);
  luaL_setfuncs(L, functions, 1);
  lua_pushinteger(L, (lua_Integer)uv_os_getpid());
  lua_setfield(L, -2, "pid");
  lua_pushliteral(L, "linux");
  lua_setfield(L, -2, "platform");
}
