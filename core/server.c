/* net.Server's behaviour. See server.h; follows Node 20's lib/net.js
 * (setupListenHandle, onconnection, close, _emitCloseIfDrained). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "internal.h"
#include "proxy.h"

#define SVF_UNREF 0x1    /* the listener does not keep the loop alive */
#define SVF_RELEASED 0x2 /* the embedder let go: notify nothing */
#define SVF_REUSEPORT 0x4 /* SO_REUSEPORT on the TCP socket before bind */
#define SVF_TICKING 0x8  /* in on_tick: work deferred now is done there */
#define SVF_PROXY 0x10   /* a PROXY protocol header comes first (proxy.h) */

#define SVP_LISTENING 0x1
#define SVP_ERROR 0x2
#define SVP_CLOSE 0x4

#define DEFAULT_BACKLOG 511

/* The listening handle. It is the core's own allocation, so that close()
 * can let it finish closing while the server listens again. */
typedef struct ln__listener_s {
  union {
    uv_handle_t handle;
    uv_stream_t stream;
    uv_tcp_t tcp;
    uv_pipe_t pipe;
  } h;
  ln_server_t *server; /* NULL once closing */
  int bound_cut;       /* bound here under the path cut to sun_path */
  size_t path_len;
  char path[]; /* what address() reports for a Unix socket */
} ln__listener_t;

/* A host name being resolved before listening. */
typedef struct {
  uv_getaddrinfo_t req;
  ln_server_t *server; /* NULL once the server stopped waiting for it */
  int port, ipv6_only;
  char host[];
} ln__server_lookup_t;

static void notify(ln_server_t *s, ln_server_event_t ev, const ln_event_t *e) {
  static const ln_event_t none;
  if (!(s->flags & SVF_RELEASED))
    s->loop->hooks->server_event(s, ev, e != NULL ? e : &none);
}

static void on_tick(ln_tick_t *tick);

static void defer(ln_server_t *s, unsigned what) {
  s->pending |= what;
  if (!(s->flags & SVF_TICKING)) /* else the running tick sees it */
    ln_loop_defer(s->loop, &s->tick, on_tick);
}

/* ---- the listening handle --------------------------------------------- */

static void listener_free(uv_handle_t *handle) {
  free(ln__container_of(handle, ln__listener_t, h.handle));
}

/* The name l is bound under when bound_cut: its path's first
 * LN__SUN_PATH_MAX bytes, NUL-terminated in name. */
static void cut_name(const ln__listener_t *l, char name[LN__SUN_PATH_MAX + 1]) {
  memcpy(name, l->path, LN__SUN_PATH_MAX);
  name[LN__SUN_PATH_MAX] = '\0';
}

static void close_listener(ln_server_t *s) {
  ln__listener_t *l = s->listener;
  if (l == NULL)
    return;
  s->listener = NULL;
  l->server = NULL;
  if (l->bound_cut) { /* as libuv unlinks what it binds, before closing */
    char name[LN__SUN_PATH_MAX + 1];
    cut_name(l, name);
    unlink(name);
  }
  uv_close(&l->h.handle, listener_free);
}

static void listener_closer(uv_handle_t *handle) {
  ln__listener_t *l = ln__container_of(handle, ln__listener_t, h.handle);
  if (l->server != NULL)
    close_listener(l->server);
  else
    uv_close(handle, listener_free);
}
static const ln_close_fn listener_close_fn = listener_closer;

static ln__listener_t *listener_new(ln_server_t *s, int pipe, const char *path,
                                    size_t path_len) {
  ln__listener_t *l = calloc(1, sizeof(*l) + path_len + 1);
  int err;
  if (l == NULL)
    return NULL;
  err = pipe ? uv_pipe_init(&s->loop->uv, &l->h.pipe, 0)
             : uv_tcp_init(&s->loop->uv, &l->h.tcp);
  if (err) {
    free(l);
    return NULL;
  }
  l->h.handle.data = (void *)&listener_close_fn;
  l->server = s;
  if (path_len > 0)
    memcpy(l->path, path, path_len);
  l->path_len = path_len;
  if (s->flags & SVF_UNREF)
    uv_unref(&l->h.handle);
  return l;
}

