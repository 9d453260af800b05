/* The load of scripts/bench/run and scripts/bench/lines/run, and its
 * measuring: connections to a
 * server on 127.0.0.1:PORT driven by plain sockets and poll(), so that the
 * load costs the same whatever the server is, with the server's CPU time
 * (utime and stime of /proc/PID/stat) read just before and just after the
 * work.
 *
 *   load free PORT            exits 0 when 127.0.0.1:PORT can be bound
 *   load ping PORT [http]     waits (30 s at most) until the server on PORT
 *                             echoes a byte (or answers a GET with 200)
 *   load echo PORT PID CONNS DEPTH SECONDS SIZE
 *                             messages of SIZE bytes on each of CONNS
 *                             connections, DEPTH of them in flight on each
 *   load lines PORT PID CONNS DEPTH SECONDS SIZE
 *                             as echo, each message a line of SIZE bytes
 *                             (2 or more), its '\n' included, for a
 *                             line-echo server
 *   load bulk PORT PID CONNS SECONDS WRITE
 *                             bytes echoed on CONNS connections, written
 *                             WRITE bytes at a time (4 writes in flight on
 *                             each)
 *   load churn PORT PID CONNS SECONDS
 *                             connections, CONNS at a time: connect, 1 byte
 *                             each way, close
 *   load idle PORT PID CONNS  opens CONNS connections and measures the
 *                             server's RSS growth once it holds them all
 *   load exec PID CMD...      runs CMD (wrk) as the load
 *   load start RUNS CMD...    runs CMD RUNS times, output discarded
 *
 * echo, lines, bulk and churn start new work for SECONDS, then wait for what is
 * in flight. Every mode from echo on prints one line last:
 *   units=N wall=S user=S sys=S client=S rss=BYTES
 * the units of work done (messages or lines, bytes, connections; 0 for
 * exec), the
 * wall time in seconds, the server's user and system CPU seconds over it
 * (start: the command's own), the load's own CPU seconds (exec: the
 * command's) and, for idle, the server's RSS growth in bytes.
 * Exits 0, or 1 with a message when the server stops answering (10 s
 * without progress), closes a connection, answers lines with other bytes,
 * or the command fails. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_MS 10000
#define CHUNK 65536

static char message[CHUNK], buf[4 * CHUNK];

typedef struct {
  double user, sys; /* seconds */
} cpu_t;

/* ---- helpers ---------------------------------------------------------- */

static void die(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("load: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long number(const char *s) {
  char *end;
  long v = strtol(s, &end, 10);
  if (*s == '\0' || *end != '\0' || v < 0)
    die("not a number: %s", s);
  return v;
}

static double seconds(const char *s) {
  char *end;
  double v = strtod(s, &end);
  if (*s == '\0' || *end != '\0' || !(v > 0))
    die("not a time in seconds: %s", s);
  return v;
}

/* The CPU time that process pid has used so far (all its threads); zeros
 * when pid is 0. */
static cpu_t server_cpu(long pid) {
  char path[64], line[1024];
  unsigned long long ut, st;
  cpu_t cpu = {0, 0};
  const char *p;
  size_t n;
  FILE *f;

  if (pid == 0)
    return cpu;
  snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
  if ((f = fopen(path, "r")) == NULL)
    die("server %ld is gone", pid);
  n = fread(line, 1, sizeof(line) - 1, f);
  fclose(f);
  line[n] = '\0';
  /* Fields 14 and 15 (utime, stime), counted after the command's ')'. */
  if ((p = strrchr(line, ')')) == NULL ||
      sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
             &ut, &st) != 2)
    die("cannot read %s", path);
  cpu.user = (double)ut / (double)sysconf(_SC_CLK_TCK);
  cpu.sys = (double)st / (double)sysconf(_SC_CLK_TCK);
  return cpu;
}

