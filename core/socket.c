/* net.Socket's lifecycle: the handle, the state and the fields computed
 * from it, idle timeouts, closing, and the tick that delivers what a call
 * queued. Reading is in read.c, writing and ending in writeq.c, connecting
 * in connect.c. See socket.h for the contract; these files follow Node's
 * lib/net.js and its stream state machine, event for event. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

typedef struct ln__timeout_s {
  uv_timer_t timer;
  ln_socket_t *socket;
  uint64_t ms;
  uint64_t active_at; /* loop time of the last read or write */
  int expired;        /* fired; the next activity starts it again */
} ln__timeout_t;

/* ---- notifications and ticks ------------------------------------------ */

ln__more_t *ln__more(ln_socket_t *s) {
  if (s->more == NULL)
    s->more = calloc(1, sizeof(*s->more));
  return s->more;
}

void ln__notify(ln_socket_t *s, ln_socket_event_t ev, const ln_event_t *e) {
  static const ln_event_t none;
  if (!(s->flags & SF_RELEASED))
    s->loop->hooks->socket_event(s, ev, e != NULL ? e : &none);
}

static void on_tick(ln_tick_t *tick);

void ln__defer(ln_socket_t *s, unsigned what) {
  s->pending |= what;
  if (!(s->flags & SF_TICKING)) /* else the running tick sees it */
    ln_loop_defer(s->loop, &s->tick, on_tick);
}

/* ---- handles -------------------------------------------------------------
 */

static void socket_closer(uv_handle_t *handle) {
  ln_socket_t *s = ln__container_of(handle, ln_socket_t, h.handle);
  ln__destroy(s, 0, NULL);
}
static const ln_close_fn socket_close_fn = socket_closer;

int ln__init_handle(ln_socket_t *s, int pipe) {
  int err = pipe && s->tcp_only ? UV_EINVAL /* no room for a uv_pipe_t */
            : pipe              ? uv_pipe_init(&s->loop->uv, &s->h.pipe, 0)
                                : uv_tcp_init(&s->loop->uv, &s->h.tcp);
  if (err)
    return err;
  s->h.handle.data = (void *)&socket_close_fn;
  s->flags |= SF_HANDLE;
  s->flags = pipe ? s->flags | SF_PIPE : s->flags & ~SF_PIPE;
  if (s->flags & SF_UNREF)
    uv_unref(&s->h.handle);
  return 0;
}

void ln__apply_options(ln_socket_t *s) {
  if (s->flags & SF_PIPE)
    return;
  if (s->flags & SF_NODELAY)
    uv_tcp_nodelay(&s->h.tcp, 1);
  if (s->flags & SF_KEEPALIVE)
    uv_tcp_keepalive(&s->h.tcp, 1, s->more->keepalive_delay);
}

/* ---- timeouts ------------------------------------------------------------
 */

static void timeout_free(uv_handle_t *handle) {
  free(ln__container_of(handle, ln__timeout_t, timer));
}

static void timeout_closer(uv_handle_t *handle) {
  ln__timeout_t *t = ln__container_of(handle, ln__timeout_t, timer);
  if (t->socket != NULL)
    t->socket->more->timeout = NULL;
  uv_close(handle, timeout_free);
}
static const ln_close_fn timeout_close_fn = timeout_closer;

static void close_timeout(ln_socket_t *s) {
  ln__timeout_t *t = s->more != NULL ? s->more->timeout : NULL;
  if (t != NULL) {
    t->socket = NULL;
    uv_close((uv_handle_t *)&t->timer, timeout_free);
    s->more->timeout = NULL;
  }
}

static void on_timeout(uv_timer_t *timer) {
  ln__timeout_t *t = ln__container_of(timer, ln__timeout_t, timer);
  ln_socket_t *s = t->socket;
  uint64_t idle = ln_loop_now(s->loop) - t->active_at;

  if (idle < t->ms) {
    uv_timer_start(timer, on_timeout, t->ms - idle, 0);
    return;
  }
  t->expired = 1;
  ln_loop_enter(s->loop);
  ln__notify(s, LN_SOCKET_EV_TIMEOUT, NULL);
  ln_loop_leave(s->loop);
}

