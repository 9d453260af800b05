/* Connecting a socket: a Unix path, a numeric address, or a name resolved
 * first and tried address by address as Node's autoSelectFamily does, and
 * the details of a failed connect for its error. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "internal.h"

#define DEFAULT_ATTEMPT_TIMEOUT 250 /* ms, Node's autoSelectFamily default */
#define MAX_ADDRESSES LN_MAX_ADDRESSES

/* A connection being made: the name to resolve, the addresses to try, and
 * the timer that moves on to the next address. It outlives the socket when
 * getaddrinfo is still running (socket is then NULL). */
typedef struct ln__connect_s {
  uv_connect_t req;
  uv_getaddrinfo_t gai;
  uv_timer_t timer;
  ln_socket_t *socket;
  int resolving;   /* gai in flight */
  int awaiting;    /* the embedder resolves host (ln_socket_connect_lookup) */
  int timing;      /* timer initialised */
  int auto_select; /* try every address found (Node's autoSelectFamily) */
  int port, local_port, family, count, current;
  unsigned attempt_timeout;
  ln_blocklist_t *block_list; /* a reference, or NULL */
  int errors[MAX_ADDRESSES]; /* how each address failed, in order */
  const char *syscalls[MAX_ADDRESSES];
  ln_addr_t address; /* the address being tried, for errors */
  const char *local_address; /* "" for none; after host[], same block */
  struct sockaddr_storage addrs[MAX_ADDRESSES];
  size_t host_len;
  char host[]; /* the name, numeric address, or path */
} ln__connect_t;

/* ---- connecting ------------------------------------------------------- */

static void connect_free(uv_handle_t *handle) {
  free(ln__container_of(handle, ln__connect_t, timer));
}

/* Lets go of c: freed now, or once getaddrinfo or its timer is done. */
void ln__connect_release(ln__connect_t *c) {
  c->socket = NULL;
  ln_blocklist_release(c->block_list);
  c->block_list = NULL;
  if (c->resolving)
    return;
  if (!c->timing)
    free(c);
  else if (!uv_is_closing((uv_handle_t *)&c->timer))
    uv_close((uv_handle_t *)&c->timer, connect_free);
}

static void connect_timer_closer(uv_handle_t *handle) {
  ln__connect_t *c = ln__container_of(handle, ln__connect_t, timer);
  if (c->socket != NULL)
    ln__destroy(c->socket, 0, NULL); /* releases c when its handle closes */
  else
    uv_close(handle, connect_free);
}
static const ln_close_fn connect_timer_close_fn = connect_timer_closer;

void ln__connected(ln_socket_t *s) {
  ln__write_t *w;

  s->state = LN_SOCKET_OPEN;
  ln__connect_release(s->more->connect);
  s->more->connect = NULL;
  ln__touch(s);
  ln__apply_options(s);
  for (w = ln__wlist_take(&s->more->queued); w != NULL;) {
    ln__write_t *next = w->next;
    if (ln__is_destroyed(s)) {
      s->writable_length -= w->counted;
      ln__write_done(s, w, LN_EDESTROYED);
    } else {
      ln__send_write(s, w);
    }
    w = next;
  }
  if (ln__is_destroyed(s))
    return;
  if (s->flags & SF_ENDING)
    ln__shutdown(s);
  if (s->flags & SF_NOT_READABLE)
    s->flags |= SF_EOF | SF_END_EMITTED;
  ln__notify(s, LN_SOCKET_EV_CONNECT, NULL);
  if (s->flags & SF_RESET) /* resetAndDestroy() while connecting */
    ln__destroy(s, 0, NULL);
  if ((s->pending & SP_WRITTEN) && !ln__is_destroyed(s)) {
    /* Node completes the writes made while connecting in its 'connect'. */
    s->pending &= ~SP_WRITTEN;
    ln__written(s);
  }
  ln__notify(s, LN_SOCKET_EV_READY, NULL); /* as Node, even once destroyed */
  if (!ln__is_destroyed(s))
    ln__start_reading(s); /* Node's read(0) after 'connect' and 'ready' */
}

/* Closes the handle to try the next address with a fresh one. */
static void reopen(ln_socket_t *s) {
  s->flags |= SF_REOPEN;
  if (s->flags & SF_READING)
    uv_read_stop(&s->h.stream);
  s->flags &= ~SF_READING;
  uv_close(&s->h.handle, ln__on_close);
}

/* Tells of the attempt at the current address: ev is ATTEMPT,
 * ATTEMPT_FAILED (with err) or ATTEMPT_TIMEOUT, as Node's
 * 'connectionAttempt*' events. Returns whether s is still connecting. */
