/* luanet --workers N. The parent runs no Lua: a libuv loop that spawns
 * the host again for each worker (uv_spawn), watches them (the exit
 * callback), restarts those that die and passes signals on. A worker is
 * the host with LUANET_WORKER="ID N PARENT-PID" in its environment and a
 * pipe on descriptor 3, on which it says when its script has run. See
 * workers.h for the rules; docs/host.md for what users read. */
#define _GNU_SOURCE /* sigabbrev_np */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "workers.h"

extern char **environ;

#define WORKER_ENV "LUANET_WORKER"
#define READY_FD 3
#define QUICK_MS 10000   /* a worker that dies sooner died quickly */
#define BACKOFF_MS 100   /* the wait after the first quick death */
#define BACKOFF_MAX_MS 10000
#define MIGRATE_REQ "/proc/sys/net/ipv4/tcp_migrate_req"

struct supervisor_s;

typedef struct {
  uv_process_t proc;
  uv_pipe_t ready;  /* the worker's descriptor 3 */
  uv_timer_t timer; /* the wait before a restart */
  struct supervisor_s *sv;
  int id;
  int running;      /* spawned, not exited yet */
  int up;           /* its script has run */
  int closing;      /* handles of its last run not closed yet */
  int waiting;      /* a restart is due once closing is 0 and timer fires */
  uint64_t started; /* uv_now at the spawn, ms */
  unsigned quick;   /* quick deaths in a row */
  int last_status;  /* of the death a restart waits after */
} worker_t;

typedef struct supervisor_s {
  uv_loop_t loop;
  uv_signal_t signals[2]; /* SIGINT, SIGTERM */
  worker_t *workers;
  int n;
  char **argv;
  char exe[4096];
  char **env;     /* environ without LUANET_WORKER, a slot for it, NULL */
  size_t env_len; /* the index of the slot */
  char mark[64];  /* the slot's text, rewritten for each spawn */
  int stopping;   /* signals received: 0, 1, 2 or more */
  int all_started;
  int done;
  int status;     /* the first final status other than 0 */
} supervisor_t;

static int spawn(worker_t *w);

/* ---- handles of one run of a worker ------------------------------------ */

static void on_closed(uv_handle_t *handle) {
  worker_t *w = handle->data;
  if (--w->closing == 0 && w->waiting && !uv_is_active((uv_handle_t *)&w->timer))
    spawn(w); /* the back-off has passed already */
}

static void close_run(worker_t *w) {
  if (!uv_is_closing((uv_handle_t *)&w->proc)) {
    w->closing++;
    uv_close((uv_handle_t *)&w->proc, on_closed);
  }
  if (!uv_is_closing((uv_handle_t *)&w->ready)) {
    w->closing++;
    uv_close((uv_handle_t *)&w->ready, on_closed);
  }
}

static void finish_if_done(supervisor_t *sv) {
  if (sv->done)
    return;
  for (int i = 0; i < sv->n; i++)
    if (sv->workers[i].running || sv->workers[i].waiting)
      return;
  sv->done = 1;
  for (int i = 0; i < 2; i++)
    uv_close((uv_handle_t *)&sv->signals[i], NULL);
  for (int i = 0; i < sv->n; i++)
    uv_close((uv_handle_t *)&sv->workers[i].timer, NULL);
}

static void start_others(supervisor_t *sv) {
  sv->all_started = 1;
  for (int i = 1; i < sv->n; i++)
    if (spawn(&sv->workers[i]) != 0 && sv->status == 0)
      sv->status = 1;
}

static void alloc_byte(uv_handle_t *handle, size_t size, uv_buf_t *buf) {
  static char byte[16];
  (void)handle;
  (void)size;
  *buf = uv_buf_init(byte, sizeof(byte));
}

/* A byte on descriptor 3: the worker's script has run. Then its end. */
static void on_ready(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf) {
  worker_t *w = stream->data;
  supervisor_t *sv = w->sv;
  (void)buf;
  if (nread > 0 && !w->up) {
    w->up = 1;
    if (!sv->all_started && !sv->stopping)
      start_others(sv);
  } else if (nread < 0) {
    uv_read_stop(stream);
  }
}

static void on_timer(uv_timer_t *timer) {
  worker_t *w = timer->data;
  if (w->waiting && w->closing == 0)
    spawn(w);
}

/* The status a shell reports: the exit code, or 128 + the signal. */
static int shell_status(int64_t exit_status, int term_signal) {
  return term_signal != 0 ? 128 + term_signal : (int)(exit_status & 0xff);
}