/* Records activity: the idle time starts again (Node's _unrefTimer). */
void ln__touch(ln_socket_t *s) {
  ln__timeout_t *t = s->more != NULL ? s->more->timeout : NULL;
  if (t == NULL) /* only a timeout needs the time */
    return;
  t->active_at = ln_loop_now(s->loop);
  if (t->expired) {
    t->expired = 0;
    uv_timer_start(&t->timer, on_timeout, t->ms, 0);
  }
}

int ln_socket_set_timeout(ln_socket_t *s, uint64_t ms) {
  ln__timeout_t *t;
  int err;

  if (ms == 0) {
    close_timeout(s);
    return 0;
  }
  if (ln__more(s) == NULL)
    return UV_ENOMEM;
  if ((t = s->more->timeout) == NULL) {
    if ((t = malloc(sizeof(*t))) == NULL)
      return UV_ENOMEM;
    if ((err = uv_timer_init(&s->loop->uv, &t->timer)) != 0) {
      free(t);
      return err;
    }
    t->timer.data = (void *)&timeout_close_fn;
    uv_unref((uv_handle_t *)&t->timer); /* as Node's unref'd socket timers */
    t->socket = s;
    s->more->timeout = t;
  }
  t->ms = ms;
  t->expired = 0;
  t->active_at = ln_loop_now(s->loop);
  return uv_timer_start(&t->timer, on_timeout, ms, 0);
}

uint64_t ln_socket_get_timeout(const ln_socket_t *s) {
  const ln__timeout_t *t = s->more != NULL ? s->more->timeout : NULL;
  return t != NULL ? t->ms : 0;
}

/* Opens s on fd, a descriptor of type (a TCP or Unix stream socket, or a
 * terminal opened as a pipe); start: read at once (Node's read(0)), or
 * only when asked (Node's manualStart, for process.stdin). */
static int open_fd(ln_socket_t *s, int fd, uv_handle_type type, int start) {
  int err;

  if (ln_loop_owns_fd(s->loop, fd))
    return UV_EEXIST; /* as libuv answers for a descriptor it watches */
  if ((err = ln__init_handle(s, type != UV_TCP)) != 0)
    return err;
  err = type == UV_TCP ? uv_tcp_open(&s->h.tcp, fd)
                       : uv_pipe_open(&s->h.pipe, fd);
  if (err) {
    /* CLOSE follows, as for any handle that was opened. */
    s->state = LN_SOCKET_CLOSING;
    uv_close(&s->h.handle, ln__on_close);
    return err;
  }
  s->state = LN_SOCKET_OPEN;
  if (s->flags & SF_NOT_READABLE)
    s->flags |= SF_EOF | SF_END_EMITTED;
  if (s->flags & SF_NOT_WRITABLE)
    s->flags |= SF_ENDING | SF_FINISHED;
  ln__apply_options(s);
  ln__touch(s);
  if (start)
    ln__start_reading(s);
  return 0;
}

int ln_socket_open(ln_socket_t *s, int fd) {
  uv_handle_type type = uv_guess_handle(fd);

  if (s->state != LN_SOCKET_IDLE && s->state != LN_SOCKET_CLOSED)
    return UV_EISCONN;
  if (type != UV_TCP && type != UV_NAMED_PIPE)
    return fd < 0 ? UV_EBADF : LN_EINVALID_FD_TYPE;
  return open_fd(s, fd, type, 1);
}

/* Whether fd is a terminal: it is then reopened, as libuv's uv_tty_init
 * does, so that fd is a file description of this process's own. */
