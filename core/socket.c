/* net.Socket's behaviour. See socket.h for the contract; this file follows
 * Node 20's lib/net.js and its stream state machine, event for event. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "internal.h"

/* s->flags */
#define SF_HANDLE 0x000001       /* s->h is initialised and must be closed */
#define SF_PIPE 0x000002         /* s->h is a uv_pipe_t */
#define SF_READING 0x000004      /* uv_read_start is in effect */
#define SF_FLOWING 0x000008      /* deliver data as it arrives */
#define SF_PAUSED 0x000010       /* pause(): read nothing */
#define SF_EOF 0x000020          /* the peer's FIN was read */
#define SF_END_EMITTED 0x000040  /* END delivered: no longer readable */
#define SF_ENDING 0x000080       /* end() called: no longer writable */
#define SF_SHUTDOWN 0x000100     /* uv_shutdown issued */
#define SF_FINISHED 0x000200     /* FINISH delivered */
#define SF_NEED_DRAIN 0x000400   /* write() said "full" */
#define SF_HALF_OPEN 0x000800    /* allowHalfOpen */
#define SF_HAD_ERROR 0x001000    /* destroyed with an error */
#define SF_UNREF 0x002000        /* does not keep the loop alive */
#define SF_NOT_READABLE 0x004000 /* { readable: false } */
#define SF_NOT_WRITABLE 0x008000 /* { writable: false } */
#define SF_RESET 0x010000        /* close with RST */
#define SF_NODELAY 0x020000      /* TCP_NODELAY, to apply once connected */
#define SF_KEEPALIVE 0x040000    /* SO_KEEPALIVE, to apply once connected */
#define SF_RELEASED 0x080000     /* the embedder let go: notify nothing */
#define SF_REOPEN 0x100000       /* closing only to try the next address */
#define SF_DECODING 0x200000     /* setEncoding(): DATA carries text */
#define SF_HOLD 0x400000         /* more notifications follow: active */

/* s->pending: what the next tick does, in this order. */
#define SP_CONNECT 0x01   /* connect to a numeric address */
#define SP_CONNECTED 0x02 /* a Unix connect that completed at once */
#define SP_FLOW 0x04      /* deliver buffered data, then END */
#define SP_WRITTEN 0x08   /* DRAIN, then WRITE for each finished write */
#define SP_FINISH 0x10    /* FINISH for a shutdown that completed at once */
#define SP_ENDW 0x20      /* end() after END without allowHalfOpen */
#define SP_ERROR 0x40     /* ERROR for s->error */
#define SP_CLOSE 0x80     /* CLOSE for a socket that had no handle */

#define DEFAULT_ATTEMPT_TIMEOUT 250 /* ms, Node's autoSelectFamily default */
#define MAX_ADDRESSES 16

/* A connection being made: the name to resolve, the addresses to try, and
 * the timer that moves on to the next address. It outlives the socket when
 * getaddrinfo is still running (socket is then NULL). */
typedef struct ln__connect_s {
  uv_connect_t req;
  uv_getaddrinfo_t gai;
  uv_timer_t timer;
  ln_socket_t *socket;
  int resolving;   /* gai in flight */
  int timing;      /* timer initialised */
  int auto_select; /* try every address found (Node's autoSelectFamily) */
  int port, local_port, family, count, current;
  unsigned attempt_timeout;
  int errors[MAX_ADDRESSES]; /* how each address failed, in order */
  const char *syscalls[MAX_ADDRESSES];
  ln_addr_t address; /* the address being tried, for errors */
  char local_address[LN_ADDR_MAX];
  struct sockaddr_storage addrs[MAX_ADDRESSES];
  size_t host_len;
  char host[]; /* the name, numeric address, or path */
} ln__connect_t;

typedef struct ln__timeout_s {
  uv_timer_t timer;
  ln_socket_t *socket;
  uint64_t ms;
  int expired; /* fired; the next activity starts it again */
} ln__timeout_t;

static void destroy(ln_socket_t *s, int err, const char *syscall);
static void update_reading(ln_socket_t *s);
static void connect_attempt(ln_socket_t *s);
static void on_close(uv_handle_t *handle);
static void error_event(ln_socket_t *s, ln_event_t *e);

/* ---- notifications and ticks ------------------------------------------ */

static void notify(ln_socket_t *s, ln_socket_event_t ev, const ln_event_t *e) {
  static const ln_event_t none;
  if (!(s->flags & SF_RELEASED))
    s->loop->hooks->socket_event(s, ev, e != NULL ? e : &none);
}

static int is_destroyed(const ln_socket_t *s) {
  return s->state >= LN_SOCKET_CLOSING;
}

static void on_tick(ln_tick_t *tick);

static void defer(ln_socket_t *s, unsigned what) {
  s->pending |= what;
  ln_loop_defer(s->loop, &s->tick, on_tick);
}

/* ---- handles -------------------------------------------------------------
 */

static void socket_closer(uv_handle_t *handle) {
  ln_socket_t *s = ln__container_of(handle, ln_socket_t, h.handle);
  destroy(s, 0, NULL);
}
static const ln_close_fn socket_close_fn = socket_closer;