static int tell_attempt(ln_socket_t *s, ln_socket_event_t ev, int err) {
  ln__connect_t *c = ln__connecting(s);
  ln_event_t e = {0};

  e.status = err;
  e.syscall = "connect";
  e.attempts = c->auto_select ? c->count : 0;
  e.index = c->current;
  if (s->flags & SF_PIPE) {
    e.address = c->host;
    e.len = c->host_len;
  } else {
    e.address = c->address.address;
    e.len = c->address.len;
    e.port = c->address.port;
    e.family = c->address.family;
  }
  ln__notify(s, ev, &e);
  return s->state == LN_SOCKET_CONNECTING;
}

/* One address failed: try the next, or fail with the first error (with
 * all of them in the ERROR notification, as Node's AggregateError). A
 * timeout is told as such, a refusal as a failed attempt; a failure to
 * bind is only the socket's error, as in Node. */
static void connect_failed(ln_socket_t *s, int err, const char *syscall) {
  ln__connect_t *c = ln__connecting(s);
  if (c->current < MAX_ADDRESSES) {
    c->errors[c->current] = err;
    c->syscalls[c->current] = syscall;
  }
  if (strcmp(syscall, "connect") == 0 &&
      !tell_attempt(s,
                    err == UV_ETIMEDOUT && c->current + 1 < c->count
                        ? LN_SOCKET_EV_ATTEMPT_TIMEOUT
                        : LN_SOCKET_EV_ATTEMPT_FAILED,
                    err))
    return; /* a listener destroyed it */
  if (c->current + 1 < c->count) {
    c->current++;
    reopen(s);
  } else if (c->count > 1) {
    ln__destroy(s, c->errors[0], c->syscalls[0]);
  } else {
    ln__destroy(s, err, syscall);
  }
}

static void on_connect(uv_connect_t *req, int status) {
  ln__connect_t *c = ln__container_of(req, ln__connect_t, req);
  ln_socket_t *s = c->socket;

  if (status == UV_ECANCELED || s == NULL || s->state != LN_SOCKET_CONNECTING ||
      (s->flags & SF_REOPEN))
    return;
  ln_loop_enter(s->loop);
  if (c->timing)
    uv_timer_stop(&c->timer);
  if (status == 0)
    ln__connected(s);
  else
    connect_failed(s, status, "connect");
  ln_loop_leave(s->loop);
}

static void on_attempt_timeout(uv_timer_t *timer) {
  ln__connect_t *c = ln__container_of(timer, ln__connect_t, timer);
  ln_socket_t *s = c->socket;
  ln_loop_enter(s->loop);
  connect_failed(s, UV_ETIMEDOUT, "connect");
  ln_loop_leave(s->loop);
}

static int bind_local(ln_socket_t *s, const struct sockaddr *to) {
  ln__connect_t *c = ln__connecting(s);
  struct sockaddr_storage local;
  const char *ip = c->local_address;
  int err;

  if (ip[0] == '\0')
    ip = to->sa_family == AF_INET6 ? "::" : "0.0.0.0";
  /* Node binds with the destination's family: bind() for IPv4, bind6() */
  if ((err = ln_addr_parse(ip, c->local_port, &local)) != 0 ||
      local.ss_family != to->sa_family)
    return UV_EINVAL;
  return uv_tcp_bind(&s->h.tcp, (struct sockaddr *)&local, 0);
}

/* Connects a Unix socket. uv_pipe_connect cannot reach Linux's abstract
 * namespace (a name starting with a NUL) before libuv 1.46, so those are
 * connected here, where a Unix connect completes at once, and opened into
 * the handle; CONNECT follows on the next tick as after any connect. So is
 * a path of sun_path's 108 bytes or more: Node 22's libuv cuts it to those
 * 108, with no NUL, where libuv 1.44 would keep a byte less. */
static void connect_pipe(ln_socket_t *s) {
  ln__connect_t *c = ln__connecting(s);
  int fd, err;

  if (c->host[0] != '\0' && c->host_len < LN__SUN_PATH_MAX) {
    uv_pipe_connect(&c->req, &s->h.pipe, c->host, on_connect);
    return;
  }
  if ((fd = ln__unix_fd(c->host, c->host_len, connect)) < 0) {
    connect_failed(s, fd, "connect");
    return;
  }
  if ((err = uv_pipe_open(&s->h.pipe, fd)) != 0) {
    close(fd);
    connect_failed(s, err, "connect");
    return;
  }
  ln__defer(s, SP_CONNECTED);
}

