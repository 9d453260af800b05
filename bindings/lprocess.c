/* The primitives behind lua/process.lua: clock, memory, environment,
 * standard output, exit, signals, and nextTick. lua/process.lua checks
 * the arguments and raises Node's errors; these trust it. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
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

/* core.hrtimeNs() -> nanoseconds of the same clock, an integer */
static int p_hrtime_ns(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)uv_hrtime());
  return 1;
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

/* core.getenv(name) -> the variable's value, or nil */
static int p_getenv(lua_State *L) {
  const char *v = getenv(luaL_checkstring(L, 1));
  if (v == NULL)
    return 0;
  lua_pushstring(L, v);
  return 1;
}

/* core.setenv(name, value): value nil unsets it. A name libc refuses
 * (empty, or with '=') is ignored, as Node ignores it. */
static int p_setenv(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  if (lua_isnoneornil(L, 2))
    uv_os_unsetenv(name);
  else
    uv_os_setenv(name, luaL_checkstring(L, 2));
  return 0;
}

void lnb_write(lnb_t *b, int fd, const char *s, size_t len) {
  int line_start = len > 0 && s[len - 1] == '\n';
  if (b->repl != NULL)
    b->around_write(b->repl, 0, line_start);
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
  if (b->repl != NULL)
    b->around_write(b->repl, 1, line_start);
}

/* core.write(fd, s): writes all of s to fd (1 or 2) synchronously. */
static int p_write(lua_State *L) {
  size_t len;
  int fd = (int)luaL_checkinteger(L, 1);
  const char *s = luaL_checklstring(L, 2, &len);
  lnb_write(lnb_state(L), fd, s, len);
  return 0;
}

/* core.exit(code): ends the process now, with code. */
static int p_exit(lua_State *L) {
  fflush(NULL);
  exit((int)luaL_optinteger(L, 1, 0));
  return 0;
}

/* Pushes Node's errnoException(err, syscall): "syscall CODE", with code,
 * errno and syscall. */
static void push_errno(lua_State *L, int err, const char *syscall) {
  ln_event_t e;
  memset(&e, 0, sizeof(e));
  e.syscall = syscall;
  lnb_push_error(L, err, &e);
}

/* ---- terminals ---------------------------------------------------------- */

/* The terminal modes of standard input before setRawMode(true), restored
 * by setRawMode(false) and at exit. */
static struct termios cooked;
static int raw_fd = -1;

static void restore_cooked(void) {
  if (raw_fd >= 0)
    tcsetattr(raw_fd, TCSADRAIN, &cooked);
  raw_fd = -1;
}

/* core.setRawMode(fd, raw) -> nil, or an error table: libuv's
 * UV_TTY_MODE_RAW (no echo, no line editing, no signals from keys) or the
 * modes the terminal had. Node's tty.ReadStream.setRawMode. */
static int p_set_raw_mode(lua_State *L) {
  int fd = (int)luaL_checkinteger(L, 1), raw = lua_toboolean(L, 2);
  static int registered;
  struct termios t;

  if (!raw) {
    if (raw_fd == fd)
      restore_cooked();
    return 0;
  }
  if (raw_fd != fd && tcgetattr(fd, &cooked) != 0) {
    push_errno(L, -errno, "setRawMode");
    return 1;
  }
  t = cooked;
  t.c_iflag &= ~(tcflag_t)(BRKINT | ICRNL | INPCK | ISTRIP | IXON);
  t.c_oflag |= ONLCR;
  t.c_cflag |= CS8;
  t.c_lflag &= ~(tcflag_t)(ECHO | ICANON | IEXTEN | ISIG);
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  if (tcsetattr(fd, TCSADRAIN, &t) != 0) {
    push_errno(L, -errno, "setRawMode");
    return 1;
  }
  raw_fd = fd;
  if (!registered)
    registered = atexit(restore_cooked) == 0;
  return 0;
}

/* core.winsize(fd) -> columns, rows of the terminal fd, or nothing. */
static int p_winsize(lua_State *L) {
  struct winsize w;
  if (ioctl((int)luaL_checkinteger(L, 1), TIOCGWINSZ, &w) != 0)
    return 0;
  lua_pushinteger(L, w.ws_col);
  lua_pushinteger(L, w.ws_row);
  return 2;
}

