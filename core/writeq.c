/* Writing a socket, as Node's Writable: straight to the kernel when it
 * takes the bytes, else queued (copied, or pinned) with back-pressure and
 * 'drain'; held by cork() until uncork() sends them as one writev; end()
 * as a shutdown once the queue is flushed, then 'finish'. And the lists
 * that hold writes and end() requests. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The status of a write that cork() holds in more->queued, until the
 * last uncork(): those that wait for the connection are before them. */
#define HELD 1

/* ---- writing ---------------------------------------------------------- */

/* Reports w (finished at once, or failed) on the next tick. */
void ln__write_done(ln_socket_t *s, ln__write_t *w, int status) {
  w->status = status;
  ln__wlist_push(&s->done, w);
  ln__defer(s, SP_WRITTEN);
}

/* Reports a token that has no write of its own. */
static void token_done(ln_socket_t *s, void *token, int status) {
  ln__write_t *w;
  if (token == NULL)
    return;
  if ((w = ln__write_new(NULL, 0, token, 0)) == NULL)
    return; /* out of memory: the callback is lost, nothing else */
  ln__write_done(s, w, status);
}

/* Tells the embedder of every token in list (writes never sent, end()
 * calls) with status and the details of base, if given. */
void ln__report_all(ln_socket_t *s, ln_wlist_t *list, int status,
                       const ln_event_t *base) {
  ln__write_t *w = ln__wlist_take(list);
  while (w != NULL) {
    ln__write_t *next = w->next;
    s->writable_length -= w->counted;
    if (w->token != NULL) {
      ln_event_t e = {0};
      if (base != NULL)
        e = *base;
      e.status = status;
      e.req = w->token;
      if (e.syscall == NULL)
        e.syscall = "write";
      ln__notify(s, LN_SOCKET_EV_WRITE, &e);
    }
    free(w);
    w = next;
  }
}

static void maybe_drain(ln_socket_t *s) {
  /* Node's afterWrite: 'drain' once the queue is empty, unless ending. */
  if (s->writable_length == 0 && ln_socket_need_drain(s)) {
    s->flags &= ~SF_NEED_DRAIN;
    ln__pipe_drained(s);
    ln__notify(s, LN_SOCKET_EV_DRAIN, NULL);
  }
}

/* Node's errorBuffer: once destroyed, the writes cork() held get the
 * socket's error (or LN_EDESTROYED), when no write is in flight; else the
 * completion of the last one in flight calls this again. */
static void fail_held(ln_socket_t *s) {
  ln__write_t *first, *w;
  ln_event_t e = {0};
  size_t held = 0;

  if (!ln__has_queued(s) ||
      (first = s->more->queued.last->next)->status != HELD)
    return; /* none, or behind a write waiting for the connection */
  w = first;
  do {
    held += w->counted;
  } while ((w = w->next) != first);
  if (s->writable_length != held)
    return;
  if (s->error != 0)
    ln__error_event(s, &e);
  ln__report_all(s, &s->more->queued, s->error ? s->error : LN_EDESTROYED,
                 s->error ? &e : NULL);
}

void ln__written(ln_socket_t *s) {
  ln__write_t *w = ln__wlist_take(&s->done);
  maybe_drain(s);
  while (w != NULL) {
    ln__write_t *next = w->next;
    if (w->token != NULL) {
      ln_event_t e = {0};
      e.status = w->status;
      e.req = w->token;
      e.syscall = "write";
      ln__notify(s, LN_SOCKET_EV_WRITE, &e);
    }
    free(w);
    w = next;
  }
  if (ln__is_destroyed(s))
    fail_held(s); /* the tick after destroy(), as Node's errorBuffer */
}

/* The completion of a chain of writes sent as one request (the first's):
 * all are counted out at once and reported in order, as Node's writev. */
static void on_write(uv_write_t *req, int status) {
  ln__write_t *w = ln__container_of(req, ln__write_t, req), *next;
  ln_socket_t *s = ln__container_of(req->handle, ln_socket_t, h.stream);

  for (next = w; next != NULL; next = next->next)
    s->writable_length -= next->counted;
  ln_loop_enter(s->loop);
  if (status == 0) {
    maybe_drain(s);
  } else if (status == UV_ECANCELED) {
    status = 0; /* Node calls back without an error once destroyed */
  } else {
    ln__destroy(s, status, "write");
  }
  for (; w != NULL; w = next) {
    next = w->next;
    if (w->token != NULL) {
      ln_event_t e = {0};
      e.status = status;
      e.req = w->token;
      e.syscall = "write";
      ln__notify(s, LN_SOCKET_EV_WRITE, &e);
    }
    free(w);
  }
  if (ln__is_destroyed(s))
    fail_held(s);
  ln_loop_leave(s->loop);
}