/* The resident set size of process pid, in bytes. */
static long long server_rss(long pid) {
  char path[64], line[256];
  long long kb = -1;
  FILE *f;
  snprintf(path, sizeof(path), "/proc/%ld/status", pid);
  if ((f = fopen(path, "r")) == NULL)
    die("server %ld is gone", pid);
  while (fgets(line, sizeof(line), f) != NULL)
    if (sscanf(line, "VmRSS: %lld", &kb) == 1)
      break;
  fclose(f);
  return kb * 1024;
}

/* How many descriptors process pid holds open. */
static long server_fds(long pid) {
  char path[64];
  struct dirent *e;
  long n = 0;
  DIR *d;
  snprintf(path, sizeof(path), "/proc/%ld/fd", pid);
  if ((d = opendir(path)) == NULL)
    die("server %ld is gone", pid);
  while ((e = readdir(d)) != NULL)
    n += e->d_name[0] != '.';
  closedir(d);
  return n;
}

/* This process's own CPU seconds, user and system. */
static double own_cpu(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
         (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void report(long long units, double t0, cpu_t c0, long pid,
                   double client, long long rss) {
  double t1 = now();
  cpu_t c1 = server_cpu(pid);
  printf("units=%lld wall=%.6f user=%.6f sys=%.6f client=%.6f rss=%lld\n",
         units, t1 - t0, c1.user - c0.user, c1.sys - c0.sys, client, rss);
}

/* A TCP socket to 127.0.0.1:port. With src (1 to 255), bound first to
 * 127.0.0.src with the port left to connect(), so that a churn of
 * connections does not run out of ports while the closed ones wait in
 * TIME_WAIT. Nonblocking connects may be still in progress on return. */
static int open_socket(int port, int src, int nonblocking) {
  struct sockaddr_in addr = {0};
  int one = 1, fd;

  fd = socket(AF_INET, SOCK_STREAM | (nonblocking ? SOCK_NONBLOCK : 0), 0);
  if (fd < 0)
    die("socket: %s", strerror(errno));
  addr.sin_family = AF_INET;
  if (src != 0) {
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK - 1 + (unsigned)src);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0)
      die("bind: %s", strerror(errno));
  }
  addr.sin_port = htons((unsigned short)port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 &&
      !(nonblocking && errno == EINPROGRESS)) {
    close(fd);
    return -1;
  }
  return fd;
}

static void write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      die("write: %s", w < 0 ? strerror(errno) : "nothing written");
    p += w, n -= (size_t)w;
  }
}

static void wait_events(struct pollfd *fds, size_t n) {
  int r;
  while ((r = poll(fds, (nfds_t)n, TIMEOUT_MS)) < 0 && errno == EINTR)
    ;
  if (r < 0)
    die("poll: %s", strerror(errno));
  if (r == 0)
    die("no progress for %d s", TIMEOUT_MS / 1000);
}

/* ---- free and ping ---------------------------------------------------- */

static int mode_free(int port) {
  struct sockaddr_in addr = {0};
  int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0), ok;
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  ok = bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0 &&
       listen(fd, 1) == 0;
  close(fd);
  return ok ? 0 : 1;
}

