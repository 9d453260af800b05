/* Writing a socket, as Node's Writable: straight to the kernel when it
 * takes the bytes, else queued (copied, or pinned) with back-pressure and
 * 'drain'; end() as a shutdown once the queue is flushed, then 'finish'.
 * And the lists that hold writes and end() requests. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

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
}

static void on_write(uv_write_t *req, int status) {
  ln__write_t *w = ln__container_of(req, ln__write_t, req);
  ln_socket_t *s = ln__container_of(req->handle, ln_socket_t, h.stream);

  s->writable_length -= w->counted;
  ln_loop_enter(s->loop);
  if (status == 0) {
    maybe_drain(s);
  } else if (status == UV_ECANCELED) {
    status = 0; /* Node calls back without an error once destroyed */
  } else {
    ln__destroy(s, status, "write");
  }
  if (w->token != NULL) {
    ln_event_t e = {0};
    e.status = status;
    e.req = w->token;
    e.syscall = "write";
    ln__notify(s, LN_SOCKET_EV_WRITE, &e);
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
void ln__send_write(ln_socket_t *s, ln__write_t *w) {
  int err;
  if (uv_stream_get_write_queue_size(&s->h.stream) == 0 && w->len > 0) {
    uv_buf_t buf = ln__buf(w->base, w->len);
    int n = uv_try_write(&s->h.stream, &buf, 1);
    if (n > 0) { /* still counted whole until all of it is sent */
      w->len -= (size_t)n;
      w->base += n;
    } else if (n != UV_EAGAIN && n != UV_ENOSYS) {
      s->writable_length -= w->counted;
      ln__write_done(s, w, n);
      ln__destroy(s, n, "write");
      return;
    }
    if (w->len == 0) {
      s->writable_length -= w->counted;
      if (w->token != NULL || (s->flags & SF_NEED_DRAIN))
        ln__write_done(s, w, 0);
      else
        free(w);
      return;
    }
  }
  if ((err = submit(s, w)) != 0) {
    s->writable_length -= w->counted;
    ln__write_done(s, w, err);
    ln__destroy(s, err, "write");
  }
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
  int err;

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
  if (s->state == LN_SOCKET_IDLE) {
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

  if (s->state == LN_SOCKET_OPEN && !ln__has_queued(s) &&
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

  if ((w = ln__write_new(data + sent, len - sent, req, pinned)) == NULL ||
      (s->state != LN_SOCKET_OPEN && ln__more(s) == NULL)) {
    free(w);
    s->writable_length -= len;
    ln__destroy(s, UV_ENOMEM, "write");
    return 0;
  }
  w->counted = len;
  if (s->state != LN_SOCKET_OPEN)
    ln__wlist_push(&s->more->queued, w); /* sent once connected */
  else if ((err = submit(s, w)) != 0) {
    s->writable_length -= len;
    ln__write_done(s, w, err);
    ln__destroy(s, err, "write");
    return 0;
  }
  return below_mark(s);
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