/* Records a failure to listen, to deliver on the next tick as Node does. */
static void listen_failed(ln_server_t *s, int err, const char *address,
                          size_t address_len, int port) {
  close_listener(s);
  s->error = err;
  s->error_syscall = "listen";
  free(s->error_path);
  s->error_path = NULL;
  if (address_len >= sizeof(s->error_address.address)) {
    /* a long Unix path: the message names it whole, as Node's does */
    if ((s->error_path = malloc(address_len)) != NULL)
      memcpy(s->error_path, address, address_len);
    else
      address_len = sizeof(s->error_address.address) - 1;
  }
  if (address_len < sizeof(s->error_address.address)) {
    memcpy(s->error_address.address, address, address_len);
    s->error_address.address[address_len] = '\0';
  }
  s->error_address.len = address_len;
  s->error_address.port = port;
  defer(s, SVP_ERROR);
}

/* ---- accepting ---------------------------------------------------------
 */

static void drop(ln_server_t *s, uv_stream_t *listener) {
  /* Accept into a handle of our own, tell the embedder, close it. */
  ln__listener_t *tmp = listener_new(s, listener->type == UV_NAMED_PIPE, "", 0);
  ln_addr_t local, remote;
  ln_event_t e = {0};

  if (tmp == NULL)
    return;
  tmp->server = NULL;
  if (uv_accept(listener, &tmp->h.stream) == 0 &&
      tmp->h.handle.type == UV_TCP) {
    struct sockaddr_storage ss;
    int len = sizeof(ss);
    if (uv_tcp_getsockname(&tmp->h.tcp, (struct sockaddr *)&ss, &len) == 0 &&
        ln_addr_format((struct sockaddr *)&ss, &local) == 0) {
      e.local_address = local.address;
      e.local_port = local.port;
      e.family = local.family;
    }
    len = sizeof(ss);
    if (uv_tcp_getpeername(&tmp->h.tcp, (struct sockaddr *)&ss, &len) == 0 &&
        ln_addr_format((struct sockaddr *)&ss, &remote) == 0) {
      e.address = remote.address;
      e.port = remote.port;
    }
    notify(s, LN_SERVER_EV_DROP, &e);
  }
  uv_close(&tmp->h.handle, listener_free);
}

/* ---- accepting -------------------------------------------------------- */

size_t ln_socket_size(const ln_server_t *server) {
  if (server != NULL && server->listener != NULL &&
      server->listener->h.handle.type == UV_TCP)
    return offsetof(ln_socket_t, h) + sizeof(uv_tcp_t);
  return sizeof(ln_socket_t);
}

/* A socket for a connection to accept, from the embedder (which sized it
 * with ln_socket_size), initialised; NULL when it has none to give. */
static ln_socket_t *new_socket(ln_server_t *s) {
  int tcp_only = ln_socket_size(s) < sizeof(ln_socket_t);
  ln_socket_t *sock = s->loop->hooks->socket_new(s);
  if (sock != NULL) {
    ln_socket_init(s->loop, sock, s->opts.socket_flags);
    sock->tcp_only = (uint8_t)tcp_only;
  }
  return sock;
}

/* ---- accepting behind a load balancer (proxy.h) ------------------------
 * The connection is accepted at once, its header read, and then the
 * blockList, maxConnections' DROP and CONNECTION see the client's address:
 * whether it is over maxConnections is decided here, on accepting. */

static void accept_proxied(ln_server_t *s, uv_stream_t *stream) {
  int over = s->max_connections >= 0 && s->connections >= s->max_connections;
  ln_socket_t *sock = new_socket(s);
  int err;

  if (sock == NULL) {
    drop(s, stream);
    return;
  }
  /* the blockList is for the client's address, not the balancer's */
  err = ln__socket_accept(sock, s, stream, 0);
  if (err == 0) {
    s->connections++;
    ln__proxy_start(sock, over);
  }
}

