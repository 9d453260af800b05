/* The PROXY protocol: the header's parser, then the reading of it from an
 * accepted connection. See proxy.h; the header is as HAProxy's
 * proxy-protocol.txt defines it, and read as HAProxy reads it: peeked at,
 * then only its own bytes taken from the kernel, so what follows it stays
 * there for the socket's first read. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"
#include "proxy.h"

/* ---- the parser ------------------------------------------------------- */

static const char v1_prefix[] = "PROXY ";
static const char v2_signature[12] = "\r\n\r\n\0\r\nQUIT\n";

/* A port as version 1 writes it: 0 to 65535 in decimal, no leading zero.
 * Returns the port or -1. */
static int v1_port(const char *s, size_t len) {
  int port = 0;
  if (len == 0 || len > 5 || (len > 1 && s[0] == '0'))
    return -1;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    port = port * 10 + (s[i] - '0');
  }
  return port <= 65535 ? port : -1;
}

/* An address of family (4 or 6) as version 1 writes it, with its port,
 * into out. Returns 0 or -1. */
static int v1_address(const char *s, size_t len, int family, int port,
                      struct sockaddr_storage *out) {
  char text[48]; /* the longest IPv6 text is 45 bytes */
  if (len == 0 || len >= sizeof(text) || port < 0 ||
      memchr(s, '%', len) != NULL || ln_addr_is_ip(s, len) != family)
    return -1;
  memcpy(text, s, len);
  text[len] = '\0';
  return ln_addr_parse(text, port, out) == 0 ? 0 : -1;
}

/* "PROXY TCP4|TCP6 source destination sport dport\r\n" or
 * "PROXY UNKNOWN[ anything]\r\n", at most LN_PROXY_V1_MAX bytes. */
static int parse_v1(const char *b, size_t len, ln_proxy_t *out) {
  size_t n = len < LN_PROXY_V1_MAX ? len : LN_PROXY_V1_MAX, end, i;
  const char *field[5];
  size_t flen[5];
  int nf = 0, family, sport, dport;

  if (memcmp(b, v1_prefix, n < 6 ? n : 6) != 0)
    return LN_PROXY_ESIGNATURE;
  for (end = 0; end < n && b[end] != '\n'; end++) {
    /* Printable text; a CR only before the LF. */
    if (b[end] == '\r' ? end + 1 < n && b[end + 1] != '\n'
                       : (unsigned char)b[end] < 0x20 ||
                             (unsigned char)b[end] > 0x7e)
      return LN_PROXY_EADDRESS;
  }
  if (end == n)
    return n == LN_PROXY_V1_MAX ? LN_PROXY_ETOOLONG : 0;
  if (end < 7 || b[end - 1] != '\r')
    return LN_PROXY_EADDRESS;
  /* Fields between single spaces, from after "PROXY " to the CR. */
  field[0] = b + 6;
  for (i = 6; i < end - 1; i++) {
    if (b[i] != ' ')
      continue;
    flen[nf] = (size_t)(b + i - field[nf]);
    if (++nf == 5)
      break; /* more fields than TCP4 and TCP6 have */
    field[nf] = b + i + 1;
  }
  if (nf < 5)
    flen[nf] = (size_t)(b + end - 1 - field[nf]);
  nf++;
  memset(out, 0, sizeof(*out));
  out->version = 1;
  if (flen[0] == 7 && memcmp(field[0], "UNKNOWN", 7) == 0) {
    out->local = 1; /* the receiver ignores the rest of the line */
    return (int)end + 1;
  }
  if (flen[0] != 4 || memcmp(field[0], "TCP", 3) != 0 ||
      (field[0][3] != '4' && field[0][3] != '6') || nf != 5)
    return LN_PROXY_EADDRESS;
  family = field[0][3] - '0';
  sport = v1_port(field[3], flen[3]);
  dport = v1_port(field[4], flen[4]);
  if (v1_address(field[1], flen[1], family, sport, &out->source) != 0 ||
      v1_address(field[2], flen[2], family, dport, &out->destination) != 0)
    return LN_PROXY_EADDRESS;
  return (int)end + 1;
}

static void v2_inet(const unsigned char *a, const unsigned char *port,
                    struct sockaddr_storage *out) {
  struct sockaddr_in *sin = (struct sockaddr_in *)out;
  sin->sin_family = AF_INET;
  memcpy(&sin->sin_addr, a, 4);
  memcpy(&sin->sin_port, port, 2); /* both in network order */
}