static int init_handle(ln_socket_t *s, int pipe) {
  int err = pipe ? uv_pipe_init(&s->loop->uv, &s->h.pipe, 0)
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

static void apply_options(ln_socket_t *s) {
  if (s->flags & SF_PIPE)
    return;
  if (s->flags & SF_NODELAY)
    uv_tcp_nodelay(&s->h.tcp, 1);
  if (s->flags & SF_KEEPALIVE)
    uv_tcp_keepalive(&s->h.tcp, 1, s->keepalive_delay);
}

/* ---- timeouts ------------------------------------------------------------
 */

static void timeout_free(uv_handle_t *handle) {
  free(ln__container_of(handle, ln__timeout_t, timer));
}

static void timeout_closer(uv_handle_t *handle) {
  ln__timeout_t *t = ln__container_of(handle, ln__timeout_t, timer);
  if (t->socket != NULL)
    t->socket->timeout = NULL;
  uv_close(handle, timeout_free);
}
static const ln_close_fn timeout_close_fn = timeout_closer;

static void close_timeout(ln_socket_t *s) {
  if (s->timeout != NULL) {
    s->timeout->socket = NULL;
    uv_close((uv_handle_t *)&s->timeout->timer, timeout_free);
    s->timeout = NULL;
  }
}

static void on_timeout(uv_timer_t *timer) {
  ln__timeout_t *t = ln__container_of(timer, ln__timeout_t, timer);
  ln_socket_t *s = t->socket;
  uint64_t idle = ln_loop_now(s->loop) - s->active_at;

  if (idle < t->ms) {
    uv_timer_start(timer, on_timeout, t->ms - idle, 0);
    return;
  }
  t->expired = 1;
  ln_loop_enter(s->loop);
  notify(s, LN_SOCKET_EV_TIMEOUT, NULL);
  ln_loop_leave(s->loop);
}

/* Records activity: the idle time starts again (Node's _unrefTimer). */
static void touch(ln_socket_t *s) {
  s->active_at = ln_loop_now(s->loop);
  if (s->timeout != NULL && s->timeout->expired) {
    s->timeout->expired = 0;
    uv_timer_start(&s->timeout->timer, on_timeout, s->timeout->ms, 0);
  }
}

int ln_socket_set_timeout(ln_socket_t *s, uint64_t ms) {
  ln__timeout_t *t = s->timeout;
  int err;

  if (ms == 0) {
    close_timeout(s);
    return 0;
  }
  if (t == NULL) {
    if ((t = malloc(sizeof(*t))) == NULL)
      return UV_ENOMEM;
    if ((err = uv_timer_init(&s->loop->uv, &t->timer)) != 0) {
      free(t);
      return err;
    }
    t->timer.data = (void *)&timeout_close_fn;
    uv_unref((uv_handle_t *)&t->timer); /* as Node's unref'd socket timers */
    t->socket = s;
    s->timeout = t;
  }
  t->ms = ms;
  t->expired = 0;
  s->active_at = ln_loop_now(s->loop);
  return uv_timer_start(&t->timer, on_timeout, ms, 0);
}

uint64_t ln_socket_get_timeout(const ln_socket_t *s) {
  return s->timeout != NULL ? s->timeout->ms : 0;
}

/* ---- reading ---------------------------------------------------------- */

static void on_alloc(uv_handle_t *handle, size_t hint, uv_buf_t *buf) {
  ln_socket_t *s = ln__container_of(handle, ln_socket_t, h.handle);
  ln_loop_t *loop = s->loop;
  (void)hint;
  if (!loop->rbuf_busy) {
    loop->rbuf_busy = 1;
    *buf = uv_buf_init(loop->rbuf, sizeof(loop->rbuf));
  } else {
    /* Never happens with libuv's one-read-at-a-time loop; stay safe. */
    char *base = malloc(LN_READ_BUFFER_SIZE);
    *buf = uv_buf_init(base, base != NULL ? LN_READ_BUFFER_SIZE : 0);
  }
}

static void release_buf(ln_loop_t *loop, const uv_buf_t *buf) {
  if (buf->base == loop->rbuf)
    loop->rbuf_busy = 0;
  else
    free(buf->base);
}

/* Keeps len bytes of data for later delivery. Returns 0 or UV_ENOMEM. */
static int keep(ln_socket_t *s, const char *data, size_t len) {
  if (len > s->rcap - s->rlen) {
    size_t cap = s->rcap ? s->rcap : 4096;
    char *p;
    while (cap - s->rlen < len)
      if ((cap *= 2) > SIZE_MAX / 2)
        return UV_ENOMEM;
    if ((p = realloc(s->rbuf, cap)) == NULL)
      return UV_ENOMEM;
    s->rbuf = p;
    s->rcap = cap;
  }
  memcpy(s->rbuf + s->rlen, data, len);
  s->rlen += len;
  return 0;
}

static void notify_data(ln_socket_t *s, const char *data, size_t len) {
  ln_event_t e = {0};
  e.data = data;
  e.len = len;
  notify(s, LN_SOCKET_EV_DATA, &e);
}

/* Room for n bytes of decoded text: the loop's buffer, kept between reads
 * so that decoding allocates nothing once it has grown, or (when a
 * notification is already using it) a buffer of its own. NULL when out of
 * memory. */
static char *text_buffer(ln_loop_t *loop, size_t n) {
  if (loop->tbuf_busy)
    return malloc(n > 0 ? n : 1);
  if (n > loop->tcap) {
    char *p = realloc(loop->tbuf, n);
    if (p == NULL)
      return NULL;
    loop->tbuf = p;
    loop->tcap = n;
  }
  loop->tbuf_busy = 1;
  return loop->tbuf;
}

static void text_release(ln_loop_t *loop, char *text) {
  if (text == loop->tbuf)
    loop->tbuf_busy = 0;
  else
    free(text);
}

/* Hands len bytes read to the embedder: as they are, or decoded (Node's
 * readableAddChunk: no 'data' when a chunk decodes to nothing), or, for
 * end, what the decoder still holds. */
static void deliver(ln_socket_t *s, const char *data, size_t len, int end) {
  ln_loop_t *loop = s->loop;
  char *text;
  size_t n;

  if (!(s->flags & SF_DECODING)) {
    if (!end)
      notify_data(s, data, len);
    return;
  }
  text = text_buffer(loop, ln_decoder_max(&s->decoder, len));
  if (text == NULL) {
    destroy(s, UV_ENOMEM, "read");
    return;
  }
  n = end ? ln_decoder_end(&s->decoder, text)
          : ln_decoder_write(&s->decoder, data, len, text);
  if (n > 0)
    notify_data(s, text, n);
  text_release(loop, text);
}

static void after_end(ln_socket_t *s) {
  /* Node's endReadableNT: without allowHalfOpen the writable side ends on
   * the next tick; otherwise a finished socket is done. */
  if (!(s->flags & (SF_ENDING | SF_HALF_OPEN)))
    defer(s, SP_ENDW);
  else if (s->flags & (SF_FINISHED | SF_NOT_WRITABLE))
    destroy(s, 0, NULL);
}

static int flowing(const ln_socket_t *s) {
  return (s->flags & (SF_FLOWING | SF_PAUSED)) == SF_FLOWING;
}

/* Node's read(0) after the peer's FIN: 'end' once nothing is buffered,
 * whether anyone reads or not; the characters a decoder still holds are
 * buffered data too, delivered first once flowing. */
static int can_end(const ln_socket_t *s) {
  return (s->flags & (SF_EOF | SF_END_EMITTED)) == SF_EOF && s->rlen == 0 &&
         !is_destroyed(s) &&
         (flowing(s) || !(s->flags & SF_DECODING) ||
          !ln_decoder_holds(&s->decoder));
}

static void maybe_end(ln_socket_t *s) {
  if (can_end(s) && (s->flags & SF_DECODING)) {
    /* Node's onEofChunk: the decoder's last characters come first. */
    deliver(s, NULL, 0, 1);
  }
  if (can_end(s)) {
    s->flags |= SF_END_EMITTED;
    notify(s, LN_SOCKET_EV_END, NULL);
    if (!is_destroyed(s))
      after_end(s);
  }
}

/* Delivers what is buffered, as one chunk, then END if the peer ended. */
static void flow(ln_socket_t *s) {
  while (s->rlen > 0 && flowing(s) && !is_destroyed(s)) {
    char *data = s->rbuf;
    size_t len = s->rlen;
    s->rbuf = NULL;
    s->rlen = s->rcap = 0;
    deliver(s, data, len, 0);
    free(data);
  }
  maybe_end(s);
  update_reading(s);
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf) {
  ln_socket_t *s = ln__container_of(stream, ln_socket_t, h.stream);
  ln_loop_t *loop = s->loop;

  ln_loop_enter(loop);
  if (nread > 0) {
    s->bytes_read += (uint64_t)nread;
    touch(s);
    if (flowing(s) && s->rlen == 0) {
      deliver(s, buf->base, (size_t)nread, 0);
    } else if (keep(s, buf->base, (size_t)nread) != 0) {
      destroy(s, UV_ENOMEM, "read");
    } else if (flowing(s)) {
      defer(s, SP_FLOW);
    }
  } else if (nread == UV_EOF) {
    s->flags |= SF_EOF;
    defer(s, SP_FLOW);
  } else if (nread < 0) {
    destroy(s, (int)nread, "read");
  }
  release_buf(loop, buf);
  if (!is_destroyed(s))
    update_reading(s);
  ln_loop_leave(loop);
}

static void update_reading(ln_socket_t *s) {
  int want = s->state == LN_SOCKET_OPEN &&
             !(s->flags & (SF_EOF | SF_PAUSED | SF_NOT_READABLE)) &&
             s->rlen < s->read_hwm;
  if (want && !(s->flags & SF_READING)) {
    int err = uv_read_start(&s->h.stream, on_alloc, on_read);
    if (err) {
      destroy(s, err, "read");
      return;
    }
    s->flags |= SF_READING;
  } else if (!want && (s->flags & SF_READING)) {
    uv_read_stop(&s->h.stream);
    s->flags &= ~SF_READING;
  }
}

void ln_socket_pause(ln_socket_t *s) {
  s->flags |= SF_PAUSED;
  if (s->state == LN_SOCKET_OPEN)
    update_reading(s);
}

void ln_socket_resume(ln_socket_t *s) {
  s->flags = (s->flags & ~SF_PAUSED) | SF_FLOWING;
  if (s->state == LN_SOCKET_OPEN) {
    if (s->rlen > 0 || (s->flags & SF_EOF))
      defer(s, SP_FLOW);
    update_reading(s);
  }
}

int ln_socket_is_paused(const ln_socket_t *s) {
  return (s->flags & SF_PAUSED) != 0;
}

void ln_socket_set_encoding(ln_socket_t *s, int enc) {
  ln_decoder_init(&s->decoder, enc);
  s->flags |= SF_DECODING;
}

int ln_socket_encoding(const ln_socket_t *s) {
  return (s->flags & SF_DECODING) ? s->decoder.enc : -1;
}

/* ---- writing ---------------------------------------------------------- */

/* Reports w (finished at once, or failed) on the next tick. */
static void write_done(ln_socket_t *s, ln__write_t *w, int status) {
  w->status = status;
  ln__wlist_push(&s->done, w);
  defer(s, SP_WRITTEN);
}

/* Reports a token that has no write of its own. */
static void token_done(ln_socket_t *s, void *token, int status) {
  ln__write_t *w;
  if (token == NULL)
    return;
  if ((w = ln__write_new(NULL, 0, token, 0)) == NULL)
    return; /* out of memory: the callback is lost, nothing else */
  write_done(s, w, status);
}

/* Tells the embedder of every token in list (writes never sent, end()
 * calls) with status and the details of base, if given. */
static void report_all(ln_socket_t *s, ln_wlist_t *list, int status,
                       const ln_event_t *base) {
  ln__write_t *w = ln__wlist_take(list);
  while (w != NULL) {
    ln__write_t *next = w->next;
    s->writable_length -= w->len;
    if (w->token != NULL) {
      ln_event_t e = {0};
      if (base != NULL)
        e = *base;
      e.status = status;
      e.req = w->token;
      if (e.syscall == NULL)
        e.syscall = "write";
      notify(s, LN_SOCKET_EV_WRITE, &e);
    }
    free(w);
    w = next;
  }
}

static void maybe_drain(ln_socket_t *s) {
  /* Node's afterWrite: 'drain' once the queue is empty, unless ending. */
  if ((s->flags & (SF_NEED_DRAIN | SF_ENDING)) == SF_NEED_DRAIN &&
      s->writable_length == 0 && !is_destroyed(s)) {
    s->flags &= ~SF_NEED_DRAIN;
    notify(s, LN_SOCKET_EV_DRAIN, NULL);
  }
}

static void written(ln_socket_t *s) {
  ln__write_t *w = ln__wlist_take(&s->done);
  maybe_drain(s);
  while (w != NULL) {
    ln__write_t *next = w->next;
    if (w->token != NULL) {
      ln_event_t e = {0};
      e.status = w->status;
      e.req = w->token;
      e.syscall = "write";
      notify(s, LN_SOCKET_EV_WRITE, &e);
    }
    free(w);
    w = next;
  }
}

static void on_write(uv_write_t *req, int status) {
  ln__write_t *w = ln__container_of(req, ln__write_t, req);
  ln_socket_t *s = ln__container_of(req->handle, ln_socket_t, h.stream);

  s->writable_length -= w->len;
  ln_loop_enter(s->loop);
  if (status == 0) {
    maybe_drain(s);
  } else if (status == UV_ECANCELED) {
    status = 0; /* Node calls back without an error once destroyed */
  } else {
    destroy(s, status, "write");
  }
  if (w->token != NULL) {
    ln_event_t e = {0};
    e.status = status;
    e.req = w->token;
    e.syscall = "write";
    notify(s, LN_SOCKET_EV_WRITE, &e);
  }
  free(w);
  ln_loop_leave(s->loop);
}

/* Hands w to libuv, in pieces of at most LN__BUF_MAX bytes. Returns 0 or
 * an error (w is then still the caller's). */
static int submit(ln_socket_t *s, ln__write_t *w) {
  uv_buf_t small[4], *bufs = small;
  size_t n = w->len > 0 ? (w->len - 1) / LN__BUF_MAX + 1 : 1;
  int err;

  if (n > 4 && (n > UINT_MAX || (bufs = malloc(n * sizeof(*bufs))) == NULL))
    return UV_ENOMEM;
  for (size_t i = 0; i < n; i++)
    bufs[i] = ln__buf(w->base + i * LN__BUF_MAX, w->len - i * LN__BUF_MAX);
  err = uv_write(&w->req, &s->h.stream, bufs, (unsigned)n, on_write);
  if (bufs != small)
    free(bufs); /* libuv keeps a copy */
  return err;
}

/* Sends w, a write already copied: straight to the kernel if nothing is
 * queued before it, else (or for what the kernel did not take) to libuv.
 * On failure the socket is destroyed and w reported. */
static void send_write(ln_socket_t *s, ln__write_t *w) {
  int err;
  if (uv_stream_get_write_queue_size(&s->h.stream) == 0 && w->len > 0) {
    uv_buf_t buf = ln__buf(w->base, w->len);
    int n = uv_try_write(&s->h.stream, &buf, 1);
    if (n > 0) {
      s->writable_length -= (size_t)n;
      w->len -= (size_t)n;
      w->base += n;
    } else if (n != UV_EAGAIN && n != UV_ENOSYS) {
      s->writable_length -= w->len;
      write_done(s, w, n);
      destroy(s, n, "write");
      return;
    }
    if (w->len == 0) {
      if (w->token != NULL || (s->flags & SF_NEED_DRAIN))
        write_done(s, w, 0);
      else
        free(w);
      return;
    }
  }
  if ((err = submit(s, w)) != 0) {
    s->writable_length -= w->len;
    write_done(s, w, err);
    destroy(s, err, "write");
  }
}

static int write_data(ln_socket_t *s, const char *data, size_t len, void *req,
                      int pinned) {
  ln__write_t *w;
  int full, err;

  if (s->flags & SF_ENDING) {
    /* After end(): Node's writeAfterFIN when the peer ended us, else
     * write after end. Either destroys the socket (if it is not yet). */
    err = (s->flags & (SF_END_EMITTED | SF_HALF_OPEN)) == SF_END_EMITTED
              ? LN_EENDED_BY_PEER
              : LN_EWRITE_AFTER_END;
    token_done(s, req, err);
    destroy(s, err, NULL);
    return err;
  }
  if (is_destroyed(s)) {
    token_done(s, req, LN_EDESTROYED);
    return LN_EDESTROYED;
  }
  if (s->state == LN_SOCKET_IDLE) {
    token_done(s, req, LN_ESOCKET_CLOSED);
    destroy(s, LN_ESOCKET_CLOSED, NULL);
    return LN_ESOCKET_CLOSED;
  }

  /* As Node's writeOrBuffer: "full" counts this chunk before it goes. */
  s->writable_length += len;
  s->bytes_written += len;
  full = s->writable_length >= s->write_hwm;
  if (full)
    s->flags |= SF_NEED_DRAIN;
  touch(s);

  if (s->state == LN_SOCKET_OPEN && s->queued.head == NULL &&
      uv_stream_get_write_queue_size(&s->h.stream) == 0 && len > 0) {
    /* The hot path: no copy, no allocation when the kernel takes it all. */
    uv_buf_t buf = ln__buf(data, len);
    int n = uv_try_write(&s->h.stream, &buf, 1);
    if (n < 0 && n != UV_EAGAIN && n != UV_ENOSYS) {
      s->writable_length -= len;
      token_done(s, req, n);
      destroy(s, n, "write");
      return !full;
    }
    if (n > 0) {
      data += n;
      len -= (size_t)n;
      s->writable_length -= (size_t)n;
    }
    if (len == 0) {
      if (req != NULL)
        token_done(s, req, 0);
      else if (s->flags & SF_NEED_DRAIN)
        defer(s, SP_WRITTEN);
      return !full;
    }
  }

  if ((w = ln__write_new(data, len, req, pinned)) == NULL) {
    s->writable_length -= len;
    destroy(s, UV_ENOMEM, "write");
    return !full;
  }
  if (s->state != LN_SOCKET_OPEN)
    ln__wlist_push(&s->queued, w); /* sent once connected */
  else if ((err = submit(s, w)) != 0) {
    s->writable_length -= len;
    write_done(s, w, err);
    destroy(s, err, "write");
  }
  return !full;
}

int ln_socket_write(ln_socket_t *s, const char *data, size_t len, void *req) {
  return write_data(s, data, len, req, 0);
}

int ln_socket_write_pinned(ln_socket_t *s, const char *data, size_t len,
                           void *req) {
  return write_data(s, data, len, req, 1);
}

static void finish(ln_socket_t *s) {
  if (is_destroyed(s) || (s->flags & SF_FINISHED))
    return;
  s->flags |= SF_FINISHED | SF_HOLD; /* a socket never connected is idle */
  report_all(s, &s->ending, 0, NULL); /* Node's kOnFinished, before 'finish' */
  s->flags &= ~SF_HOLD;
  notify(s, LN_SOCKET_EV_FINISH, NULL);
  /* Node's autoDestroy: done once both sides are. */
  if (!is_destroyed(s) && (s->flags & (SF_END_EMITTED | SF_NOT_READABLE)))
    destroy(s, 0, NULL);
}

static void on_shutdown(uv_shutdown_t *req, int status) {
  ln_socket_t *s = ln__container_of(req->handle, ln_socket_t, h.stream);
  free(req);
  if (status == UV_ECANCELED)
    return;
  /* Node's afterShutdown ignores the status: 'finish' either way. */
  ln_loop_enter(s->loop);
  finish(s);
  ln_loop_leave(s->loop);
}

static void shutdown_now(ln_socket_t *s) {
  uv_shutdown_t *req = malloc(sizeof(*req));
  int err;

  if (req == NULL) {
    destroy(s, UV_ENOMEM, "shutdown");
    return;
  }
  s->flags |= SF_SHUTDOWN;
  if ((err = uv_shutdown(req, &s->h.stream, on_shutdown)) != 0) {
    free(req);
    if (err == UV_ENOTCONN)
      defer(s, SP_FINISH); /* Node: a synchronous finish */
    else
      destroy(s, err, "shutdown");
  }
}

void ln_socket_end(ln_socket_t *s, void *req) {
  if (s->flags & SF_FINISHED) {
    token_done(s, req, LN_EALREADY_FINISHED);
    return;
  }
  if (is_destroyed(s)) {
    token_done(s, req, LN_EDESTROYED_END);
    return;
  }
  if (req != NULL) {
    ln__write_t *w = ln__write_new(NULL, 0, req, 0);
    if (w == NULL) {
      destroy(s, UV_ENOMEM, "shutdown");
      return;
    }
    ln__wlist_push(&s->ending, w);
  }
  if (s->flags & SF_ENDING)
    return;
  s->flags |= SF_ENDING;
  if (s->state == LN_SOCKET_OPEN)
    shutdown_now(s);
  else if (s->state == LN_SOCKET_IDLE)
    defer(s, SP_FINISH); /* Node 22: nothing to flush, 'finish' at once */
}

/* ---- connecting ------------------------------------------------------- */

static void connect_free(uv_handle_t *handle) {
  free(ln__container_of(handle, ln__connect_t, timer));
}

/* Lets go of c: freed now, or once getaddrinfo or its timer is done. */
static void connect_release(ln__connect_t *c) {
  c->socket = NULL;
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
    destroy(c->socket, 0, NULL); /* releases c when its handle closes */
  else
    uv_close(handle, connect_free);
}
static const ln_close_fn connect_timer_close_fn = connect_timer_closer;

static void on_connected(ln_socket_t *s) {
  ln__write_t *w;

  s->state = LN_SOCKET_OPEN;
  connect_release(s->connect);
  s->connect = NULL;
  touch(s);
  apply_options(s);
  for (w = ln__wlist_take(&s->queued); w != NULL;) {
    ln__write_t *next = w->next;
    if (is_destroyed(s)) {
      s->writable_length -= w->len;
      write_done(s, w, LN_EDESTROYED);
    } else {
      send_write(s, w);
    }
    w = next;
  }
  if (is_destroyed(s))
    return;
  if (s->flags & SF_ENDING)
    shutdown_now(s);
  if (s->flags & SF_NOT_READABLE)
    s->flags |= SF_EOF | SF_END_EMITTED;
  notify(s, LN_SOCKET_EV_CONNECT, NULL);
  if (s->flags & SF_RESET) /* resetAndDestroy() while connecting */
    destroy(s, 0, NULL);
  if ((s->pending & SP_WRITTEN) && !is_destroyed(s)) {
    /* Node completes the writes made while connecting in its 'connect'. */
    s->pending &= ~SP_WRITTEN;
    written(s);
  }
  notify(s, LN_SOCKET_EV_READY, NULL); /* as Node, even once destroyed */
  if (!is_destroyed(s))
    update_reading(s);
}

/* Closes the handle to try the next address with a fresh one. */
static void reopen(ln_socket_t *s) {
  s->flags |= SF_REOPEN;
  if (s->flags & SF_READING)
    uv_read_stop(&s->h.stream);
  s->flags &= ~SF_READING;
  uv_close(&s->h.handle, on_close);
}

/* One address failed: try the next, or fail with the first error (with
 * all of them in the ERROR notification, as Node's AggregateError). */
static void connect_failed(ln_socket_t *s, int err, const char *syscall) {
  ln__connect_t *c = s->connect;
  if (c->current < MAX_ADDRESSES) {
    c->errors[c->current] = err;
    c->syscalls[c->current] = syscall;
  }
  if (c->current + 1 < c->count) {
    c->current++;
    reopen(s);
  } else if (c->count > 1) {
    destroy(s, c->errors[0], c->syscalls[0]);
  } else {
    destroy(s, err, syscall);
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
    on_connected(s);
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
  ln__connect_t *c = s->connect;
  struct sockaddr_storage local;
  const char *ip = c->local_address;
  int err;

  if (ip[0] == '\0')
    ip = to->sa_family == AF_INET6 ? "::" : "0.0.0.0";
  if ((err = ln_addr_parse(ip, c->local_port, &local)) != 0)
    return err;
  return uv_tcp_bind(&s->h.tcp, (struct sockaddr *)&local, 0);
}

/* Connects a Unix socket. uv_pipe_connect cannot reach Linux's abstract
 * namespace (a name starting with a NUL) before libuv 1.46, so those are
 * connected here, where a Unix connect completes at once, and opened into
 * the handle; CONNECT follows on the next tick as after any connect. */
static void connect_pipe(ln_socket_t *s) {
  ln__connect_t *c = s->connect;
  struct sockaddr_un sun;
  int fd, err;

  if (c->host_len >= sizeof(sun.sun_path)) {
    connect_failed(s, UV_ENAMETOOLONG, "connect");
    return;
  }
  if (c->host[0] != '\0') {
    uv_pipe_connect(&c->req, &s->h.pipe, c->host, on_connect);
    return;
  }
  memset(&sun, 0, sizeof(sun));
  sun.sun_family = AF_UNIX;
  memcpy(sun.sun_path, c->host, c->host_len);
  fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    connect_failed(s, -errno, "connect");
    return;
  }
  if (connect(fd, (struct sockaddr *)&sun,
              (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
                          c->host_len)) != 0) {
    err = -errno;
  } else {
    err = uv_pipe_open(&s->h.pipe, fd);
  }
  if (err) {
    close(fd);
    connect_failed(s, err, "connect");
    return;
  }
  defer(s, SP_CONNECTED);
}

static void connect_attempt(ln_socket_t *s) {
  ln__connect_t *c = s->connect;
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
    connect_release(c);
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
      notify(s, LN_SOCKET_EV_LOOKUP, &e);
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
    notify(s, LN_SOCKET_EV_LOOKUP, &e);
  }
  uv_freeaddrinfo(res);
  if (s->state == LN_SOCKET_CONNECTING && !(s->flags & SF_REOPEN)) {
    if (status == 0)
      connect_attempt(s);
    else
      destroy(s, status, "getaddrinfo");
  }
  ln_loop_leave(s->loop);
}