static int mode_ping(int port, int http) {
  static const char get[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  double deadline = now() + 30; /* a start under valgrind is slow */

  while (now() < deadline) {
    int fd = open_socket(port, 0, 0);
    if (fd >= 0) {
      struct pollfd p = {fd, POLLIN, 0};
      ssize_t r = 0;
      write_all(fd, http ? get : "x", http ? sizeof(get) - 1 : 1);
      if (poll(&p, 1, 2000) == 1)
        r = read(fd, buf, sizeof(buf));
      close(fd);
      if (r > 0 && (!http || strncmp(buf, "HTTP/1.1 200", 12) == 0))
        return 0;
    }
    usleep(50000);
  }
  die("no answer on port %d", port);
  return 1;
}

/* ---- echo and lines: DEPTH messages in flight per connection ---------- */

/* With lines, each message is a line ('x's then '\n') and each answer must
 * end in one of those bytes. */
static int mode_echo(int port, long pid, size_t n, long depth, double seconds,
                     long size, int lines) {
  struct pollfd *fds = calloc(n, sizeof(*fds));
  long long *sent = calloc(n, sizeof(long long)), done = 0;
  long long *got = calloc(n, sizeof(long long));
  size_t active = n;
  double t0, deadline;
  cpu_t c0;

  if (fds == NULL || sent == NULL || got == NULL)
    die("out of memory");
  if (size <= 0 || depth <= 0 || depth * size > CHUNK)
    die("echo: DEPTH x SIZE must be 1 to %d bytes", CHUNK);
  if (lines && size < 2)
    die("lines: SIZE must be 2 or more, the '\\n' included");
  for (long i = 0; lines && i < depth * size; i++)
    message[i] = (i + 1) % size == 0 ? '\n' : 'x';
  for (size_t i = 0; i < n; i++) {
    int one = 1;
    if ((fds[i].fd = open_socket(port, 0, 0)) < 0)
      die("connect: %s", strerror(errno));
    fds[i].events = POLLIN;
    setsockopt(fds[i].fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  }
  c0 = server_cpu(pid);
  t0 = now();
  deadline = t0 + seconds;
  for (size_t i = 0; i < n; i++) {
    sent[i] = depth;
    write_all(fds[i].fd, message, (size_t)(depth * size));
  }
  /* Each answer sends another message until the deadline; then each
   * connection closes once every message it sent came back. */
  while (active > 0) {
    int going = now() < deadline;
    wait_events(fds, n);
    for (size_t i = 0; i < n; i++) {
      long long back, more;
      ssize_t r;
      if (fds[i].fd < 0 || fds[i].revents == 0)
        continue;
      if ((r = read(fds[i].fd, buf, sizeof(buf))) <= 0)
        die("connection lost");
      if (lines && buf[r - 1] != '\n' && buf[r - 1] != 'x')
        die("lines: the answer is not the line sent");
      got[i] += r;
      back = got[i] / size;
      more = going ? back + depth - sent[i] : 0;
      if (more > 0) {
        write_all(fds[i].fd, message, (size_t)(more * size));
        sent[i] += more;
      } else if (!going && back >= sent[i]) {
        close(fds[i].fd);
        fds[i].fd = -1;
        active--;
        done += back;
      }
    }
  }
  report(done, t0, c0, pid, own_cpu(), 0);
  return 0;
}

/* ---- bulk: big writes, each connection echoing what it sent ----------- */

static int mode_bulk(int port, long pid, size_t n, double seconds,
                     long wsize) {
  struct pollfd *fds = calloc(n, sizeof(*fds));
  long long *sent = calloc(n, sizeof(long long)), done = 0;
  long long *got = calloc(n, sizeof(long long)), window = 4LL * wsize;
  size_t active = n;
  double t0, deadline;
  cpu_t c0;

  if (fds == NULL || sent == NULL || got == NULL)
    die("out of memory");
  if (wsize <= 0 || wsize > CHUNK)
    die("bulk: WRITE must be 1 to %d bytes", CHUNK);
  for (size_t i = 0; i < n; i++)
    if ((fds[i].fd = open_socket(port, 0, 0)) < 0 ||
        fcntl(fds[i].fd, F_SETFL, O_NONBLOCK) != 0)
      die("connect: %s", strerror(errno));
  c0 = server_cpu(pid);
  t0 = now();
  deadline = t0 + seconds;
  /* Writes until the deadline, at most `window` bytes not yet echoed on
   * each connection; then each closes once all it sent came back. */
  for (;;) {
    int going = now() < deadline;
    for (size_t i = 0; i < n; i++) {
      if (fds[i].fd >= 0 && !going && got[i] >= sent[i]) {
        close(fds[i].fd);
        fds[i].fd = -1;
        active--;
        done += got[i];
      }
      fds[i].events = (short)(POLLIN | (going && sent[i] - got[i] + wsize <=
                                                     window
                                            ? POLLOUT
                                            : 0));
    }
    if (active == 0)
      break;
    wait_events(fds, n);
    for (size_t i = 0; i < n; i++) {
      ssize_t r;
      if (fds[i].fd < 0)
        continue;
      if (fds[i].revents & POLLOUT) {
        r = write(fds[i].fd, message, (size_t)wsize);
        if (r < 0 && errno != EAGAIN)
          die("write: %s", strerror(errno));
        sent[i] += r > 0 ? r : 0;
      }
      if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
        r = read(fds[i].fd, buf, sizeof(buf));
        if (r == 0 || (r < 0 && errno != EAGAIN))
          die("connection lost");
        got[i] += r > 0 ? r : 0;
      }
    }
  }
  report(done, t0, c0, pid, own_cpu(), 0);
  return 0;
}

/* ---- churn: connect, 1 byte each way, close --------------------------- */

/* Starts slot's next connection, from one of 250 source addresses: 7
 * million ports before one is reused. */
static void churn_start(struct pollfd *slot, int port, long started) {
  if ((slot->fd = open_socket(port, 2 + (int)(started % 250), 1)) < 0)
    die("connect: %s", strerror(errno));
  slot->events = POLLOUT;
}

static int mode_churn(int port, long pid, size_t n, double seconds) {
  struct pollfd *fds = calloc(n, sizeof(*fds));
  long started = 0, finished = 0;
  size_t active = n;
  double t0, deadline;
  cpu_t c0;

  if (fds == NULL)
    die("out of memory");
  c0 = server_cpu(pid);
  t0 = now();
  deadline = t0 + seconds;
  for (size_t i = 0; i < n; i++)
    churn_start(&fds[i], port, started++);
  while (active > 0) {
    wait_events(fds, n);
    for (size_t i = 0; i < n; i++) {
      int err = 0;
      socklen_t len = sizeof(err);
      if (fds[i].fd < 0 || fds[i].revents == 0)
        continue;
      if (fds[i].events == POLLOUT) { /* connected, or failed */
        getsockopt(fds[i].fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0)
          die("connect: %s", strerror(err));
        write_all(fds[i].fd, "x", 1);
        fds[i].events = POLLIN;
        continue;
      }
      if (read(fds[i].fd, buf, 1) != 1)
        die("connection lost");
      close(fds[i].fd);
      fds[i].fd = -1;
      finished++;
      if (now() < deadline)
        churn_start(&fds[i], port, started++);
      else
        active--;
    }
  }
  report(finished, t0, c0, pid, own_cpu(), 0);
  return 0;
}

/* ---- idle: RSS per open connection ------------------------------------ */

static int mode_idle(int port, long pid, size_t n) {
  struct pollfd *fds = calloc(n, sizeof(*fds));
  long base = server_fds(pid), stable = 0;
  long long rss0 = server_rss(pid);
  struct rlimit lim;
  size_t opened = 0, pending = 0;
  double t0, last, deadline;
  cpu_t c0, c;

  if (fds == NULL)
    die("out of memory");
  getrlimit(RLIMIT_NOFILE, &lim);
  lim.rlim_cur = lim.rlim_max;
  setrlimit(RLIMIT_NOFILE, &lim);
  if (lim.rlim_cur < n + 16)
    die("idle: %zu connections need ulimit -n above %zu", n, n + 16);
  c0 = server_cpu(pid);
  t0 = now();
  /* At most 100 connects in flight: the listen backlog is no part of what
   * is measured. */
  while (opened < n || pending > 0) {
    for (; opened < n && pending < 100; opened++, pending++) {
      if ((fds[opened].fd = open_socket(port, 0, 1)) < 0)
        die("connect: %s", strerror(errno));
      fds[opened].events = POLLOUT;
    }
    wait_events(fds, opened);
    for (size_t i = 0; i < opened; i++) {
      int err = 0;
      socklen_t len = sizeof(err);
      if (fds[i].events != POLLOUT || fds[i].revents == 0)
        continue;
      getsockopt(fds[i].fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0)
        die("connect: %s", strerror(err));
      fds[i].events = 0;
      pending--;
    }
  }
  /* Then until the server holds them all and its CPU clock stands still
   * for 300 ms (it has set each one up). */
  for (last = now(); server_fds(pid) < base + (long)n; usleep(10000)) {
    if (now() - last > TIMEOUT_MS / 1000)
      die("idle: the server accepted %ld of %zu connections",
          server_fds(pid) - base, n);
  }
  for (c = server_cpu(pid), deadline = now() + 10; stable < 3;) {
    cpu_t d;
    usleep(100000);
    d = server_cpu(pid);
    stable = d.user + d.sys == c.user + c.sys ? stable + 1 : 0;
    c = d;
    if (now() > deadline)
      break;
  }
  report((long long)n, t0, c0, pid, own_cpu(), server_rss(pid) - rss0);
  return 0;
}

/* ---- exec and start: commands as the load ----------------------------- */

/* Runs argv to its end with its output to /dev/null when quiet; adds its
 * CPU seconds to *user and *sys. Exits on a failure. */
static void run(char **argv, int quiet, double *user, double *sys) {
  struct rusage ru;
  int status;
  pid_t child = fork();
  if (child < 0)
    die("fork: %s", strerror(errno));
  if (child == 0) {
    if (quiet) {
      int null = open("/dev/null", O_WRONLY);
      dup2(null, 1);
      dup2(null, 2);
    }
    execvp(argv[0], argv);
    _exit(127);
  }
  if (wait4(child, &status, 0, &ru) != child)
    die("wait: %s", strerror(errno));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    die("%s failed (status %d)", argv[0], status);
  *user += (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
  *sys += (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int mode_exec(long pid, char **argv) {
  double user = 0, sys = 0, t0 = now();
  cpu_t c0 = server_cpu(pid);
  run(argv, 0, &user, &sys);
  fflush(stdout);
  report(0, t0, c0, pid, user + sys, 0);
  return 0;
}

static int mode_start(long runs, char **argv) {
  double user = 0, sys = 0, t0 = now();
  for (long i = 0; i < runs; i++)
    run(argv, 1, &user, &sys);
  printf("units=%ld wall=%.6f user=%.6f sys=%.6f client=0 rss=0\n", runs,
         now() - t0, user, sys);
  return 0;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";

  signal(SIGPIPE, SIG_IGN);
  memset(message, 'x', sizeof(message));
  if (strcmp(mode, "free") == 0 && argc == 3)
    return mode_free((int)number(argv[2]));
  if (strcmp(mode, "ping") == 0 && (argc == 3 || argc == 4))
    return mode_ping((int)number(argv[2]), argc == 4);
  if ((strcmp(mode, "echo") == 0 || strcmp(mode, "lines") == 0) &&
      argc == 8)
    return mode_echo((int)number(argv[2]), number(argv[3]),
                     (size_t)number(argv[4]), number(argv[5]),
                     seconds(argv[6]), number(argv[7]), mode[0] == 'l');
  if (strcmp(mode, "bulk") == 0 && argc == 7)
    return mode_bulk((int)number(argv[2]), number(argv[3]),
                     (size_t)number(argv[4]), seconds(argv[5]),
                     number(argv[6]));
  if (strcmp(mode, "churn") == 0 && argc == 6)
    return mode_churn((int)number(argv[2]), number(argv[3]),
                      (size_t)number(argv[4]), seconds(argv[5]));
  if (strcmp(mode, "idle") == 0 && argc == 5)
    return mode_idle((int)number(argv[2]), number(argv[3]),
                     (size_t)number(argv[4]));
  if (strcmp(mode, "exec") == 0 && argc >= 4)
    return mode_exec(number(argv[2]), argv + 3);
  if (strcmp(mode, "start") == 0 && argc >= 4)
    return mode_start(number(argv[2]), argv + 3);
  fputs("usage: see the comment at the top of scripts/bench/load.c\n",
        stderr);
  return 2;
}