/* The pieces of at most LN__BUF_MAX bytes that the chain from w on still
 * has to send, in *bufs (small, or allocated when more than 4 are
 * needed): their number, one empty piece when there is nothing to send,
 * or 0 when out of memory. */
static unsigned chain_bufs(const ln__write_t *w, uv_buf_t *small,
                           uv_buf_t **bufs) {
  const ln__write_t *v;
  size_t n = 0, i = 0;

  for (v = w; v != NULL; v = v->next)
    n += v->len > 0 ? (v->len - 1) / LN__BUF_MAX + 1 : 0;
  *bufs = small;
  if (n == 0) {
    small[0] = uv_buf_init(w->base, 0);
    return 1;
  }
  if (n > 4 && (n > UINT_MAX || (*bufs = malloc(n * sizeof(**bufs))) == NULL))
    return 0;
  for (v = w; v != NULL; v = v->next)
    for (size_t off = 0; off < v->len; off += LN__BUF_MAX)
      (*bufs)[i++] = ln__buf(v->base + off, v->len - off);
  return (unsigned)n;
}

/* Fails every write of the chain at w with err, and destroys s. */
static void fail_chain(ln_socket_t *s, ln__write_t *w, int err) {
  while (w != NULL) {
    ln__write_t *next = w->next;
    s->writable_length -= w->counted;
    ln__write_done(s, w, err);
    w = next;
  }
  ln__destroy(s, err, "write");
}

/* Sends the chain of writes at first (linked by next, the last's NULL) as
 * one writev: at_once: straight to the kernel first if nothing is queued
 * before it; what the kernel did not take goes to libuv as one request,
 * the chain reported when all of it is sent (Node's _writev: one
 * completion for its chunks). On failure the socket is destroyed and each
 * write reported. */
static void send_chain(ln_socket_t *s, ln__write_t *first, int at_once) {
  uv_buf_t small[4], *bufs;
  unsigned n = chain_bufs(first, small, &bufs), i = 0;
  int r;

  if (n == 0) {
    fail_chain(s, first, UV_ENOMEM);
    return;
  }
  if (at_once && bufs[0].len > 0 &&
      uv_stream_get_write_queue_size(&s->h.stream) == 0) {
    r = uv_try_write(&s->h.stream, bufs, n);
    if (r < 0 && r != UV_EAGAIN && r != UV_ENOSYS) {
      fail_chain(s, first, r);
      goto out;
    }
    for (size_t sent = r > 0 ? (size_t)r : 0; i < n && sent > 0; i++) {
      if (sent < bufs[i].len) { /* still counted whole until all is sent */
        bufs[i].base += sent;
        bufs[i].len -= (unsigned)sent;
        break;
      }
      sent -= bufs[i].len;
    }
    if (i == n) { /* all of it: reported on the next tick, as Node */
      while (first != NULL) {
        ln__write_t *next = first->next;
        s->writable_length -= first->counted;
        if (first->token != NULL)
          ln__write_done(s, first, 0);
        else
          free(first);
        first = next;
      }
      if (s->flags & SF_NEED_DRAIN)
        ln__defer(s, SP_WRITTEN);
      goto out;
    }
  }
  if ((r = uv_write(&first->req, &s->h.stream, bufs + i, n - i,
                    on_write)) != 0)
    fail_chain(s, first, r);
out:
  if (bufs != small)
    free(bufs); /* libuv keeps a copy */
}

/* Sends w, a write queued while connecting, alone; one that cork() holds
 * goes back to the queue, to wait for uncork(). */
void ln__send_write(ln_socket_t *s, ln__write_t *w) {
  if (w->status == HELD) {
    ln__wlist_push(&s->more->queued, w);
    return;
  }
  w->next = NULL;
  send_chain(s, w, 1);
}

/* write()'s answer: 1 while writable_length is below the high-water mark;
 * else 0, and 'drain' is owed (Node's needDrain). */
static int below_mark(ln_socket_t *s) {
  if (s->writable_length < s->write_hwm)
    return 1;
  s->flags |= SF_NEED_DRAIN;
  return 0;
}