void ln__server_proxied(ln_server_t *s, ln_socket_t *sock, int over,
                        const char *error) {
  ln_addr_t local, remote;
  ln_event_t e = {0};
  int known = ln_socket_address(sock, 1, &remote) == 0;

  if (ln_socket_address(sock, 0, &local) == 0) {
    e.local_address = local.address;
    e.local_port = local.port;
  }
  if (known) {
    e.address = remote.address;
    e.port = remote.port;
    e.family = remote.family;
  }
  if (error != NULL) {
    e.data = error;
    e.len = strlen(error);
    notify(s, LN_SERVER_EV_PROXY_ERROR, &e);
  } else if (s->opts.block_list != NULL && known && remote.family != 0 &&
             sock->peer != NULL &&
             ln_blocklist_check(s->opts.block_list,
                                (struct sockaddr *)sock->peer)) {
    ; /* closed at once, silently, as any blocked peer */
  } else if (over) {
    notify(s, LN_SERVER_EV_DROP, &e);
  } else {
    ln__socket_start(sock);
    e.socket = sock;
    notify(s, LN_SERVER_EV_CONNECTION, &e);
    return;
  }
  ln__destroy(sock, 0, NULL);
}

void ln_server_proxy_protocol(ln_server_t *s, int on) {
  s->flags = on ? s->flags | SVF_PROXY : s->flags & ~SVF_PROXY;
}

static void on_connection(uv_stream_t *stream, int status) {
  ln__listener_t *l = ln__container_of(stream, ln__listener_t, h.stream);
  ln_server_t *s = l->server;
  ln_socket_t *sock;
  int err;

  if (s == NULL)
    return;
  ln_loop_enter(s->loop);
  if (status < 0) {
    ln_event_t e = {0};
    e.status = status;
    e.syscall = "accept";
    notify(s, LN_SERVER_EV_ERROR, &e);
  } else if (s->flags & SVF_PROXY) {
    accept_proxied(s, stream);
  } else if (s->max_connections >= 0 &&
             s->connections >= s->max_connections) {
    drop(s, stream);
  } else if ((sock = new_socket(s)) == NULL) {
    drop(s, stream);
  } else {
    if ((err = ln__socket_accept(sock, s, stream, 1)) == 0) {
      ln_event_t e = {0};
      s->connections++;
      ln__socket_start(sock);
      e.socket = sock;
      notify(s, LN_SERVER_EV_CONNECTION, &e);
    }
  }
  ln_loop_leave(s->loop);
}

void ln__server_connection_ended(ln_server_t *s) {
  /* Node's _emitCloseIfDrained. */
  if (--s->connections == 0 && s->listener == NULL && s->lookup == NULL)
    defer(s, SVP_CLOSE);
}

/* ---- listening -------------------------------------------------------- */

static int start(ln_server_t *s, ln__listener_t *l) {
  int err = uv_listen(&l->h.stream, s->backlog, on_connection);
  if (err == 0) {
    s->listener = l;
    defer(s, SVP_LISTENING);
  }
  return err;
}

/* Binds and listens on sa. With fallback set, a failure to bind returns
 * UV_EAGAIN quietly so the caller can try another address (Node's "::",
 * then "0.0.0.0"). Other failures are delivered as ERROR. */
/* Node 22's reusePort: SO_REUSEPORT set before the bind, so that several
 * sockets, in this process or others, listen on one port and the kernel
 * spreads connections among them. libuv 1.44 has no flag for it: the
 * socket is made at once (uv_tcp_init_ex would, but the handle is already
 * initialised, so it is opened here) and the option set on it. */
static int reuse_port(uv_tcp_t *tcp, int family) {
  int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), on = 1,
      err;
  if (fd < 0)
    return -errno;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) != 0) {
    err = -errno;
    close(fd);
    return err;
  }
  if ((err = uv_tcp_open(tcp, fd)) != 0)
    close(fd);
  return err;
}

static int listen_tcp(ln_server_t *s, const struct sockaddr *sa, int ipv6_only,
                      const char *host, int port, int fallback) {
  ln__listener_t *l = listener_new(s, 0, "", 0);
  unsigned flags = ipv6_only && sa->sa_family == AF_INET6 ? UV_TCP_IPV6ONLY : 0;
  int err = 0;

  if (l == NULL)
    return UV_ENOMEM;
  s->listener = l;
  if (s->flags & SVF_REUSEPORT)
    err = reuse_port(&l->h.tcp, sa->sa_family);
  if ((err || (err = uv_tcp_bind(&l->h.tcp, sa, flags)) != 0) && fallback) {
    close_listener(s);
    return UV_EAGAIN;
  }
  if (err == 0)
    err = start(s, l);
  if (err)
    listen_failed(s, err, host, strlen(host), port);
  return err;
}