static int own_terminal(int fd) {
  char path[256];
  int newfd;
  if (ttyname_r(fd, path, sizeof(path)) != 0)
    return UV_EINVAL;
  if ((newfd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
    return -errno;
  if (dup2(newfd, fd) < 0) {
    int err = -errno;
    close(newfd);
    return err;
  }
  close(newfd);
  return 0;
}

int ln_socket_open_stdio(ln_socket_t *s, int fd) {
  uv_handle_type type = uv_guess_handle(fd);
  int err;

  if (s->state != LN_SOCKET_IDLE && s->state != LN_SOCKET_CLOSED)
    return UV_EISCONN;
  if (fd < 0 || fcntl(fd, F_GETFD) < 0)
    return UV_EBADF;
  s->flags |= SF_NOT_WRITABLE;
  if (type == UV_TTY && (err = own_terminal(fd)) != 0)
    return err;
  if (type == UV_TCP || type == UV_NAMED_PIPE || type == UV_TTY)
    return open_fd(s, fd, type, 0);
  if ((err = ln__file_open(s, fd)) != 0)
    return err;
  s->state = LN_SOCKET_OPEN;
  s->flags |= SF_ENDING | SF_FINISHED;
  ln__touch(s);
  return 0;
}

/* ---- closing ---------------------------------------------------------- */

/* Frees s->more and what only it holds (its decoder goes with it). */
static void more_free(ln_socket_t *s) {
  if (s->more == NULL)
    return;
  ln__wlist_free(&s->more->queued);
  ln__wlist_free(&s->more->ending);
  free(s->more->rbuf);
  free(s->more);
  s->more = NULL;
  s->flags &= ~SF_DECODING;
}

/* The last step of every close: the writes never sent and the end()
 * callbacks never finished are told, then CLOSE. */
static void closed(ln_socket_t *s) {
  ln_event_t e = {0};
  ln__more_t *m = s->more;

  if (m != NULL) {
    ln__report_all(s, &m->queued, LN_ECLOSED_BEFORE_CONNECTION, NULL);
    if (m->ending.last != NULL) {
      if (s->error != 0)
        ln__error_event(s, &e);
      ln__report_all(s, &m->ending, s->error ? s->error : LN_EDESTROYED_END,
                     &e);
    }
    if (m->connect != NULL) {
      ln__connect_release(m->connect);
      m->connect = NULL;
    }
  }
  s->state = LN_SOCKET_CLOSED;
  if (s->flags & SF_RELEASED) { /* let go while active: nobody to tell */
    s->server = NULL;
    more_free(s);
    return;
  }
  memset(&e, 0, sizeof(e));
  e.status = (s->flags & SF_HAD_ERROR) != 0;
  e.server = s->server;
  s->server = NULL;
  ln__notify(s, LN_SOCKET_EV_CLOSE, &e);
}

void ln__on_close(uv_handle_t *handle) {
  ln_socket_t *s = ln__container_of(handle, ln_socket_t, h.handle);
  ln_loop_t *loop = s->loop;

  s->flags &= ~(SF_HANDLE | SF_READING);
  if (s->flags & SF_REOPEN) {
    s->flags &= ~SF_REOPEN;
    if (s->state == LN_SOCKET_CONNECTING) {
      int err = ln__init_handle(s, 0);
      ln_loop_enter(s->loop);
      if (err)
        ln__destroy(s, err, "connect");
      else
        ln__connect_attempt(s);
      ln_loop_leave(s->loop);
      return;
    }
  }
  ln_loop_enter(loop);
  if (s->more != NULL) {
    free(s->more->rbuf);
    s->more->rbuf = NULL;
    s->more->rpos = s->more->rlen = s->more->rcap = s->more->need = 0;
  }
  closed(s); /* s may be gone now: the embedder can let go of it on CLOSE */
  ln_loop_leave(loop);
}

void ln__destroy(ln_socket_t *s, int err, const char *syscall) {
  if (ln__is_destroyed(s))
    return;
  if (err) {
    s->flags |= SF_HAD_ERROR;
    s->error = err;
    /* Its syscall in more (out of memory, the error goes without it). */
    if (s->more != NULL || (syscall != NULL && ln__more(s) != NULL))
      s->more->error_syscall = syscall;
    ln__defer(s, SP_ERROR);
    /* Node's errorBuffer: with no write in flight, end()'s callbacks hear
     * of the error before 'error' does. */
    if (ln__has_ending(s) && !ln__has_queued(s) && s->writable_length == 0)
      ln__defer(s, SP_ENDCB);
  }
  if (s->corked != 0 && ln__has_queued(s))
    ln__defer(s, SP_WRITTEN); /* the writes cork() held fail there */
  close_timeout(s);
  if (s->server != NULL) /* it stays s->server until CLOSE */
    ln__server_connection_ended(s->server);
  s->state = LN_SOCKET_CLOSING;
  ln__pipe_stop(s); /* Node's pipe() unpipes at 'close' */
  if (s->more != NULL && s->more->file != NULL)
    ln__file_release(s);
  if (!(s->flags & SF_HANDLE)) {
    ln__defer(s, SP_CLOSE);
    return;
  }
  if (uv_is_closing(&s->h.handle))
    return; /* closing to reopen: on_close sees the new state */
  if (s->flags & SF_READING)
    uv_read_stop(&s->h.stream);
  s->flags &= ~SF_READING;
  if ((s->flags & (SF_RESET | SF_PIPE)) == SF_RESET &&
      uv_tcp_close_reset(&s->h.tcp, ln__on_close) == 0)
    return;
  uv_close(&s->h.handle, ln__on_close);
}

void ln_socket_destroy(ln_socket_t *s, int err) {
  ln__destroy(s, err, NULL);
}

int ln_socket_reset(ln_socket_t *s) {
  if (s->flags & SF_PIPE)
    return UV_ENOTSUP;
  s->flags |= SF_RESET;
  if (s->state != LN_SOCKET_CONNECTING)
    ln__destroy(s, s->state == LN_SOCKET_IDLE ? LN_ESOCKET_CLOSED : 0, NULL);
  return 0;
}

/* ---- the tick --------------------------------------------------------- */

static void deliver_error(ln_socket_t *s) {
  ln_event_t e = {0};
  ln__error_event(s, &e);
  ln__notify(s, LN_SOCKET_EV_ERROR, &e);
}

static void on_tick(ln_tick_t *tick) {
  ln_socket_t *s = ln__container_of(tick, ln_socket_t, tick);
  unsigned p;

  s->flags |= SF_TICKING;
  while ((p = s->pending) != 0) {
    /* One item at a time, in order: a notification may queue more. */
    if (p & SP_CONNECT) {
      s->pending &= ~SP_CONNECT;
      if (s->state == LN_SOCKET_CONNECTING)
        ln__connect_attempt(s);
    } else if (p & SP_CONNECTED) {
      s->pending &= ~SP_CONNECTED;
      if (s->state == LN_SOCKET_CONNECTING)
        ln__connected(s);
    } else if (p & SP_FLOW) {
      s->pending &= ~SP_FLOW;
      if (!ln__is_destroyed(s))
        ln__flow(s);
    } else if (p & SP_WRITTEN) {
      s->pending &= ~SP_WRITTEN;
      ln__written(s);
    } else if (p & SP_FINISH) {
      s->pending &= ~SP_FINISH;
      ln__finish(s);
    } else if (p & SP_ENDW) {
      s->pending &= ~SP_ENDW;
      ln_socket_end(s, NULL);
    } else if (p & SP_ENDCB) {
      ln_event_t e = {0};
      s->pending &= ~SP_ENDCB;
      ln__error_event(s, &e);
      if (s->more != NULL)
        ln__report_all(s, &s->more->ending, s->error, &e);
    } else if (p & SP_ERROR) {
      s->pending &= ~SP_ERROR;
      deliver_error(s);
    } else {
      s->pending &= ~SP_CLOSE;
      s->flags &= ~SF_TICKING; /* a 'close' listener may connect again */
      closed(s);
      return; /* s may be gone */
    }
  }
  s->flags &= ~SF_TICKING;
}

/* ---- the rest of the API ---------------------------------------------- */

void ln_socket_init(ln_loop_t *loop, ln_socket_t *s, unsigned flags) {
  /* All but ref, and of the handle what every size has: the socket may
   * have no room for a uv_pipe_t (ln_socket_size). */
  memset(s, 0, offsetof(ln_socket_t, ref));
  memset(&s->h, 0, sizeof(s->h.tcp));
  s->loop = loop;
  s->read_hwm = s->write_hwm = LN_DEFAULT_HIGH_WATER_MARK;
  s->state = LN_SOCKET_IDLE;
  if (flags & LN_SOCKET_ALLOW_HALF_OPEN)
    s->flags |= SF_HALF_OPEN;
  if (flags & LN_SOCKET_NOT_READABLE)
    s->flags |= SF_NOT_READABLE;
  if (flags & LN_SOCKET_NOT_WRITABLE)
    s->flags |= SF_NOT_WRITABLE;
}

int ln__socket_accept(ln_socket_t *s, ln_server_t *server,
                      uv_stream_t *listener, int check_peer) {
  const ln_server_opts_t *o = &server->opts;
  int err = ln__init_handle(s, listener->type == UV_NAMED_PIPE);

  if (err)
    return err;
  if ((err = uv_accept(listener, &s->h.stream)) != 0) {
    s->state = LN_SOCKET_CLOSING;
    uv_close(&s->h.handle, ln__on_close);
    return err;
  }
  if (check_peer && o->block_list != NULL && !(s->flags & SF_PIPE)) {
    struct sockaddr_storage peer;
    int len = sizeof(peer);
    if (uv_tcp_getpeername(&s->h.tcp, (struct sockaddr *)&peer, &len) == 0 &&
        ln_blocklist_check(o->block_list, (struct sockaddr *)&peer)) {
      s->state = LN_SOCKET_CLOSING; /* Node: closed at once, silently */
      uv_close(&s->h.handle, ln__on_close);
      return UV_ECONNABORTED;
    }
  }
  s->state = LN_SOCKET_OPEN;
  s->server = server;
  if (o->pause_on_connect)
    s->flags |= SF_PAUSED;
  if (o->no_delay)
    s->flags |= SF_NODELAY;
  s->read_hwm = s->write_hwm = o->high_water_mark;
  ln__apply_options(s);
  /* Node sets the server's keepAlive on the handle only: the socket's
   * setKeepAlive state, kept for a reconnect, is untouched. */
  if (o->keep_alive && !(s->flags & SF_PIPE))
    uv_tcp_keepalive(&s->h.tcp, 1, o->keep_alive_delay);
  ln__touch(s);
  return 0;
}

void ln__socket_start(ln_socket_t *s) {
  if (s->state == LN_SOCKET_OPEN)
    ln__start_reading(s);
}

int ln_socket_set_nodelay(ln_socket_t *s, int enable) {
  int same = !(s->flags & SF_NODELAY) == !enable;
  s->flags = enable ? s->flags | SF_NODELAY : s->flags & ~SF_NODELAY;
  if (!same && s->state == LN_SOCKET_OPEN &&
      (s->flags & (SF_HANDLE | SF_PIPE)) == SF_HANDLE)
    return uv_tcp_nodelay(&s->h.tcp, enable);
  return 0;
}

int ln_socket_set_keepalive(ln_socket_t *s, int enable, unsigned delay) {
  int same;
  if (ln__more(s) == NULL)
    return UV_ENOMEM;
  same = !(s->flags & SF_KEEPALIVE) == !enable &&
         (!enable || s->more->keepalive_delay == delay);
  s->flags = enable ? s->flags | SF_KEEPALIVE : s->flags & ~SF_KEEPALIVE;
  s->more->keepalive_delay = delay;
  if (!same && s->state == LN_SOCKET_OPEN &&
      (s->flags & (SF_HANDLE | SF_PIPE)) == SF_HANDLE)
    return uv_tcp_keepalive(&s->h.tcp, enable, delay);
  return 0;
}

void ln_socket_ref(ln_socket_t *s) {
  s->flags &= ~SF_UNREF;
  if (s->flags & SF_HANDLE)
    uv_ref(&s->h.handle);
}

void ln_socket_unref(ln_socket_t *s) {
  s->flags |= SF_UNREF;
  if (s->flags & SF_HANDLE)
    uv_unref(&s->h.handle);
}

int ln_socket_address(ln_socket_t *s, int peer, ln_addr_t *out) {
  struct sockaddr_storage ss;
  int len = sizeof(ss), err;

  if (peer && s->peer != NULL && (s->flags & SF_PEER_KNOWN))
    return ln_addr_format((struct sockaddr *)s->peer, out);
  if ((s->state != LN_SOCKET_OPEN &&
       (peer || s->state != LN_SOCKET_CONNECTING)) || /* Node's _getpeername */
      !(s->flags & SF_HANDLE)) /* a file */
    return UV_ENOTCONN;
  if (s->flags & SF_PIPE) {
    size_t n = sizeof(out->address);
    err = peer ? uv_pipe_getpeername(&s->h.pipe, out->address, &n)
               : uv_pipe_getsockname(&s->h.pipe, out->address, &n);
    if (err)
      return err;
    out->len = n;
    out->port = 0;
    out->family = 0;
    return 0;
  }
  err = peer ? uv_tcp_getpeername(&s->h.tcp, (struct sockaddr *)&ss, &len)
             : uv_tcp_getsockname(&s->h.tcp, (struct sockaddr *)&ss, &len);
  if (err)
    return err;
  /* Node keeps the peer's name from its first reading (_peername), so it
   * still reads after 'close'; an IPv4 or IPv6 one fits the cache. */
  if (peer && (size_t)len <= sizeof(*s->peer) &&
      (s->peer != NULL || (s->peer = malloc(sizeof(*s->peer))) != NULL)) {
    memcpy(s->peer, &ss, (size_t)len);
    s->flags |= SF_PEER_KNOWN;
  }
  return ln_addr_format((struct sockaddr *)&ss, out);
}

int ln_socket_fileno(const ln_socket_t *s) {
  uv_os_fd_t fd;
  if (!(s->flags & SF_HANDLE) || uv_fileno(&s->h.handle, &fd) != 0)
    return -1;
  return fd;
}

int ln_socket_connecting(const ln_socket_t *s) {
  return s->state == LN_SOCKET_CONNECTING;
}

int ln_socket_pending(const ln_socket_t *s) {
  return s->state != LN_SOCKET_OPEN;
}

int ln_socket_destroyed(const ln_socket_t *s) {
  return ln__is_destroyed(s);
}

/* Node's streams are readable and writable from the start, connected or
 * not, until they end or are destroyed. */
int ln_socket_readable(const ln_socket_t *s) {
  return !ln__is_destroyed(s) &&
         !(s->flags & (SF_END_EMITTED | SF_NOT_READABLE));
}

int ln_socket_writable(const ln_socket_t *s) {
  return !ln__is_destroyed(s) && !(s->flags & (SF_ENDING | SF_NOT_WRITABLE));
}

int ln_socket_is_pipe(const ln_socket_t *s) {
  return (s->flags & SF_PIPE) != 0;
}

int ln_socket_allow_half_open(const ln_socket_t *s) {
  return (s->flags & SF_HALF_OPEN) != 0;
}

const char *ln_socket_ready_state(const ln_socket_t *s) {
  int r = ln_socket_readable(s), w = ln_socket_writable(s);
  if (s->state == LN_SOCKET_CONNECTING)
    return "opening";
  return r && w ? "open" : r ? "readOnly" : w ? "writeOnly" : "closed";
}

int ln_socket_is_active(const ln_socket_t *s) {
  return s->state == LN_SOCKET_CONNECTING || s->state == LN_SOCKET_OPEN ||
         s->state == LN_SOCKET_CLOSING || s->tick.cb != NULL ||
         s->pending != 0 ||
         (s->flags & SF_HOLD) ||
         (s->more != NULL && s->more->timeout != NULL &&
          !s->more->timeout->expired);
}

void ln_socket_release(ln_socket_t *s) {
  s->flags = (s->flags | SF_RELEASED) & ~SF_PEER_KNOWN;
  free(s->peer);
  s->peer = NULL;
  if (ln_socket_is_active(s)) {
    ln__destroy(s, 0, NULL);
    return;
  }
  close_timeout(s); /* an expired timer: libuv must not keep it */
  ln__wlist_free(&s->done);
  ln__pipe_stop(s); /* a socket never connected may still pipe */
  more_free(s);
}

void ln__close_handle(uv_handle_t *handle) {
  const ln_close_fn *close = handle->data;
  if (uv_is_closing(handle))
    return;
  if (close != NULL)
    (*close)(handle);
  else
    uv_close(handle, NULL);
}
