/* The load of scripts/bench/lines/run: CONNS connections to a line-echo
 * server on 127.0.0.1:PORT, each keeping DEPTH lines of SIZE bytes (the
 * '\n' included) in flight, for SECONDS; then it waits for the lines in
 * flight. It reads the server's CPU time (utime and stime of
 * /proc/PID/stat) just before and just after, and prints one line:
 *   lines=N wall=S user=S sys=S
 * Exits 1 with a message when a connection fails or an answer is not the
 * line sent. Built by the run script with cc; nothing else uses it.
 *
 *   load PORT PID CONNS DEPTH SIZE SECONDS */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static char out[65536], in[65536];

static void die(const char *what) {
  fprintf(stderr, "load: %s: %s\n", what, strerror(errno));
  exit(1);
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The CPU seconds process pid has used, user and system. */
static void cpu(long pid, double *user, double *sys) {
  char path[64], line[1024], *p;
  unsigned long long ut = 0, st = 0;
  size_t n;
  FILE *f;
  snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
  if ((f = fopen(path, "r")) == NULL)
    die("the server is gone");
  n = fread(line, 1, sizeof(line) - 1, f);
  fclose(f);
  line[n] = '\0';
  if ((p = strrchr(line, ')')) == NULL ||
      sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
             &ut, &st) != 2)
    die("cannot read /proc/PID/stat");
  *user = (double)ut / (double)sysconf(_SC_CLK_TCK);
  *sys = (double)st / (double)sysconf(_SC_CLK_TCK);
}

static void write_all(int fd, const char *p, size_t len) {
  while (len > 0) {
    ssize_t w = write(fd, p, len);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      die("write");
    p += w;
    len -= (size_t)w;
  }
}

int main(int argc, char **argv) {
  struct sockaddr_in sa;
  struct pollfd *fds;
  long long *sent, *got, done = 0;
  long pid, depth, size;
  size_t conns, active;
  double seconds, t0, deadline, u0, s0, u1, s1;

  if (argc != 7) {
    fputs("usage: load PORT PID CONNS DEPTH SIZE SECONDS\n", stderr);
    return 2;
  }
  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_port = htons((unsigned short)atoi(argv[1]));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  pid = atol(argv[2]);
  conns = (size_t)atol(argv[3]);
  depth = atol(argv[4]);
  size = atol(argv[5]);
  seconds = atof(argv[6]);
  if (conns == 0 || depth <= 0 || size < 2 || depth * size > 65536)
    return fputs("load: bad arguments\n", stderr), 2;
  for (long i = 0; i < depth * size; i++) /* lines of 'x', each ended */
    out[i] = (i + 1) % size == 0 ? '\n' : 'x';
  fds = calloc(conns, sizeof(*fds));
  sent = calloc(conns, sizeof(*sent));
  got = calloc(conns, sizeof(*got));
  if (fds == NULL || sent == NULL || got == NULL)
    die("calloc");
  for (size_t i = 0; i < conns; i++) {
    int one = 1;
    if ((fds[i].fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
        connect(fds[i].fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
      die("connect");
    setsockopt(fds[i].fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    fds[i].events = POLLIN;
  }
  cpu(pid, &u0, &s0);
  t0 = now();
  deadline = t0 + seconds;
  for (size_t i = 0; i < conns; i++) {
    write_all(fds[i].fd, out, (size_t)(depth * size));
    sent[i] = depth;
  }
  active = conns;
  while (active > 0) {
    int going = now() < deadline;
    if (poll(fds, conns, 10000) <= 0)
      die("the server stopped answering");
    for (size_t i = 0; i < conns; i++) {
      long long back, more;
      ssize_t r;
      if (fds[i].fd < 0 || fds[i].revents == 0)
        continue;
      if ((r = read(fds[i].fd, in, sizeof(in))) <= 0)
        die("a connection was lost");
      if (in[r - 1] != '\n' && in[r - 1] != 'x')
        return fputs("load: the answer is not the line sent\n", stderr), 1;
      got[i] += r;
      back = got[i] / size;
      more = going ? back + depth - sent[i] : 0;
      if (more > 0) {
        write_all(fds[i].fd, out, (size_t)(more * size));
        sent[i] += more;
      } else if (!going && back >= sent[i]) {
        close(fds[i].fd);
        fds[i].fd = -1;
        active--;
        done += back;
      }
    }
  }
  cpu(pid, &u1, &s1);
  printf("lines=%lld wall=%.3f user=%.3f sys=%.3f\n", done, now() - t0,
         u1 - u0, s1 - s0);
  return 0;
}