/* Binds a Unix socket. As Node 22's libuv (without UV_PIPE_NO_TRUNCATE),
 * a path longer than sun_path is cut to its first LN__SUN_PATH_MAX (108) bytes,
 * with no NUL after them (Linux takes a name that fills sun_path). Bound
 * here, not by uv_pipe_bind: a name in the abstract namespace (starting
 * with a NUL), which it cannot bind before libuv 1.46, and a path of
 * LN__SUN_PATH_MAX bytes or more, which libuv 1.44 would cut a byte shorter;
 * close_listener unlinks the latter, as libuv unlinks what it binds. */
static int bind_pipe(ln__listener_t *l, const char *path, size_t len) {
  int fd, err;

  if (path[0] != '\0' && len < LN__SUN_PATH_MAX)
    return uv_pipe_bind(&l->h.pipe, path);
  if ((fd = ln__unix_fd(path, len, bind)) < 0)
    /* uv_pipe_bind's EACCES for ENOENT, as Node 22 reports both */
    return fd == UV_ENOENT && path[0] != '\0' ? UV_EACCES : fd;
  l->bound_cut = path[0] != '\0';
  if ((err = uv_pipe_open(&l->h.pipe, fd)) != 0)
    close(fd);
  return err;
}

/* uv_pipe_chmod (mode: UV_READABLE, UV_WRITABLE or both) for a path bound
 * cut, whose name libuv cannot read back whole: the bits for everyone
 * added to the file's own. Returns 0 or a libuv error. */
static int chmod_cut(const ln__listener_t *l, int mode) {
  char name[LN__SUN_PATH_MAX + 1];
  mode_t want = (mode & UV_READABLE ? S_IRUSR | S_IRGRP | S_IROTH : 0) |
                (mode & UV_WRITABLE ? S_IWUSR | S_IWGRP | S_IWOTH : 0);
  struct stat st;

  cut_name(l, name);
  if (stat(name, &st) != 0)
    return -errno;
  if ((st.st_mode & want) == want)
    return 0;
  return chmod(name, st.st_mode | want) == 0 ? 0 : -errno;
}

static int listen_pipe(ln_server_t *s, const ln_listen_opts_t *o) {
  ln__listener_t *l = listener_new(s, 1, o->path, o->path_len);
  int err, mode = 0;

  if (l == NULL)
    return UV_ENOMEM;
  s->listener = l;
  err = bind_pipe(l, o->path, o->path_len);
  if (err == 0 && (o->readable_all || o->writable_all)) {
    mode = (o->readable_all ? UV_READABLE : 0) |
           (o->writable_all ? UV_WRITABLE : 0);
    err = l->bound_cut ? chmod_cut(l, mode)
                       : uv_pipe_chmod(&l->h.pipe, mode);
  }
  if (err == 0)
    err = start(s, l);
  if (err)
    listen_failed(s, err, o->path, o->path_len, -1);
  return err;
}