int ln_socket_connect(ln_socket_t *s, const ln_connect_opts_t *o) {
  const char *host = o->path != NULL ? o->path : o->host ? o->host : "localhost";
  size_t len = o->path != NULL ? o->path_len : strlen(host);
  ln__connect_t *c;
  int err;

  if (s->state == LN_SOCKET_CONNECTING)
    return UV_EALREADY;
  if (s->state == LN_SOCKET_OPEN)
    return UV_EISCONN;
  if (s->state == LN_SOCKET_CLOSING)
    return UV_EBUSY;
  if (o->port < 0 || o->port > 65535 || o->local_port < 0 ||
      o->local_port > 65535 || len == 0 ||
      (o->local_address != NULL &&
       strlen(o->local_address) >= LN_ADDR_MAX))
    return UV_EINVAL;
  if ((c = calloc(1, sizeof(*c) + len + 1)) == NULL)
    return UV_ENOMEM;
  memcpy(c->host, host, len);
  c->host_len = len;
  c->port = o->port;
  c->family = o->family;
  c->local_port = o->local_port;
  if (o->local_address != NULL)
    strcpy(c->local_address, o->local_address);
  c->attempt_timeout =
      o->attempt_timeout ? o->attempt_timeout : DEFAULT_ATTEMPT_TIMEOUT;
  c->socket = s;

  /* A closed socket starts again from scratch (Node's _undestroy). */
  s->flags &= SF_UNREF | SF_NODELAY | SF_KEEPALIVE | SF_HALF_OPEN |
              SF_NOT_READABLE | SF_NOT_WRITABLE | SF_PAUSED | SF_FLOWING |
              SF_DECODING;
  ln_decoder_init(&s->decoder, s->decoder.enc);
  s->bytes_read = s->bytes_written = 0;
  s->error = 0;
  s->error_syscall = NULL;
  if ((err = init_handle(s, o->path != NULL)) != 0) {
    free(c);
    return err;
  }
  s->connect = c;
  s->state = LN_SOCKET_CONNECTING;
  touch(s);

  if (o->path != NULL) {
    connect_attempt(s);
  } else if (ln_addr_parse(host, o->port, &c->addrs[0]) == 0) {
    c->count = 1;
    defer(s, SP_CONNECT); /* Node connects to an IP on the next tick */
  } else {
    struct addrinfo hints;
    ln_lookup_hints(&hints, o->family);
    c->auto_select =
        !o->no_auto_select && o->family == 0 && o->local_address == NULL;
    err = uv_getaddrinfo(&s->loop->uv, &c->gai, on_resolved, c->host, NULL,
                         &hints);
    if (err) {
      destroy(s, err, "getaddrinfo");
      return 0;
    }
    c->resolving = 1;
  }
  return 0;
}