static int write_data(ln_socket_t *s, const char *data, size_t len, void *req,
                      int pinned) {
  ln__write_t *w;
  size_t sent = 0;
  int err, queue;

  if (s->flags & SF_ENDING) {
    /* After end(): Node's writeAfterFIN when the peer ended us, else
     * write after end. Either destroys the socket (if it is not yet). */
    err = (s->flags & (SF_END_EMITTED | SF_HALF_OPEN)) == SF_END_EMITTED
              ? LN_EENDED_BY_PEER
              : LN_EWRITE_AFTER_END;
    token_done(s, req, err);
    ln__destroy(s, err, NULL);
    return err;
  }
  if (ln__is_destroyed(s)) {
    token_done(s, req, LN_EDESTROYED);
    return LN_EDESTROYED;
  }
  if (s->state == LN_SOCKET_IDLE && s->corked == 0) {
    token_done(s, req, LN_ESOCKET_CLOSED);
    ln__destroy(s, LN_ESOCKET_CLOSED, NULL);
    return LN_ESOCKET_CLOSED;
  }

  /* As Node's writeOrBuffer: the chunk counts in writable_length until
   * all of it is sent; write() returns whether that stays below the mark
   * once the kernel took what it could at once (a chunk it takes whole,
   * however long, leaves true). */
  s->writable_length += len;
  s->bytes_written += len;
  ln__touch(s);

  if (s->state == LN_SOCKET_OPEN && s->corked == 0 && !ln__has_queued(s) &&
      uv_stream_get_write_queue_size(&s->h.stream) == 0 && len > 0) {
    /* The hot path: no copy, no allocation when the kernel takes it all. */
    uv_buf_t buf = ln__buf(data, len);
    int n = uv_try_write(&s->h.stream, &buf, 1);
    if (n < 0 && n != UV_EAGAIN && n != UV_ENOSYS) {
      s->writable_length -= len;
      token_done(s, req, n);
      ln__destroy(s, n, "write");
      return 0; /* Node: false once errored */
    }
    if ((size_t)n == len && n > 0) {
      s->writable_length -= len;
      if (req != NULL)
        token_done(s, req, 0);
      else if (s->flags & SF_NEED_DRAIN)
        ln__defer(s, SP_WRITTEN);
      return below_mark(s);
    }
    if (n > 0)
      sent = (size_t)n;
  }

  queue = s->state != LN_SOCKET_OPEN || s->corked != 0;
  if ((w = ln__write_new(data + sent, len - sent, req, pinned)) == NULL ||
      (queue && ln__more(s) == NULL)) {
    free(w);
    s->writable_length -= len;
    ln__destroy(s, UV_ENOMEM, "write");
    return 0;
  }
  w->counted = len;
  if (queue) { /* sent once connected, or uncorked */
    if (s->corked != 0)
      w->status = HELD;
    ln__wlist_push(&s->more->queued, w);
    return below_mark(s);
  }
  send_chain(s, w, 0); /* the kernel took what it could at once */
  return ln__is_destroyed(s) ? 0 : below_mark(s);
}

/* Lets go of the writes cork() held, as Node's clearBuffer at the last
 * uncork(): on a connected socket as one writev; while connecting, to go
 * at the connection as any write made then; on a socket never connected,
 * failed as a write there fails (Node's _writev finds no handle). Once
 * destroyed they stay: destroy() fails them. */
static void release_held(ln_socket_t *s) {
  ln__write_t *first, *w;

  if (!ln__has_queued(s) || ln__is_destroyed(s))
    return;
  if (s->state == LN_SOCKET_CONNECTING) {
    first = w = s->more->queued.last->next;
    do {
      w->status = 0;
    } while ((w = w->next) != first);
    return;
  }
  first = ln__wlist_take(&s->more->queued);
  for (w = first; w != NULL; w = w->next)
    w->status = 0;
  if (s->state == LN_SOCKET_OPEN) {
    send_chain(s, first, 1);
    return;
  }
  for (w = first; w != NULL; w = first) {
    first = w->next;
    s->writable_length -= w->counted;
    ln__write_done(s, w, LN_ESOCKET_CLOSED);
  }
  ln__destroy(s, LN_ESOCKET_CLOSED, NULL);
}

void ln_socket_cork(ln_socket_t *s) {
  if (s->corked < UINT16_MAX)
    s->corked++;
}

void ln_socket_uncork(ln_socket_t *s) {
  if (s->corked > 0 && --s->corked == 0)
    release_held(s);
}

unsigned ln_socket_corked(const ln_socket_t *s) {
  return s->corked;
}

int ln_socket_need_drain(const ln_socket_t *s) {
  return (s->flags & (SF_NEED_DRAIN | SF_ENDING)) == SF_NEED_DRAIN &&
         !ln__is_destroyed(s);
}

int ln_socket_write(ln_socket_t *s, const char *data, size_t len, void *req) {
  return write_data(s, data, len, req, 0);
}

int ln_socket_write_pinned(ln_socket_t *s, const char *data, size_t len,
                           void *req) {
  return write_data(s, data, len, req, 1);
}