static int listen_fd(ln_server_t *s, int fd) {
  uv_handle_type type = uv_guess_handle(fd);
  ln__listener_t *l;
  int err, dup_fd;

  if (type != UV_TCP && type != UV_NAMED_PIPE) {
    /* Node's createServerHandle: "not a fd we can listen on". */
    listen_failed(s, UV_EINVAL, "", 0, -1);
    return UV_EINVAL;
  }
  if ((l = listener_new(s, type == UV_NAMED_PIPE, "", 0)) == NULL)
    return UV_ENOMEM;
  s->listener = l;
  /* The descriptor stays its owner's: listen on a duplicate. */
  if ((dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0) {
    err = -errno;
  } else {
    err = type == UV_TCP ? uv_tcp_open(&l->h.tcp, dup_fd)
                         : uv_pipe_open(&l->h.pipe, dup_fd);
    if (err)
      close(dup_fd);
  }
  if (err == 0)
    err = start(s, l);
  if (err)
    listen_failed(s, err, "", 0, -1);
  return err;
}

static void on_resolved(uv_getaddrinfo_t *req, int status,
                        struct addrinfo *res) {
  ln__server_lookup_t *r = ln__container_of(req, ln__server_lookup_t, req);
  ln_server_t *s = r->server;
  struct sockaddr_storage first;

  if (s == NULL) {
    uv_freeaddrinfo(res);
    free(r);
    return;
  }
  s->lookup = NULL;
  ln_loop_enter(s->loop);
  if (status == 0 && ln_lookup_order(res, r->port, &first, 1) == 1) {
    ln_addr_t a;
    ln_addr_format((struct sockaddr *)&first, &a);
    listen_tcp(s, (struct sockaddr *)&first, r->ipv6_only, a.address, r->port,
               0);
  } else {
    /* Node's lookupAndListen emits the dns error as it is. */
    ln_event_t e = {0};
    e.status = status ? status : UV_EAI_NONAME;
    e.syscall = "getaddrinfo";
    e.host = r->host;
    notify(s, LN_SERVER_EV_ERROR, &e);
  }
  uv_freeaddrinfo(res);
  free(r);
  ln_loop_leave(s->loop);
}

static int listen_name(ln_server_t *s, const ln_listen_opts_t *o) {
  size_t len = strlen(o->host);
  ln__server_lookup_t *r = malloc(sizeof(*r) + len + 1);
  struct addrinfo hints;
  int err;

  if (r == NULL)
    return UV_ENOMEM;
  memcpy(r->host, o->host, len + 1);
  r->server = s;
  r->port = o->port;
  r->ipv6_only = o->ipv6_only;
  memset(&hints, 0, sizeof(hints));
  hints.ai_socktype = SOCK_STREAM;
  err = uv_getaddrinfo(&s->loop->uv, &r->req, on_resolved, r->host, NULL,
                       &hints);
  if (err) {
    /* Node's dns.lookup: a name getaddrinfo refuses at once (too long,
     * not IDNA) is an error on the next tick, as one it fails later. */
    free(s->error_host);
    s->error_host = malloc(len + 1); /* freed once delivered */
    if (s->error_host != NULL)
      memcpy(s->error_host, o->host, len + 1);
    free(r);
    s->error = err;
    s->error_syscall = "getaddrinfo";
    memset(&s->error_address, 0, sizeof(s->error_address));
    defer(s, SVP_ERROR);
    return 0;
  }
  s->lookup = &r->req;
  return 0;
}

int ln_server_listen(ln_server_t *s, const ln_listen_opts_t *o) {
  struct sockaddr_storage ss;

  if (s->listener != NULL || s->lookup != NULL)
    return LN_EALREADY_LISTEN;
  if (o->port < 0 || o->port > 65535)
    return UV_EINVAL;
  s->backlog = o->backlog > 0 ? o->backlog : DEFAULT_BACKLOG;
  s->flags = o->reuse_port ? s->flags | SVF_REUSEPORT : s->flags & ~SVF_REUSEPORT;
  s->error = 0;
  if (o->fd >= 0) {
    listen_fd(s, o->fd);
  } else if (o->path != NULL) {
    listen_pipe(s, o);
  } else if (o->host == NULL) {
    /* Node: dual-stack "::", or "0.0.0.0" where IPv6 cannot be bound. */
    ln_addr_parse("::", o->port, &ss);
    if (listen_tcp(s, (struct sockaddr *)&ss, o->ipv6_only, "::", o->port,
                   1) == UV_EAGAIN) {
      ln_addr_parse("0.0.0.0", o->port, &ss);
      listen_tcp(s, (struct sockaddr *)&ss, 0, "0.0.0.0", o->port, 0);
    }
  } else if (ln_addr_parse(o->host, o->port, &ss) == 0) {
    listen_tcp(s, (struct sockaddr *)&ss, o->ipv6_only, o->host, o->port, 0);
  } else {
    return listen_name(s, o);
  }
  return 0;
}

/* ---- closing and the rest ------------------------------------------- */

int ln_server_close(ln_server_t *s) {
  int err = 0;
  if (s->listener != NULL) {
    close_listener(s);
  } else if (s->lookup != NULL) {
    ln__server_lookup_t *r =
        ln__container_of(s->lookup, ln__server_lookup_t, req);
    r->server = NULL;
    s->lookup = NULL;
  } else {
    err = LN_ENOT_RUNNING;
  }
  if (s->connections == 0)
    defer(s, SVP_CLOSE);
  return err;
}

static void on_tick(ln_tick_t *tick) {
  ln_server_t *s = ln__container_of(tick, ln_server_t, tick);
  unsigned p;

  s->flags |= SVF_TICKING;
  while ((p = s->pending) != 0) {
    if (p & SVP_ERROR) {
      ln_event_t e = {0};
      s->pending &= ~SVP_ERROR;
      e.status = s->error;
      e.syscall = s->error_syscall;
      e.address = s->error_path != NULL ? s->error_path
                                        : s->error_address.address;
      e.len = s->error_address.len;
      e.port = s->error_address.port;
      e.host = s->error_host;
      notify(s, LN_SERVER_EV_ERROR, &e);
      free(s->error_host);
      s->error_host = NULL;
      free(s->error_path);
      s->error_path = NULL;
    } else if (p & SVP_LISTENING) {
      s->pending &= ~SVP_LISTENING;
      if (s->listener != NULL)
        notify(s, LN_SERVER_EV_LISTENING, NULL);
    } else {
      s->pending &= ~SVP_CLOSE;
      if (s->listener == NULL && s->connections == 0)
        notify(s, LN_SERVER_EV_CLOSE, NULL);
    }
  }
  s->flags &= ~SVF_TICKING;
}

void ln_server_init(ln_loop_t *loop, ln_server_t *s,
                    const ln_server_opts_t *opts) {
  memset(s, 0, sizeof(*s));
  s->loop = loop;
  s->max_connections = -1;
  if (opts != NULL)
    s->opts = *opts;
  if (s->opts.block_list != NULL)
    ln_blocklist_retain(s->opts.block_list);
}

const char *ln_server_path(const ln_server_t *s, size_t *len) {
  const ln__listener_t *l = s->listener;
  if (l == NULL || l->h.handle.type != UV_NAMED_PIPE || l->path_len == 0)
    return NULL;
  *len = l->path_len;
  return l->path;
}

int ln_server_address(const ln_server_t *s, ln_addr_t *out) {
  const ln__listener_t *l = s->listener;
  struct sockaddr_storage ss;
  int len = sizeof(ss), err;

  if (l == NULL)
    return UV_ENOTCONN;
  if (l->h.handle.type == UV_NAMED_PIPE) {
    size_t n = l->path_len < sizeof(out->address) - 1
                   ? l->path_len
                   : sizeof(out->address) - 1;
    if (n == 0) { /* listening on a descriptor: ask the kernel */
      n = sizeof(out->address);
      if ((err = uv_pipe_getsockname(&l->h.pipe, out->address, &n)) != 0)
        return err;
    } else {
      memcpy(out->address, l->path, n);
      out->address[n] = '\0';
    }
    out->len = n;
    out->port = 0;
    out->family = 0;
    return 0;
  }
  if ((err = uv_tcp_getsockname(&l->h.tcp, (struct sockaddr *)&ss, &len)))
    return err;
  return ln_addr_format((struct sockaddr *)&ss, out);
}

int ln_server_listening(const ln_server_t *s) {
  return s->listener != NULL;
}

void ln_server_ref(ln_server_t *s) {
  s->flags &= ~SVF_UNREF;
  if (s->listener != NULL)
    uv_ref(&s->listener->h.handle);
}

void ln_server_unref(ln_server_t *s) {
  s->flags |= SVF_UNREF;
  if (s->listener != NULL)
    uv_unref(&s->listener->h.handle);
}

int ln_server_fileno(const ln_server_t *s) {
  uv_os_fd_t fd;
  if (s->listener == NULL || uv_fileno(&s->listener->h.handle, &fd) != 0)
    return -1;
  return fd;
}

int ln_server_is_active(const ln_server_t *s) {
  return s->listener != NULL || s->lookup != NULL || s->connections > 0 ||
         s->tick.cb != NULL || s->pending != 0;
}

void ln_server_release(ln_server_t *s) {
  s->flags |= SVF_RELEASED;
  free(s->error_host); /* an error never delivered (the loop is closing) */
  s->error_host = NULL;
  free(s->error_path);
  s->error_path = NULL;
  ln_blocklist_release(s->opts.block_list);
  s->opts.block_list = NULL;
  if (s->listener != NULL || s->lookup != NULL)
    ln_server_close(s);
}