static void on_worker_exit(uv_process_t *proc, int64_t exit_status, int term_signal) {
  worker_t *w = proc->data;
  supervisor_t *sv = w->sv;
  int status = shell_status(exit_status, term_signal);
  uint64_t lived = uv_now(&sv->loop) - w->started, wait = 0;

  w->running = 0;
  close_run(w);
  if (!sv->all_started) {
    /* Worker 0 ended before the others started: its error, if it had
     * one, is printed once, and nothing more is started. */
    if (status != 0 && !sv->stopping)
      fprintf(stderr, "luanet: worker 0 failed at start (status %d); not "
              "starting the others\n", status);
    sv->all_started = 1;
    sv->stopping = sv->stopping ? sv->stopping : 1;
  }
  if (sv->stopping || status == 0) {
    if (status != 0 && sv->status == 0)
      sv->status = status;
    finish_if_done(sv);
    return;
  }
  if (lived >= QUICK_MS) {
    w->quick = 0;
  } else {
    wait = (uint64_t)BACKOFF_MS << (w->quick < 7 ? w->quick : 7);
    wait = wait < BACKOFF_MAX_MS ? wait : BACKOFF_MAX_MS;
    w->quick++;
  }
  if (term_signal != 0)
    fprintf(stderr, "luanet: worker %d (pid %d) killed by SIG%s; restarting "
            "it", w->id, proc->pid, sigabbrev_np(term_signal) != NULL ?
            sigabbrev_np(term_signal) : "?");
  else
    fprintf(stderr, "luanet: worker %d (pid %d) exited with status %d; "
            "restarting it", w->id, proc->pid, status);
  if (wait > 0)
    fprintf(stderr, " in %.1f s\n", (double)wait / 1000);
  else
    fputc('\n', stderr);
  w->waiting = 1;
  w->last_status = status;
  uv_timer_start(&w->timer, on_timer, wait, 0);
}

/* Spawns the worker's next run. Returns 0 or a libuv error (printed). */
static int spawn(worker_t *w) {
  supervisor_t *sv = w->sv;
  uv_process_options_t o;
  uv_stdio_container_t stdio[READY_FD + 1];
  int err;

  w->waiting = 0;
  w->up = 0;
  memset(&o, 0, sizeof(o));
  snprintf(sv->mark, sizeof(sv->mark), WORKER_ENV "=%d %d %d", w->id, sv->n,
           (int)getpid());
  sv->env[sv->env_len] = sv->mark; /* uv_spawn copies it before it returns */
  for (int fd = 0; fd < READY_FD; fd++) {
    stdio[fd].flags = UV_INHERIT_FD;
    stdio[fd].data.fd = fd;
  }
  uv_pipe_init(&sv->loop, &w->ready, 0);
  w->ready.data = w;
  stdio[READY_FD].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
  stdio[READY_FD].data.stream = (uv_stream_t *)&w->ready;
  o.file = sv->exe;
  o.args = sv->argv;
  o.env = sv->env;
  o.stdio = stdio;
  o.stdio_count = READY_FD + 1;
  o.exit_cb = on_worker_exit;
  /* Its own session: a terminal's Ctrl-C reaches the parent only, which
   * passes it on once. */
  o.flags = UV_PROCESS_DETACHED;
  w->proc.data = w;
  err = uv_spawn(&sv->loop, &w->proc, &o);
  w->started = uv_now(&sv->loop);
  if (err != 0) {
    fprintf(stderr, "luanet: cannot start worker %d: %s\n", w->id,
            uv_strerror(err));
    close_run(w);
    if (sv->status == 0)
      sv->status = 1;
    finish_if_done(sv);
    return err;
  }
  w->running = 1;
  uv_read_start((uv_stream_t *)&w->ready, alloc_byte, on_ready);
  return 0;
}

/* The first SIGINT or SIGTERM goes to every worker and ends restarts; a
 * second kills them. */
static void on_signal(uv_signal_t *handle, int signum) {
  supervisor_t *sv = handle->data;
  int to = sv->stopping++ ? SIGKILL : signum;
  for (int i = 0; i < sv->n; i++) {
    worker_t *w = &sv->workers[i];
    if (w->waiting) {
      w->waiting = 0;
      uv_timer_stop(&w->timer);
      if (sv->status == 0)
        sv->status = w->last_status;
    }
    if (w->running)
      uv_process_kill(&w->proc, to);
  }
  finish_if_done(sv);
}

/* One line on standard error when queued connections of a worker that
 * stops (or dies) would be reset rather than moved to another worker. */
static void warn_migrate_req(void) {
  char c = '1';
  FILE *f = fopen(MIGRATE_REQ, "r");
  if (f == NULL)
    return; /* before Linux 5.14: no such setting, nothing to say */
  if (fread(&c, 1, 1, f) == 1 && c == '0')
    fputs("luanet: warning: net.ipv4.tcp_migrate_req is 0: a worker that "
          "dies resets the connections waiting in its accept queue (sysctl "
          "net.ipv4.tcp_migrate_req=1 hands them to another worker)\n",
          stderr);
  fclose(f);
}