void ln__connect_attempt(ln_socket_t *s) {
  ln__connect_t *c = ln__connecting(s);
  const struct sockaddr *to;
  int err;

  if (s->flags & SF_PIPE) {
    connect_pipe(s);
    return;
  }
  to = (const struct sockaddr *)&c->addrs[c->current];
  ln_addr_format(to, &c->address);
  err = 0;
  if (c->local_address[0] != '\0' || c->local_port != 0)
    if ((err = bind_local(s, to)) != 0) {
      connect_failed(s, err, "bind");
      return;
    }
  if (ln_blocklist_check(c->block_list, to)) {
    /* Node 22: of a name tried address by address, a failed attempt
     * (without 'connectionAttempt'); of one address, the attempt, then
     * the socket's error. */
    if (c->auto_select && c->count > 1)
      connect_failed(s, LN_EIP_BLOCKED, "connect");
    else if (tell_attempt(s, LN_SOCKET_EV_ATTEMPT, 0))
      ln__destroy(s, LN_EIP_BLOCKED, "connect");
    return;
  }
  if (!tell_attempt(s, LN_SOCKET_EV_ATTEMPT, 0))
    return;
  if ((err = uv_tcp_connect(&c->req, &s->h.tcp, to, on_connect)) != 0) {
    connect_failed(s, err, "connect");
    return;
  }
  if (c->current + 1 < c->count) {
    if (!c->timing) {
      uv_timer_init(&s->loop->uv, &c->timer);
      c->timer.data = (void *)&connect_timer_close_fn;
      c->timing = 1;
    }
    uv_timer_start(&c->timer, on_attempt_timeout, c->attempt_timeout, 0);
  }
}

static void on_resolved(uv_getaddrinfo_t *req, int status,
                        struct addrinfo *res) {
  ln__connect_t *c = ln__container_of(req, ln__connect_t, gai);
  ln_socket_t *s = c->socket;

  c->resolving = 0;
  if (s == NULL) { /* destroyed meanwhile */
    uv_freeaddrinfo(res);
    ln__connect_release(c);
    return;
  }
  ln_loop_enter(s->loop);
  if (status == 0) {
    /* Node emits 'lookup' for every address found, in the resolver's
     * order; without autoSelectFamily, for the one it uses. */
    c->count = ln_lookup_order(res, c->port, c->addrs,
                               c->auto_select ? MAX_ADDRESSES : 1);
    for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
      ln_addr_t a;
      ln_event_t e = {0};
      if (ln_addr_format(ai->ai_addr, &a) != 0)
        continue;
      e.address = a.address;
      e.family = a.family;
      e.host = c->host;
      ln__notify(s, LN_SOCKET_EV_LOOKUP, &e);
      if (s->state != LN_SOCKET_CONNECTING || !c->auto_select)
        break;
    }
    if (c->count == 0)
      status = UV_EAI_NONAME;
  } else {
    ln_event_t e = {0};
    e.status = status;
    e.syscall = "getaddrinfo";
    e.host = c->host;
    ln__notify(s, LN_SOCKET_EV_LOOKUP, &e);
  }
  uv_freeaddrinfo(res);
  if (s->state == LN_SOCKET_CONNECTING && !(s->flags & SF_REOPEN)) {
    if (status == 0)
      ln__connect_attempt(s);
    else
      ln__destroy(s, status, "getaddrinfo");
  }
  ln_loop_leave(s->loop);
}

/* ln_socket_connect, with host resolved by the embedder (by_embedder) or
 * by getaddrinfo. */