void ln__finish(ln_socket_t *s) {
  if (ln__is_destroyed(s) || (s->flags & SF_FINISHED))
    return;
  s->flags |= SF_FINISHED | SF_HOLD; /* a socket never connected is idle */
  if (s->more != NULL) /* Node's kOnFinished, before 'finish' */
    ln__report_all(s, &s->more->ending, 0, NULL);
  s->flags &= ~SF_HOLD;
  ln__notify(s, LN_SOCKET_EV_FINISH, NULL);
  /* Node's autoDestroy: done once both sides are. */
  if (!ln__is_destroyed(s) && (s->flags & (SF_END_EMITTED | SF_NOT_READABLE)))
    ln__destroy(s, 0, NULL);
}

static void on_shutdown(uv_shutdown_t *req, int status) {
  ln_socket_t *s = ln__container_of(req->handle, ln_socket_t, h.stream);
  free(req);
  if (status == UV_ECANCELED)
    return;
  /* Node's afterShutdown ignores the status: 'finish' either way. */
  ln_loop_enter(s->loop);
  ln__finish(s);
  ln_loop_leave(s->loop);
}

void ln__shutdown(ln_socket_t *s) {
  uv_shutdown_t *req = malloc(sizeof(*req));
  int err;

  if (req == NULL) {
    ln__destroy(s, UV_ENOMEM, "shutdown");
    return;
  }
  s->flags |= SF_SHUTDOWN;
  if ((err = uv_shutdown(req, &s->h.stream, on_shutdown)) != 0) {
    free(req);
    if (err == UV_ENOTCONN)
      ln__defer(s, SP_FINISH); /* Node: a synchronous finish */
    else
      ln__destroy(s, err, "shutdown");
  }
}

int ln_socket_end(ln_socket_t *s, void *req) {
  if (s->corked != 0) { /* Node: end() uncorks fully */
    s->corked = 0;
    release_held(s);
  }
  if (s->flags & SF_FINISHED) {
    token_done(s, req, LN_EALREADY_FINISHED);
    return 0;
  }
  if (ln__is_destroyed(s)) {
    /* Node's Writable.end: the first end() of a stream destroyed without
     * an error joins the callbacks that will never run. */
    if (!(s->flags & (SF_HAD_ERROR | SF_ENDING))) {
      s->flags |= SF_ENDING;
      return LN_EDESTROYED_END;
    }
    token_done(s, req, LN_EDESTROYED_END);
    return 0;
  }
  if (req != NULL) {
    ln__write_t *w = ln__write_new(NULL, 0, req, 0);
    if (w == NULL || ln__more(s) == NULL) {
      free(w);
      ln__destroy(s, UV_ENOMEM, "shutdown");
      return UV_ENOMEM;
    }
    ln__wlist_push(&s->more->ending, w);
  }
  if (s->flags & SF_ENDING)
    return 0;
  s->flags |= SF_ENDING;
  if (s->state == LN_SOCKET_OPEN)
    ln__shutdown(s);
  else if (s->state == LN_SOCKET_IDLE)
    ln__defer(s, SP_FINISH); /* Node 22: nothing to flush, 'finish' at once */
  return 0;
}

/* ---- lists ---------------------------------------------------------------- */

ln__write_t *ln__write_new(const char *data, size_t len, void *token,
                           int pinned) {
  ln__write_t *w;
  if (!pinned && len > SIZE_MAX - sizeof(*w))
    return NULL;
  if ((w = malloc(sizeof(*w) + (pinned ? 0 : len))) == NULL)
    return NULL;
  w->next = NULL;
  w->token = token;
  w->len = w->counted = len;
  w->status = 0;
  w->base = pinned ? (char *)data : w->data;
  if (!pinned && len > 0)
    memcpy(w->data, data, len);
  return w;
}

/* A list is its last write, whose next is the first (one pointer per
 * list in every socket). */
void ln__wlist_push(ln_wlist_t *list, ln__write_t *w) {
  if (list->last == NULL) {
    w->next = w;
  } else {
    w->next = list->last->next;
    list->last->next = w;
  }
  list->last = w;
}

ln__write_t *ln__wlist_take(ln_wlist_t *list) {
  ln__write_t *head;
  if (list->last == NULL)
    return NULL;
  head = list->last->next;
  list->last->next = NULL;
  list->last = NULL;
  return head;
}

void ln__wlist_free(ln_wlist_t *list) {
  ln__write_t *w = ln__wlist_take(list);
  while (w != NULL) {
    ln__write_t *next = w->next;
    free(w);
    w = next;
  }
}