/* core.fdType(fd) -> 'TTY', 'PIPE', 'TCP', 'FILE', 'UDP' or 'UNKNOWN', as
 * Node's guessHandleType names it. */
static int p_fd_type(lua_State *L) {
  lnb_push_fd_type(L, (int)luaL_checkinteger(L, 1));
  return 1;
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
 * One uv_signal_t per signal with listeners, unref'd as Node's are, in
 * the state's list; it calls core.onsignal(name, signum), which
 * lua/process.lua sets. Closing it restores the default disposition. */

typedef struct lnb_signal_s {
  uv_signal_t handle;
  struct lnb_signal_s *next;
  lnb_t *b;
  const char *name;
} signal_t;

/* os.constants.signals on Linux, aliases included. */
static const struct {
  const char *name;
  int signum;
} signals[] = {
    {"SIGHUP", SIGHUP},       {"SIGINT", SIGINT},     {"SIGQUIT", SIGQUIT},
    {"SIGILL", SIGILL},       {"SIGTRAP", SIGTRAP},   {"SIGABRT", SIGABRT},
    {"SIGIOT", SIGIOT},       {"SIGBUS", SIGBUS},     {"SIGFPE", SIGFPE},
    {"SIGKILL", SIGKILL},     {"SIGUSR1", SIGUSR1},   {"SIGSEGV", SIGSEGV},
    {"SIGUSR2", SIGUSR2},     {"SIGPIPE", SIGPIPE},   {"SIGALRM", SIGALRM},
    {"SIGTERM", SIGTERM},     {"SIGCHLD", SIGCHLD},
#ifdef SIGSTKFLT
    {"SIGSTKFLT", SIGSTKFLT},
#endif
    {"SIGCONT", SIGCONT},     {"SIGSTOP", SIGSTOP},   {"SIGTSTP", SIGTSTP},
    {"SIGTTIN", SIGTTIN},     {"SIGTTOU", SIGTTOU},   {"SIGURG", SIGURG},
    {"SIGXCPU", SIGXCPU},     {"SIGXFSZ", SIGXFSZ},   {"SIGVTALRM", SIGVTALRM},
    {"SIGPROF", SIGPROF},     {"SIGWINCH", SIGWINCH},
#ifdef SIGIO
    {"SIGIO", SIGIO},
#endif
#ifdef SIGPOLL
    {"SIGPOLL", SIGPOLL},
#endif
#ifdef SIGPWR
    {"SIGPWR", SIGPWR},
#endif
    {"SIGSYS", SIGSYS},       {NULL, 0}};

static void signal_free(uv_handle_t *handle) {
  free(handle);
}

/* Takes sig out of its state's list and closes it. */
static void signal_close(signal_t *sig) {
  signal_t **p = &sig->b->signals;
  while (*p != NULL && *p != sig)
    p = &(*p)->next;
  if (*p == sig)
    *p = sig->next;
  uv_close((uv_handle_t *)&sig->handle, signal_free);
}

/* The loop's closer (luanet._closeAll, the state's end). */
static void signal_closer(uv_handle_t *handle) {
  signal_close((signal_t *)handle);
}
static const ln_close_fn signal_close_fn = signal_closer;

/* core.onsignal(name, signum): run by lnb_protect with the signal at 1. */
static int signal_call(lua_State *L) {
  signal_t *sig = lua_touserdata(L, 1);
  lua_rawgeti(L, LUA_REGISTRYINDEX, sig->b->core_ref);
  lua_getfield(L, -1, "onsignal");
  lua_pushstring(L, sig->name);
  lua_pushinteger(L, sig->handle.signum);
  lua_call(L, 2, 0);
  return 0;
}

static void on_signal(uv_signal_t *handle, int signum) {
  signal_t *sig = (signal_t *)handle;
  lnb_t *b = sig->b;
  (void)signum;
  ln_loop_enter(&b->loop);
  lnb_protect(b, signal_call, sig);
  ln_loop_leave(&b->loop);
}

/* core.signal(name, on) -> nil, or an error table: starts watching the
 * signal name (a key of core.signals) or stops. Starting twice, or
 * stopping what is not watched, does nothing. The error is Node's
 * "uv_signal_start EINVAL" for SIGKILL and SIGSTOP. */
static int p_signal(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  int on = lua_toboolean(L, 2), signum = 0, err;
  lnb_t *b = lnb_state(L);
  signal_t *sig;

  for (size_t i = 0; signals[i].name != NULL; i++)
    if (strcmp(signals[i].name, name) == 0)
      signum = signals[i].signum;
  if (signum == 0)
    return luaL_argerror(L, 1, "not a signal");
  for (sig = b->signals; sig != NULL; sig = sig->next)
    if (strcmp(sig->name, name) == 0)
      break;
  if (!on) {
    if (sig != NULL)
      signal_close(sig);
    return 0;
  }
  if (sig != NULL)
    return 0;
  if ((sig = malloc(sizeof(*sig))) == NULL)
    return luaL_error(L, "out of memory");
  uv_signal_init(&b->loop.uv, &sig->handle);
  sig->handle.data = (void *)&signal_close_fn;
  sig->b = b;
  sig->next = b->signals;
  b->signals = sig;
  for (size_t i = 0; signals[i].name != NULL; i++)
    if (strcmp(signals[i].name, name) == 0)
      sig->name = signals[i].name; /* static: outlives the argument */
  uv_unref((uv_handle_t *)&sig->handle);
  if ((err = uv_signal_start(&sig->handle, on_signal, signum)) != 0) {
    signal_close(sig);
    push_errno(L, err, "uv_signal_start");
    return 1;
  }
  return 0;
}

/* core.kill(pid, signum) -> nil, or Node's "kill ESRCH"-style error. */
static int p_kill(lua_State *L) {
  int pid = (int)luaL_checkinteger(L, 1);
  int signum = (int)luaL_checkinteger(L, 2);
  int err = uv_kill(pid, signum);
  if (err == 0)
    return 0;
  push_errno(L, err, "kill");
  return 1;
}

static const luaL_Reg functions[] = {
    {"hrtime", p_hrtime}, {"hrtimeNs", p_hrtime_ns},
    {"rss", p_rss},       {"env", p_env},
    {"getenv", p_getenv}, {"setenv", p_setenv},
    {"write", p_write},   {"exit", p_exit},
    {"isatty", p_isatty}, {"cwd", p_cwd},
    {"nextTick", p_next_tick}, {"signal", p_signal},
    {"kill", p_kill},     {"setRawMode", p_set_raw_mode},
    {"winsize", p_winsize}, {"fdType", p_fd_type},
    {NULL, NULL}};

void lnb_open_process(lua_State *L, lnb_t *b) {
  lua_pushlightuserdata(L, b);
  luaL_setfuncs(L, functions, 1);
  lua_pushinteger(L, (lua_Integer)uv_os_getpid());
  lua_setfield(L, -2, "pid");
  lua_pushinteger(L, (lua_Integer)uv_os_getppid());
  lua_setfield(L, -2, "ppid");
  lua_pushliteral(L, "linux");
  lua_setfield(L, -2, "platform");
#if defined(__x86_64__)
  lua_pushliteral(L, "x64");
#elif defined(__aarch64__)
  lua_pushliteral(L, "arm64");
#elif defined(__i386__)
  lua_pushliteral(L, "ia32");
#elif defined(__arm__)
  lua_pushliteral(L, "arm");
#else
  lua_pushliteral(L, "unknown");
#endif
  lua_setfield(L, -2, "arch");
}

/* The fields of core (on top of L) that an empty script does not read,
 * made at the first read of a field core lacks (luanet.c's core_index):
 * execPath, errno, signals. */
void lnb_open_process_tables(lua_State *L) {
  char path[4096];
  size_t len = sizeof(path);

  if (uv_exepath(path, &len) == 0) {
    lua_pushlstring(L, path, len);
    lua_setfield(L, -2, "execPath");
  }
  /* core.errno: libuv's code of each error name ('EALREADY' = -114 on
   * Linux), for the system errors lua/ builds as Node does. */
  lua_createtable(L, 0, 80);
#define XX(code, _)                                                            \
  lua_pushinteger(L, UV_##code);                                               \
  lua_setfield(L, -2, #code);
  UV_ERRNO_MAP(XX)
#undef XX
  lua_setfield(L, -2, "errno");
  lua_createtable(L, 0, sizeof(signals) / sizeof(signals[0]));
  for (size_t i = 0; signals[i].name != NULL; i++) {
    lua_pushinteger(L, signals[i].signum);
    lua_setfield(L, -2, signals[i].name);
  }
  lua_setfield(L, -2, "signals");
}