int ln_socket_open(ln_socket_t *s, int fd) {
  uv_handle_type type = uv_guess_handle(fd);
  int err;

  if (s->state != LN_SOCKET_IDLE && s->state != LN_SOCKET_CLOSED)
    return UV_EISCONN;
  if (type != UV_TCP && type != UV_NAMED_PIPE)
    return fd < 0 ? UV_EBADF : LN_EINVALID_FD_TYPE;
  if (ln_loop_owns_fd(s->loop, fd))
    return UV_EEXIST; /* as libuv answers for a descriptor it watches */
  if ((err = init_handle(s, type == UV_NAMED_PIPE)) != 0)
    return err;
  err = type == UV_TCP ? uv_tcp_open(&s->h.tcp, fd)
                       : uv_pipe_open(&s->h.pipe, fd);
  if (err) {
    /* CLOSE follows, as for any handle that was opened. */
    s->state = LN_SOCKET_CLOSING;
    uv_close(&s->h.handle, on_close);
    return err;
  }
  s->state = LN_SOCKET_OPEN;
  if (s->flags & SF_NOT_READABLE)
    s->flags |= SF_EOF | SF_END_EMITTED;
  if (s->flags & SF_NOT_WRITABLE)
    s->flags |= SF_ENDING | SF_FINISHED;
  apply_options(s);
  touch(s);
  update_reading(s);
  return 0;
}