static void v2_inet6(const unsigned char *a, const unsigned char *port,
                     struct sockaddr_storage *out) {
  struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)out;
  sin6->sin6_family = AF_INET6;
  memcpy(&sin6->sin6_addr, a, 16);
  memcpy(&sin6->sin6_port, port, 2);
}

/* The 12-byte signature, version and command, family and protocol, the
 * length of what follows (big-endian), the addresses, then TLVs (skipped). */
static int parse_v2(const unsigned char *b, size_t len, ln_proxy_t *out) {
  static const size_t need[4] = {0, 12, 36, 216}; /* per family, PROXY */
  int command, family;
  size_t total;

  if (memcmp(b, v2_signature, len < 12 ? len : 12) != 0)
    return LN_PROXY_ESIGNATURE;
  if (len < 13)
    return 0;
  command = b[12] & 0xf;
  if ((b[12] >> 4) != 2 || command > 1) /* LOCAL or PROXY */
    return LN_PROXY_EVERSION;
  if (len < 14)
    return 0;
  family = b[13] >> 4;
  if (command == 0) /* LOCAL: the family is ignored, as the rest */
    family = 0;
  else if (family > 3 || (b[13] & 0xf) > 2) /* UNSPEC, STREAM or DGRAM */
    return LN_PROXY_EFAMILY;
  if (len < 16)
    return 0;
  total = 16 + ((size_t)b[14] << 8 | b[15]);
  if (total > LN_PROXY_MAX)
    return LN_PROXY_ETOOLONG;
  if (total - 16 < need[family])
    return LN_PROXY_ELENGTH;
  if (len < total)
    return 0;
  memset(out, 0, sizeof(*out));
  out->version = 2;
  if (family == 0 || family == 3) {
    out->local = 1; /* LOCAL, AF_UNSPEC or AF_UNIX: the real peer stands */
  } else if (family == 1) {
    v2_inet(b + 16, b + 24, &out->source);
    v2_inet(b + 20, b + 26, &out->destination);
  } else {
    v2_inet6(b + 16, b + 48, &out->source);
    v2_inet6(b + 32, b + 50, &out->destination);
  }
  return (int)total;
}

int ln_proxy_parse(const void *buf, size_t len, ln_proxy_t *out) {
  const unsigned char *b = buf;
  if (len == 0)
    return 0;
  if (b[0] == 'P')
    return parse_v1(buf, len, out);
  if (b[0] == '\r')
    return parse_v2(b, len, out);
  return LN_PROXY_ESIGNATURE;
}

const char *ln_proxy_strerror(int err) {
  switch (err) {
  case LN_PROXY_ESIGNATURE:
    return "not a PROXY protocol header";
  case LN_PROXY_EVERSION:
    return "unknown version or command";
  case LN_PROXY_EFAMILY:
    return "unknown address family or protocol";
  case LN_PROXY_ELENGTH:
    return "addresses longer than the header";
  case LN_PROXY_ETOOLONG:
    return "header too long";
  case LN_PROXY_EADDRESS:
    return "malformed header line";
  default:
    return "unknown error";
  }
}

/* ---- reading it from a connection --------------------------------------
 */

/* A connection whose header is being read: a poll on a duplicate of its
 * descriptor (the socket's own handle is not reading yet, and a poll may
 * not share its descriptor) and a timer. Freed once both are closed. */
typedef struct {
  uv_poll_t poll;
  uv_timer_t timer;
  ln_socket_t *socket; /* NULL once handed back or given up */
  ln_server_t *server;
  int fd;              /* the duplicate, closed with the poll */
  int over;            /* accepted over maxConnections */
  int handles;         /* how many of poll and timer are open */
  size_t have;         /* header bytes taken from the kernel into buf */
  char buf[LN_PROXY_MAX];
} ln__proxy_conn_t;

static void conn_handle_closed(uv_handle_t *handle) {
  ln__proxy_conn_t *c = handle->type == UV_POLL
                            ? ln__container_of(handle, ln__proxy_conn_t, poll)
                            : ln__container_of(handle, ln__proxy_conn_t, timer);
  if (--c->handles > 0)
    return;
  if (c->fd >= 0)
    close(c->fd);
  free(c);
}

static void conn_close(ln__proxy_conn_t *c) {
  c->socket = NULL;
  if (!uv_is_closing((uv_handle_t *)&c->poll))
    uv_close((uv_handle_t *)&c->poll, conn_handle_closed);
  if (!uv_is_closing((uv_handle_t *)&c->timer))
    uv_close((uv_handle_t *)&c->timer, conn_handle_closed);
}

/* The loop is closing (ln_loop_close_all): the socket is closed by its own
 * closer, so only the reading stops. */
