/* Fuzz target: bindings/repl.c's REPL on piped input (`luanet -i` with
 * standard input from a pipe): its feed() that cuts what read() returns
 * into lines and hands them to the session, the end of input, and the
 * evaluation of each line (lua/repl.lua), in a sandbox (fz_sandbox). The
 * terminal side (libedit) needs a terminal and is not reached.
 *
 * Input: byte 0 seeds where the rest is cut into the writes to the pipe
 * (fz_cut; 0: one write); the rest is what is typed. Standard input is a
 * pipe for each input; the loop runs (inside lnb_run, as in the host)
 * between the writes, so feed() sees the lines cut as the writes cut them.
 * Should a line ever wait for input the fuzzer has not written yet, after
 * 200 ms a timer writes the rest and closes the pipe. Checked:
 *  - the session sees exactly the lines of the input, in order, each
 *    without its "\n", the last one too when it has no "\n", up to a
 *    line that closes it (.exit);
 *  - the REPL stops at the end of the input, and the loop then runs dry;
 *  - AddressSanitizer's checks on feed()'s buffer while the lines run
 *    (issue 8's use-after-free, when a line ran the loop again). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "luanet.h"

/* Records every line a session gets and whether one closed. Returns
 * reset() and check(text). */
static const char record[] =
    "return function()\n"
    "  local REPLServer = require('repl').REPLServer\n"
    "  local line, close = REPLServer._line, REPLServer.close\n"
    "  local checkLines = fuzzCheckLines\n"
    "  local seen, closed = {}, false\n"
    "  function REPLServer._line(self, l)\n"
    "    seen[#seen + 1] = l\n"
    "    return line(self, l)\n"
    "  end\n"
    "  function REPLServer.close(self)\n"
    "    closed = true\n"
    "    return close(self)\n"
    "  end\n"
    "  local function reset() seen, closed = {}, false end\n"
    "  local function check(text)\n"
    "    local expect = {}\n"
    "    for l in text:gmatch('([^\\n]*)\\n') do expect[#expect + 1] = l end\n"
    "    local last = text:match('[^\\n]+$')\n"
    "    if last then expect[#expect + 1] = last end\n"
    "    checkLines(seen, expect, closed)\n"
    "  end\n"
    "  return reset, check\n"
    "end\n";

/* What the watchdog writes: the rest of the input, then the end. */
static const uint8_t *volatile rest;
static volatile size_t rest_len;
static volatile int writer = -1;
static timer_t watchdog;

static void flush_rest(int sig) {
  (void)sig;
  if (writer < 0)
    return;
  if (rest_len > 0)
    syscall(SYS_write, writer, rest, rest_len);
  rest_len = 0;
  syscall(SYS_close, writer);
  writer = -1;
}

static void arm(int on) {
  struct itimerspec t = {{0, 0}, {0, on ? 200000000 : 0}};
  timer_settime(watchdog, 0, &t, NULL);
}

static void make_watchdog(void) {
  struct sigevent ev = {0};
  struct sigaction sa = {0};
  sa.sa_handler = flush_rest;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGRTMIN + 1, &sa, NULL);
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGRTMIN + 1;
  FZ_ASSERT(timer_create(CLOCK_MONOTONIC, &ev, &watchdog) == 0, "timer");
}

static int available(void) {
  int n = 0;
  return ioctl(STDIN_FILENO, FIONREAD, &n) == 0 ? n : 0;
}

/* The loop runs as the host runs it, inside lnb_run (which is what makes
 * a nested luanet.run() refuse), and an idle handle stops it once the
 * REPL has read what the pipe holds (pump) or has stopped (drain). The
 * handle's data is NULL: luanet's walkers leave it alone. */
static uv_idle_t pumper;
static lnb_t *pumped;
static int draining;

static void on_idle(uv_idle_t *idle) {
  (void)idle;
  if (pumped->repl == NULL || (!draining && available() == 0))
    uv_stop(&pumped->loop.uv);
}

static void pump(lnb_t *b, lua_State *L, int drain) {
  if (pumped == NULL) {
    uv_idle_init(&b->loop.uv, &pumper);
    uv_unref((uv_handle_t *)&pumper);
    pumped = b;
  }
  draining = drain;
  uv_idle_start(&pumper, on_idle);
  if (lnb_run(b, L))
    lua_pop(L, 1); /* an uncaught error of the typed code: not ours */
  uv_idle_stop(&pumper);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  lua_State *L = fz_lua();
  lnb_t *b = lnb_get(L);
  static int ready;
  int fds[2], err;
  uint32_t seed = size > 0 ? data[0] : 0;
  size_t pos = 1;

  if (!ready) {
    make_watchdog();
    fz_sandbox(L);
    fz_function(L, "=record", record);
    lua_call(L, 0, 2);
    lua_setfield(L, LUA_REGISTRYINDEX, "fz.check");
    lua_setfield(L, LUA_REGISTRYINDEX, "fz.reset");
    ready = 1;
  }
  lua_getfield(L, LUA_REGISTRYINDEX, "fz.reset");
  lua_call(L, 0, 0);

  FZ_ASSERT(pipe2(fds, O_CLOEXEC) == 0, "pipe: %d", errno);
  FZ_ASSERT(dup2(fds[0], STDIN_FILENO) == STDIN_FILENO, "dup2: %d", errno);
  close(fds[0]);
  fz_begin(3000, 64u << 20);
  err = lnb_repl_start(b, L);
  FZ_ASSERT(err == 0, "lnb_repl_start: %s", uv_strerror(err));
  writer = fds[1];
  while (pos < size && b->repl != NULL && writer >= 0) {
    size_t n = fz_cut(&seed, size - pos);
    FZ_ASSERT(write(fds[1], data + pos, n) == (ssize_t)n, "write: %d", errno);
    pos += n;
    rest = data + pos;
    rest_len = size - pos;
    arm(1);
    pump(b, L, 0);
    arm(0);
  }
  rest_len = 0;
  flush_rest(0); /* closes the pipe, if the watchdog has not */
  pump(b, L, 1);
  FZ_ASSERT(b->repl == NULL, "the REPL did not stop at the end of input");
  fz_begin(3000, 64u << 20);
  fz_run_loop(L, 1); /* what the typed code started: closed */

  lua_getfield(L, LUA_REGISTRYINDEX, "fz.check");
  lua_pushlstring(L, (const char *)data + (size > 0), size - (size > 0));
  fz_begin(-1, 64u << 20);
  if (fz_pcall(L, 1, 0) != LUA_OK)
    FZ_ASSERT(0, "%s", luaL_tolstring(L, -1, NULL));
  lua_settop(L, 0);
  fz_restore(L);
  return 0;
}