/* ---- closing ---------------------------------------------------------- */

/* The last step of every close: the writes never sent and the end()
 * callbacks never finished are told, then CLOSE. */
static void closed(ln_socket_t *s) {
  ln_event_t e = {0};

  report_all(s, &s->queued, LN_ECLOSED_BEFORE_CONNECTION, NULL);
  if (s->ending.head != NULL) {
    if (s->error != 0)
      error_event(s, &e);
    report_all(s, &s->ending, s->error ? s->error : LN_EDESTROYED_END, &e);
  }
  if (s->connect != NULL) {
    connect_release(s->connect);
    s->connect = NULL;
  }
  s->state = LN_SOCKET_CLOSED;
  memset(&e, 0, sizeof(e));
  e.status = (s->flags & SF_HAD_ERROR) != 0;
  notify(s, LN_SOCKET_EV_CLOSE, &e);
}

static void on_close(uv_handle_t *handle) {
  ln_socket_t *s = ln__container_of(handle, ln_socket_t, h.handle);
  ln_loop_t *loop = s->loop;

  s->flags &= ~(SF_HANDLE | SF_READING);
  if (s->flags & SF_REOPEN) {
    s->flags &= ~SF_REOPEN;
    if (s->state == LN_SOCKET_CONNECTING) {
      int err = init_handle(s, 0);
      ln_loop_enter(s->loop);
      if (err)
        destroy(s, err, "connect");
      else
        connect_attempt(s);
      ln_loop_leave(s->loop);
      return;
    }
  }
  ln_loop_enter(loop);
  free(s->rbuf);
  s->rbuf = NULL;
  s->rlen = s->rcap = 0;
  closed(s); /* s may be gone now: the embedder can let go of it on CLOSE */
  ln_loop_leave(loop);
}