static void conn_closer(uv_handle_t *handle) {
  conn_close(handle->type == UV_POLL
                 ? ln__container_of(handle, ln__proxy_conn_t, poll)
                 : ln__container_of(handle, ln__proxy_conn_t, timer));
}
static const ln_close_fn conn_close_fn = conn_closer;

/* Hands the socket back to its server: read (error NULL) or failed. */
static void conn_done(ln__proxy_conn_t *c, const ln_proxy_t *header,
                      const char *error) {
  ln_socket_t *sock = c->socket;
  ln_server_t *server = c->server;
  int over = c->over;

  conn_close(c);
  if (error == NULL && !header->local) {
    if (sock->peer == NULL &&
        (sock->peer = malloc(sizeof(*sock->peer))) == NULL) {
      error = "out of memory";
    } else {
      memset(sock->peer, 0, sizeof(*sock->peer));
      memcpy(sock->peer, &header->source,
             header->source.ss_family == AF_INET
                 ? sizeof(struct sockaddr_in)
                 : sizeof(struct sockaddr_in6));
      sock->flags |= SF_PEER_KNOWN;
    }
  }
  ln__server_proxied(server, sock, over, error);
}

static void on_timeout(uv_timer_t *timer) {
  ln__proxy_conn_t *c = ln__container_of(timer, ln__proxy_conn_t, timer);
  ln_loop_t *loop = c->server->loop;
  ln_loop_enter(loop);
  if (c->socket != NULL)
    conn_done(c, NULL, "timed out");
  ln_loop_leave(loop);
}

/* Peeks at what arrived, parses the header so far, and takes from the
 * kernel only the bytes that belong to it. */
static void read_header(ln__proxy_conn_t *c) {
  ln_proxy_t header;
  ssize_t n, got;
  size_t take;
  int r;

  do
    n = recv(c->fd, c->buf + c->have, sizeof(c->buf) - c->have, MSG_PEEK);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK)
      conn_done(c, NULL, "read failed");
    return;
  }
  if (n == 0) {
    conn_done(c, NULL, "closed by the peer");
    return;
  }
  r = ln_proxy_parse(c->buf, c->have + (size_t)n, &header);
  if (r < 0) {
    conn_done(c, NULL, ln_proxy_strerror(r));
    return;
  }
  /* 0: every byte peeked is the header's. A complete header is longer
   * than what was taken before, or the last parse would have ended it. */
  take = r > 0 ? (size_t)r - c->have : (size_t)n;
  do
    got = recv(c->fd, c->buf + c->have, take, 0);
  while (got < 0 && errno == EINTR);
  if (got != (ssize_t)take) {
    conn_done(c, NULL, "read failed");
    return;
  }
  c->have += take;
  if (r > 0)
    conn_done(c, &header, NULL);
}

static void on_readable(uv_poll_t *poll, int status, int events) {
  ln__proxy_conn_t *c = ln__container_of(poll, ln__proxy_conn_t, poll);
  ln_loop_t *loop = c->server->loop;
  (void)events;
  ln_loop_enter(loop);
  if (c->socket == NULL)
    ; /* given up already */
  else if (ln__is_destroyed(c->socket))
    conn_close(c);
  else if (status < 0)
    conn_done(c, NULL, "read failed");
  else
    read_header(c);
  ln_loop_leave(loop);
}

void ln__proxy_start(ln_socket_t *sock, int over) {
  ln_server_t *s = sock->server;
  ln__proxy_conn_t *c = malloc(sizeof(*c));
  uv_os_fd_t fd;

  if (c == NULL) {
    ln__server_proxied(s, sock, over, "out of memory");
    return;
  }
  c->socket = sock;
  c->server = s;
  c->over = over;
  c->have = 0;
  c->handles = 0;
  c->fd = -1;
  if (uv_fileno(&sock->h.handle, &fd) != 0 ||
      (c->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0 ||
      uv_poll_init(&s->loop->uv, &c->poll, c->fd) != 0) {
    if (c->fd >= 0)
      close(c->fd);
    free(c);
    ln__server_proxied(s, sock, over, "read failed");
    return;
  }
  c->handles = 2;
  c->poll.data = (void *)&conn_close_fn;
  uv_timer_init(&s->loop->uv, &c->timer); /* cannot fail */
  c->timer.data = (void *)&conn_close_fn;
  uv_timer_start(&c->timer, on_timeout, LN_PROXY_TIMEOUT, 0);
  if (uv_poll_start(&c->poll, UV_READABLE, on_readable) != 0)
    conn_done(c, NULL, "read failed");
}