static int start_connect(ln_socket_t *s, const ln_connect_opts_t *o,
                         int by_embedder) {
  const char *host = o->path != NULL ? o->path : o->host ? o->host : "localhost";
  size_t len = o->path != NULL ? o->path_len : strlen(host);
  ln__connect_t *c;
  size_t local_len;
  int err;

  if (s->state == LN_SOCKET_CONNECTING)
    return UV_EALREADY;
  if (s->state == LN_SOCKET_OPEN)
    return UV_EISCONN;
  if (s->state == LN_SOCKET_CLOSING)
    return UV_EBUSY;
  if (o->port < 0 || o->port > 65535 || o->local_port < 0 ||
      o->local_port > 65535 || len == 0)
    return UV_EINVAL;
  local_len = o->local_address != NULL ? strlen(o->local_address) : 0;
  if ((c = calloc(1, sizeof(*c) + len + 1 + local_len + 1)) == NULL)
    return UV_ENOMEM;
  memcpy(c->host, host, len);
  c->host_len = len;
  c->port = o->port;
  c->family = o->family;
  c->local_port = o->local_port;
  c->local_address = c->host + len + 1;
  if (local_len > 0)
    memcpy(c->host + len + 1, o->local_address, local_len);
  c->attempt_timeout =
      o->attempt_timeout ? o->attempt_timeout : DEFAULT_ATTEMPT_TIMEOUT;
  c->socket = s;

  if (ln__more(s) == NULL) {
    free(c);
    return UV_ENOMEM;
  }
  /* A closed socket starts again from scratch (Node's _undestroy). */
  s->flags &= SF_UNREF | SF_NODELAY | SF_KEEPALIVE | SF_HALF_OPEN |
              SF_NOT_READABLE | SF_NOT_WRITABLE | SF_PAUSED | SF_FLOWING |
              SF_DECODING;
  ln_decoder_init(&s->more->decoder, s->more->decoder.enc);
  s->bytes_read = 0;
  s->bytes_written = s->writable_length; /* writes made before: Node counts them */
  s->error = 0;
  s->more->error_syscall = NULL;
  if ((err = ln__init_handle(s, o->path != NULL)) != 0) {
    free(c);
    return err;
  }
  if ((c->block_list = o->block_list) != NULL)
    ln_blocklist_retain(c->block_list);
  s->more->connect = c;
  s->state = LN_SOCKET_CONNECTING;
  ln__touch(s);

  if (o->path != NULL) {
    ln__connect_attempt(s);
  } else if (ln_addr_parse(host, o->port, &c->addrs[0]) == 0) {
    c->count = 1;
    ln__defer(s, SP_CONNECT); /* Node connects to an IP on the next tick */
  } else if (by_embedder) {
    c->awaiting = 1; /* until ln_socket_resolved */
  } else {
    struct addrinfo hints;
    ln_lookup_hints(&hints, o->family);
    c->auto_select =
        !o->no_auto_select && o->family == 0 && o->local_address == NULL;
    err = uv_getaddrinfo(&s->loop->uv, &c->gai, on_resolved, c->host, NULL,
                         &hints);
    if (err) {
      ln__destroy(s, err, "getaddrinfo");
      return 0;
    }
    c->resolving = 1;
  }
  return 0;
}

int ln_socket_connect(ln_socket_t *s, const ln_connect_opts_t *o) {
  return start_connect(s, o, 0);
}

int ln_socket_connect_lookup(ln_socket_t *s, const ln_connect_opts_t *o) {
  return start_connect(s, o, 1);
}

int ln_socket_resolved(ln_socket_t *s, const char *const *addresses,
                       size_t count) {
  ln__connect_t *c = ln__connecting(s);
  size_t i;

  if (c == NULL || !c->awaiting || s->state != LN_SOCKET_CONNECTING ||
      count == 0)
    return UV_EINVAL;
  if (count > MAX_ADDRESSES)
    count = MAX_ADDRESSES;
  for (i = 0; i < count; i++)
    if (ln_addr_parse(addresses[i], c->port, &c->addrs[i]) != 0)
      return UV_EINVAL;
  c->awaiting = 0;
  c->count = (int)count;
  /* Node tries one address as a plain connect, several as its
   * autoSelectFamily does (internalConnect, internalConnectMultiple). */
  c->auto_select = count > 1;
  ln__defer(s, SP_CONNECT);
  return 0;
}

/* The details of s->error, as Node's exception carries them. */
void ln__error_event(ln_socket_t *s, ln_event_t *e) {
  ln__connect_t *c = ln__connecting(s);
  const char *syscall = s->more != NULL ? s->more->error_syscall : NULL;

  e->status = s->error;
  e->syscall = syscall;
  if (c != NULL && c->count > 1 && c->current + 1 == c->count &&
      s->error == c->errors[0] && syscall == c->syscalls[0]) {
    e->attempts = c->count; /* every address failed */
    return;
  }
  if (c != NULL && syscall != NULL) {
    if (strcmp(syscall, "getaddrinfo") == 0) {
      e->host = c->host;
    } else if (strcmp(syscall, "bind") == 0) {
      e->address = c->local_address[0] ? c->local_address : NULL;
      e->port = c->local_port;
    } else if (strcmp(syscall, "connect") == 0) {
      e->address = (s->flags & SF_PIPE) ? c->host : c->address.address;
      e->len = (s->flags & SF_PIPE) ? c->host_len : c->address.len;
      e->port = (s->flags & SF_PIPE) ? 0 : c->address.port;
      if (c->local_address[0] != '\0' && c->local_port != 0) {
        e->local_address = c->local_address;
        e->local_port = c->local_port;
      }
    }
  }
}

int ln_socket_attempt(const ln_socket_t *s, int i, ln_event_t *out,
                      ln_addr_t *address) {
  const ln__connect_t *c = ln__connecting(s);
  memset(out, 0, sizeof(*out));
  if (c == NULL || i < 0 || i >= c->count || i > c->current ||
      ln_addr_format((const struct sockaddr *)&c->addrs[i], address) != 0)
    return UV_EINVAL;
  out->status = c->errors[i];
  out->syscall = c->syscalls[i];
  out->address = address->address;
  out->port = address->port;
  return 0;
}