static void destroy(ln_socket_t *s, int err, const char *syscall) {
  if (is_destroyed(s))
    return;
  if (err) {
    s->flags |= SF_HAD_ERROR;
    s->error = err;
    s->error_syscall = syscall;
    defer(s, SP_ERROR);
  }
  close_timeout(s);
  if (s->server != NULL) {
    ln_server_t *server = s->server;
    s->server = NULL;
    ln__server_connection_ended(server);
  }
  s->state = LN_SOCKET_CLOSING;
  if (!(s->flags & SF_HANDLE)) {
    defer(s, SP_CLOSE);
    return;
  }
  if (uv_is_closing(&s->h.handle))
    return; /* closing to reopen: on_close sees the new state */
  if (s->flags & SF_READING)
    uv_read_stop(&s->h.stream);
  s->flags &= ~SF_READING;
  if ((s->flags & (SF_RESET | SF_PIPE)) == SF_RESET &&
      uv_tcp_close_reset(&s->h.tcp, on_close) == 0)
    return;
  uv_close(&s->h.handle, on_close);
}

void ln_socket_destroy(ln_socket_t *s, int err) {
  destroy(s, err, NULL);
}

int ln_socket_reset(ln_socket_t *s) {
  if (s->flags & SF_PIPE)
    return UV_ENOTSUP;
  s->flags |= SF_RESET;
  if (s->state != LN_SOCKET_CONNECTING)
    destroy(s, s->state == LN_SOCKET_IDLE ? LN_ESOCKET_CLOSED : 0, NULL);
  return 0;
}

