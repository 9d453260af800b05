/* ln_server_t: a listening TCP or Unix domain socket with Node's net.Server
 * behaviour: listen on a port, a host (resolved first), a path or an open
 * descriptor; accept into embedder-allocated sockets; maxConnections and
 * 'drop'; 'close' once closed and every connection has ended.
 *
 * Memory: the embedder allocates the ln_server_t and keeps it valid while
 * ln_server_is_active() says so. The listening handle is the core's own, so
 * a server can listen again right after close().
 */
#ifndef LN_SERVER_H
#define LN_SERVER_H

#include "socket.h"

typedef enum {
  LN_SERVER_EV_LISTENING,  /* bound and listening */
  LN_SERVER_EV_CONNECTION, /* socket: a new connection, already reading */
  LN_SERVER_EV_ERROR,      /* status, syscall, address, port, host */
  LN_SERVER_EV_CLOSE,      /* closed and every connection has ended */
  LN_SERVER_EV_DROP,       /* over maxConnections: address/port (remote),
                              local_address/local_port, family */
  LN_SERVER_EV_PROXY_ERROR /* a connection closed for its PROXY header
                              (proxy.h): as DROP, and data (len bytes)
                              says why, as ln_proxy_strerror() does or
                              "timed out", "closed by the peer", "read
                              failed" */
} ln_server_event_t;

/* Where to listen (ln_server_listen). */
typedef struct {
  const char *host;   /* name or numeric; NULL for "::" then "0.0.0.0" */
  int port;           /* 0 picks a free port */
  const char *path;   /* a Unix socket instead (path_len bytes, may start
                         with a NUL for Linux's abstract namespace) */
  size_t path_len;
  int fd;             /* >= 0: an already bound descriptor instead */
  int backlog;        /* 511 if 0 */
  int ipv6_only;
  int readable_all;   /* chmod the path for everyone */
  int writable_all;
  int reuse_port;     /* SO_REUSEPORT (TCP): several servers, one port */
} ln_listen_opts_t;

/* Options for accepted connections (ln_server_init). */
typedef struct {
  unsigned socket_flags;    /* LN_SOCKET_ALLOW_HALF_OPEN */
  int pause_on_connect;
  int no_delay;
  int keep_alive;
  unsigned keep_alive_delay; /* seconds */
  uint32_t high_water_mark;  /* bytes, both directions (0 is a mark too:
                                LN_DEFAULT_HIGH_WATER_MARK by default) */
  ln_blocklist_t *block_list; /* peers closed at once, silently (no
                                 CONNECTION, no DROP), or NULL; the core
                                 keeps a reference until released */
} ln_server_opts_t;

struct ln_server_s {
  struct ln__listener_s *listener; /* the listening handle, while open */
  ln_loop_t *loop;
  void *data;                      /* the embedder's */
  ln_server_opts_t opts;
  uv_getaddrinfo_t *lookup;        /* while resolving the host */
  ln_tick_t tick;
  int connections;
  int max_connections;             /* < 0 for no limit */
  int backlog;
  int error;                       /* to deliver on the next tick */
  const char *error_syscall;
  ln_addr_t error_address;
  char *error_path;                /* the whole path, when error_address
                                      cannot hold it (error_address.len
                                      bytes, malloc'd until delivered) */
  char *error_host;
  unsigned flags;
  unsigned pending;
};

/* Initialises s (embedder memory) as a server of loop that is not
 * listening. opts may be NULL. Cannot fail. */
void ln_server_init(ln_loop_t *loop, ln_server_t *s,
                    const ln_server_opts_t *opts);

/* Starts listening. A numeric host or none binds before returning, so
 * ln_server_address() works at once; a name is resolved first. LISTENING
 * follows on the next tick, or ERROR (EADDRINUSE, EACCES...) on failure.
 * Returns 0, LN_EALREADY_LISTEN when listening or resolving, or UV_EINVAL
 * for bad options. A descriptor that is no TCP or Unix socket is an ERROR
 * "listen EINVAL" on the next tick, as Node's createServerHandle gives. */
int ln_server_listen(ln_server_t *s, const ln_listen_opts_t *opts);

/* Stops accepting (Node's close()). CLOSE follows on the next tick once no
 * connection is left. Returns 0, or LN_ENOT_RUNNING if it was not
 * listening (CLOSE follows all the same, as in Node). */
int ln_server_close(ln_server_t *s);

/* The path s listens on (a Unix socket, as given to listen: whole, though
 * longer than sun_path), len bytes, or NULL for TCP, a descriptor or when
 * not listening. */
const char *ln_server_path(const ln_server_t *s, size_t *len);

/* The bound address (a path for a Unix socket, family 0: cut to what
 * ln_addr_t holds, ln_server_path gives it whole). Returns 0 or
 * UV_ENOTCONN when not listening. */
int ln_server_address(const ln_server_t *s, ln_addr_t *out);

int ln_server_listening(const ln_server_t *s);
void ln_server_ref(ln_server_t *s);
void ln_server_unref(ln_server_t *s);

/* The file descriptor of the listening socket, or -1 (for listen(handle)). */
int ln_server_fileno(const ln_server_t *s);

/* Whether the core may still call back about s. */
int ln_server_is_active(const ln_server_t *s);

/* Called by the embedder when it drops s for good (see ln_socket_release). */
void ln_server_release(ln_server_t *s);

#endif