int lnb_workers_main(int n, int argc, char **argv) {
  supervisor_t *sv = calloc(1, sizeof(*sv));
  size_t len, count = 0, k = 0;
  int status;

  if (sv == NULL || (sv->workers = calloc((size_t)n, sizeof(worker_t))) ==
                        NULL) {
    free(sv);
    fputs("luanet: not enough memory for the workers\n", stderr);
    return 1;
  }
  while (environ[count] != NULL)
    count++;
  if ((sv->env = calloc(count + 2, sizeof(char *))) == NULL ||
      (sv->argv = calloc((size_t)argc + 1, sizeof(char *))) == NULL) {
    free(sv->env);
    free(sv->workers);
    free(sv);
    fputs("luanet: not enough memory for the workers\n", stderr);
    return 1;
  }
  for (size_t i = 0; i < count; i++)
    if (strncmp(environ[i], WORKER_ENV "=", sizeof(WORKER_ENV)) != 0)
      sv->env[k++] = environ[i];
  sv->env_len = k;
  memcpy(sv->argv, argv, (size_t)argc * sizeof(char *));
  len = sizeof(sv->exe);
  if (uv_exepath(sv->exe, &len) != 0)
    snprintf(sv->exe, sizeof(sv->exe), "%s", "/proc/self/exe");
  sv->n = n;
  warn_migrate_req();

  uv_loop_init(&sv->loop);
  for (int i = 0; i < 2; i++) {
    uv_signal_init(&sv->loop, &sv->signals[i]);
    sv->signals[i].data = sv;
    uv_signal_start(&sv->signals[i], on_signal, i == 0 ? SIGINT : SIGTERM);
  }
  for (int i = 0; i < n; i++) {
    worker_t *w = &sv->workers[i];
    w->sv = sv;
    w->id = i;
    uv_timer_init(&sv->loop, &w->timer);
    w->timer.data = w;
  }
  if (spawn(&sv->workers[0]) != 0) {
    sv->status = 1;
    sv->all_started = 1;
    finish_if_done(sv);
  }
  uv_run(&sv->loop, UV_RUN_DEFAULT);
  status = sv->status;
  uv_loop_close(&sv->loop);
  free(sv->argv);
  free(sv->env);
  free(sv->workers);
  free(sv);
  return status;
}

/* ---- in a worker ---------------------------------------------------------
 */

static int worker_marked; /* descriptor 3 is the parent's pipe */

int lnb_worker_take(int *id, int *n) {
  const char *mark = getenv(WORKER_ENV);
  int parent;

  if (mark == NULL || sscanf(mark, "%d %d %d", id, n, &parent) != 3 ||
      *id < 0 || *n < 1 || *id >= *n)
    return 0;
  unsetenv(WORKER_ENV);
  unsetenv("LUANET_WORKERS");
  /* A parent killed outright leaves no worker behind: each is told to
   * stop, as by the parent's SIGTERM. */
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent)
    kill(getpid(), SIGTERM); /* it died before the line above */
  fcntl(READY_FD, F_SETFD, FD_CLOEXEC); /* not for the script's children */
  worker_marked = 1;
  return 1;
}

/* core.acceptPending(fd) -> boolean: whether a connection waits in the
 * accept queue of the listening socket fd (poll, without waiting). */
static int w_accept_pending(lua_State *L) {
  struct pollfd p;
  p.fd = (int)luaL_checkinteger(L, 1);
  p.events = POLLIN;
  p.revents = 0;
  lua_pushboolean(L, poll(&p, 1, 0) == 1 && (p.revents & POLLIN));
  return 1;
}

/* core.stopAccepting(fd): the listening socket fd keeps what is queued on
 * it but takes (almost) no more: with a backlog of 0 the kernel drops new
 * SYNs while one connection waits (the client sends its SYN again a
 * second later, when the socket is closed and another worker's takes it)
 * instead of queueing them where closing would reset them. */
static int w_stop_accepting(lua_State *L) {
  listen((int)luaL_checkinteger(L, 1), 0);
  return 0;
}

void lnb_worker_open(lua_State *L, lnb_t *b, int id, int n) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, b->core_ref);
  lua_pushcfunction(L, w_accept_pending);
  lua_setfield(L, -2, "acceptPending");
  lua_pushcfunction(L, w_stop_accepting);
  lua_setfield(L, -2, "stopAccepting");
  lua_pop(L, 1);
  lua_getglobal(L, "process");
  lua_getfield(L, -1, "_workerStart");
  lua_remove(L, -2);
  lua_pushinteger(L, id);
  lua_pushinteger(L, n);
  lua_call(L, 2, 0);
}

void lnb_worker_up(void) {
  if (!worker_marked)
    return;
  worker_marked = 0;
  while (write(READY_FD, "1", 1) < 0 && errno == EINTR)
    ;
  close(READY_FD);
}

int lnb_workers_count(const char *option, int single) {
  const char *text = option != NULL ? option : getenv("LUANET_WORKERS");
  char *end;
  long n;

  if (text == NULL || (option == NULL && (text[0] == '\0' || single)))
    return 0; /* the variable is for scripts: the REPL ignores it */
  errno = 0;
  n = strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || n < 0 ||
      n > LNB_WORKERS_MAX) {
    fprintf(stderr, "luanet: %s is not a number of workers (0 to %d): %s\n",
            option != NULL ? "--workers" : "LUANET_WORKERS", LNB_WORKERS_MAX,
            text);
    return -1;
  }
  if (n > 0 && single) {
    fputs("luanet: --workers needs a script or code to run, not the REPL "
          "or standard input\n", stderr);
    return -1;
  }
  return (int)n;
}