/* ---- the tick --------------------------------------------------------- */

/* The details of s->error, as Node's exception carries them. */
static void error_event(ln_socket_t *s, ln_event_t *e) {
  ln__connect_t *c = s->connect;

  e->status = s->error;
  e->syscall = s->error_syscall;
  if (c != NULL && c->count > 1 && c->current + 1 == c->count &&
      s->error == c->errors[0] && s->error_syscall == c->syscalls[0]) {
    e->attempts = c->count; /* every address failed */
    return;
  }
  if (c != NULL && s->error_syscall != NULL) {
    if (strcmp(s->error_syscall, "getaddrinfo") == 0) {
      e->host = c->host;
    } else if (strcmp(s->error_syscall, "bind") == 0) {
      e->address = c->local_address[0] ? c->local_address : NULL;
      e->port = c->local_port;
    } else if (strcmp(s->error_syscall, "connect") == 0) {
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

static void deliver_error(ln_socket_t *s) {
  ln_event_t e = {0};
  error_event(s, &e);
  notify(s, LN_SOCKET_EV_ERROR, &e);
}

static void on_tick(ln_tick_t *tick) {
  ln_socket_t *s = ln__container_of(tick, ln_socket_t, tick);
  unsigned p;

  while ((p = s->pending) != 0) {
    /* One item at a time, in order: a notification may queue more. */
    if (p & SP_CONNECT) {
      s->pending &= ~SP_CONNECT;
      if (s->state == LN_SOCKET_CONNECTING)
        connect_attempt(s);
    } else if (p & SP_CONNECTED) {
      s->pending &= ~SP_CONNECTED;
      if (s->state == LN_SOCKET_CONNECTING)
        on_connected(s);
    } else if (p & SP_FLOW) {
      s->pending &= ~SP_FLOW;
      if (!is_destroyed(s))
        flow(s);
    } else if (p & SP_WRITTEN) {
      s->pending &= ~SP_WRITTEN;
      written(s);
    } else if (p & SP_FINISH) {
      s->pending &= ~SP_FINISH;
      finish(s);
    } else if (p & SP_ENDW) {
      s->pending &= ~SP_ENDW;
      ln_socket_end(s, NULL);
    } else if (p & SP_ERROR) {
      s->pending &= ~SP_ERROR;
      deliver_error(s);
    } else {
      s->pending &= ~SP_CLOSE;
      closed(s);
      return; /* s may be gone */
    }
  }
}

/* ---- the rest of the API ---------------------------------------------- */

void ln_socket_init(ln_loop_t *loop, ln_socket_t *s, unsigned flags) {
  memset(s, 0, sizeof(*s));
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
                      uv_stream_t *listener) {
  const ln_server_opts_t *o = &server->opts;
  int err = init_handle(s, listener->type == UV_NAMED_PIPE);

  if (err)
    return err;
  if ((err = uv_accept(listener, &s->h.stream)) != 0) {
    s->state = LN_SOCKET_CLOSING;
    uv_close(&s->h.handle, on_close);
    return err;
  }
  s->state = LN_SOCKET_OPEN;
  s->server = server;
  if (o->pause_on_connect)
    s->flags |= SF_PAUSED;
  if (o->no_delay)
    s->flags |= SF_NODELAY;
  if (o->keep_alive) {
    s->flags |= SF_KEEPALIVE;
    s->keepalive_delay = o->keep_alive_delay;
  }
  if (o->high_water_mark)
    s->read_hwm = s->write_hwm = o->high_water_mark;
  apply_options(s);
  touch(s);
  return 0;
}

void ln__socket_start(ln_socket_t *s) {
  if (s->state == LN_SOCKET_OPEN)
    update_reading(s);
}

int ln_socket_set_nodelay(ln_socket_t *s, int enable) {
  s->flags = enable ? s->flags | SF_NODELAY : s->flags & ~SF_NODELAY;
  if (s->state == LN_SOCKET_OPEN && !(s->flags & SF_PIPE))
    return uv_tcp_nodelay(&s->h.tcp, enable);
  return 0;
}

int ln_socket_set_keepalive(ln_socket_t *s, int enable, unsigned delay) {
  s->flags = enable ? s->flags | SF_KEEPALIVE : s->flags & ~SF_KEEPALIVE;
  s->keepalive_delay = delay;
  if (s->state == LN_SOCKET_OPEN && !(s->flags & SF_PIPE))
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

int ln_socket_address(const ln_socket_t *s, int peer, ln_addr_t *out) {
  struct sockaddr_storage ss;
  int len = sizeof(ss), err;

  if (s->state != LN_SOCKET_OPEN && s->state != LN_SOCKET_CONNECTING)
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
  return ln_addr_format((struct sockaddr *)&ss, out);
}

int ln_socket_attempt(const ln_socket_t *s, int i, ln_event_t *out,
                      ln_addr_t *address) {
  const ln__connect_t *c = s->connect;
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
  return is_destroyed(s);
}

int ln_socket_readable(const ln_socket_t *s) {
  return (s->state == LN_SOCKET_OPEN || s->state == LN_SOCKET_CONNECTING) &&
         !(s->flags & (SF_END_EMITTED | SF_NOT_READABLE));
}

int ln_socket_writable(const ln_socket_t *s) {
  return (s->state == LN_SOCKET_OPEN || s->state == LN_SOCKET_CONNECTING) &&
         !(s->flags & (SF_ENDING | SF_NOT_WRITABLE));
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
         (s->flags & SF_HOLD) ||
         (s->timeout != NULL && !s->timeout->expired);
}

static void free_list(ln_wlist_t *list) {
  ln__write_t *w = ln__wlist_take(list);
  while (w != NULL) {
    ln__write_t *next = w->next;
    free(w);
    w = next;
  }
}

void ln_socket_release(ln_socket_t *s) {
  s->flags |= SF_RELEASED;
  if (ln_socket_is_active(s)) {
    destroy(s, 0, NULL);
    return;
  }
  close_timeout(s); /* an expired timer: libuv must not keep it */
  free_list(&s->queued);
  free_list(&s->done);
  free_list(&s->ending);
  free(s->rbuf);
  s->rbuf = NULL;
  s->rlen = s->rcap = 0;
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
