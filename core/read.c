/* Reading a socket, as Node's Readable: a bounded buffer while nobody
 * reads, 'data' as it arrives while flowing, setEncoding's decoding, and
 * 'end' once the peer's FIN and every byte were delivered. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

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

/* Bytes read and not yet delivered or taken: rbuf[rpos .. rlen) of
 * s->more. */
static size_t buffered(const ln_socket_t *s) {
  return s->more != NULL ? s->more->rlen - s->more->rpos : 0;
}

/* What a reader waits for (ln_socket_need), bytes. */
static size_t needed(const ln_socket_t *s) {
  return s->more != NULL ? s->more->need : 0;
}

/* Keeps len bytes of data for later delivery. Returns 0 or UV_ENOMEM. */
static int keep(ln_socket_t *s, const char *data, size_t len) {
  ln__more_t *m = ln__more(s);
  if (m == NULL)
    return UV_ENOMEM;
  if (m->rpos > 0 && len > m->rcap - m->rlen) {
    /* what a reader took leaves room at the front */
    memmove(m->rbuf, m->rbuf + m->rpos, buffered(s));
    m->rlen -= m->rpos;
    m->rpos = 0;
  }
  if (len > m->rcap - m->rlen) {
    size_t cap = m->rcap ? m->rcap : 4096;
    char *p;
    while (cap - m->rlen < len)
      if ((cap *= 2) > SIZE_MAX / 2)
        return UV_ENOMEM;
    if ((p = realloc(m->rbuf, cap)) == NULL)
      return UV_ENOMEM;
    m->rbuf = p;
    m->rcap = cap;
  }
  memcpy(m->rbuf + m->rlen, data, len);
  m->rlen += len;
  return 0;
}

/* DATA for len bytes at data; first written to the socket s pipes to, if
 * any (Node's pipe() is one more 'data' listener). */
static void notify_data(ln_socket_t *s, const char *data, size_t len) {
  ln_event_t e = {0};
  if (s->more != NULL && s->more->pipe != NULL) {
    ln__pipe_forward(s, data, len);
    if (ln__is_destroyed(s))
      return;
  }
  e.data = data;
  e.len = len;
  ln__notify(s, LN_SOCKET_EV_DATA, &e);
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
  text = text_buffer(loop, ln_decoder_max(&s->more->decoder, len));
  if (text == NULL) {
    ln__destroy(s, UV_ENOMEM, "read");
    return;
  }
  n = end ? ln_decoder_end(&s->more->decoder, text)
          : ln_decoder_write(&s->more->decoder, data, len, text);
  if (n > 0)
    notify_data(s, text, n);
  text_release(loop, text);
}

static void after_end(ln_socket_t *s) {
  /* Node's endReadableNT: without allowHalfOpen the writable side ends on
   * the next tick; otherwise a finished socket is done. */
  if (!(s->flags & (SF_ENDING | SF_HALF_OPEN)))
    ln__defer(s, SP_ENDW);
  else if (s->flags & (SF_FINISHED | SF_NOT_WRITABLE))
    ln__destroy(s, 0, NULL);
}

static int flowing(const ln_socket_t *s) {
  return (s->flags & (SF_FLOWING | SF_PAUSED)) == SF_FLOWING;
}

/* Node's read(0) after the peer's FIN: 'end' once nothing is buffered,
 * whether anyone reads or not; the characters a decoder still holds are
 * buffered data too, delivered first once flowing. */
static int can_end(const ln_socket_t *s) {
  return (s->flags & (SF_EOF | SF_END_EMITTED)) == SF_EOF && buffered(s) == 0 &&
         !ln__is_destroyed(s) &&
         (flowing(s) || !(s->flags & SF_DECODING) ||
          !ln_decoder_holds(&s->more->decoder));
}

static void maybe_end(ln_socket_t *s) {
  if (can_end(s) && (s->flags & SF_DECODING)) {
    /* Node's onEofChunk: the decoder's last characters come first. */
    deliver(s, NULL, 0, 1);
  }
  if (can_end(s)) {
    s->flags |= SF_END_EMITTED;
    ln__notify(s, LN_SOCKET_EV_END, NULL);
    if (!ln__is_destroyed(s))
      after_end(s);
  }
}

/* Delivers what is buffered, as one chunk, then END if the peer ended. */
void ln__flow(ln_socket_t *s) {
  while (buffered(s) > 0 && flowing(s) && !ln__is_destroyed(s)) {
    ln__more_t *m = s->more;
    char *data = m->rbuf;
    size_t pos = m->rpos, len = buffered(s);
    m->rbuf = NULL;
    m->rlen = m->rcap = m->rpos = 0;
    deliver(s, data + pos, len, 0);
    free(data);
  }
  if (buffered(s) > 0 && (s->flags & (SF_EOF | SF_WANT_READABLE)) ==
                             (SF_EOF | SF_WANT_READABLE))
    ln__notify(s, LN_SOCKET_EV_READABLE, NULL); /* the end, for a reader */
  maybe_end(s);
  ln__update_reading(s);
}

/* What a read brought: nread bytes at base, UV_EOF, or an error. */
static void got(ln_socket_t *s, ssize_t nread, const char *base) {
  if (nread > 0) {
    s->bytes_read += (uint64_t)nread;
    ln__touch(s);
    if (flowing(s) && buffered(s) == 0) {
      deliver(s, base, (size_t)nread, 0);
    } else if (keep(s, base, (size_t)nread) != 0) {
      ln__destroy(s, UV_ENOMEM, "read");
    } else if (flowing(s)) {
      ln__defer(s, SP_FLOW);
    } else if (s->flags & SF_WANT_READABLE) {
      ln__notify(s, LN_SOCKET_EV_READABLE, NULL);
    }
  } else if (nread == UV_EOF) {
    s->flags |= SF_EOF;
    ln__defer(s, SP_FLOW);
  } else if (nread < 0) {
    ln__destroy(s, (int)nread, "read");
  }
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf) {
  ln_socket_t *s = ln__container_of(stream, ln_socket_t, h.stream);
  ln_loop_t *loop = s->loop;

  ln_loop_enter(loop);
  got(s, nread, buf->base);
  release_buf(loop, buf);
  if (!ln__is_destroyed(s))
    ln__update_reading(s);
  ln_loop_leave(loop);
}

/* ---- a file: reads on libuv's thread pool ---------------------------- */

/* A socket over a file (Node's fs.ReadStream for standard input): one
 * read at a time into a buffer of its own (the loop's is only for reads
 * made on the loop's thread); it outlives its socket while a read runs. */
typedef struct ln__file_s {
  uv_fs_t req;
  ln_socket_t *socket; /* NULL once the socket let go */
  int fd;              /* not the core's: never closed */
  int busy;            /* a read in flight */
  char buf[LN_READ_BUFFER_SIZE];
} ln__file_t;

static void on_file_read(uv_fs_t *req) {
  ln__file_t *f = ln__container_of(req, ln__file_t, req);
  ln_socket_t *s = f->socket;
  ssize_t n = req->result;

  uv_fs_req_cleanup(req);
  f->busy = 0;
  if (s == NULL) { /* destroyed meanwhile */
    free(f);
    return;
  }
  ln_loop_enter(s->loop);
  got(s, n == 0 ? UV_EOF : n, f->buf);
  if (!ln__is_destroyed(s))
    ln__update_reading(s);
  ln_loop_leave(s->loop);
}

int ln__file_open(ln_socket_t *s, int fd) {
  ln__file_t *f;
  if (ln__more(s) == NULL || (f = malloc(sizeof(*f))) == NULL)
    return UV_ENOMEM;
  f->socket = s;
  f->fd = fd;
  f->busy = 0;
  s->more->file = f;
  return 0;
}

void ln__file_release(ln_socket_t *s) {
  ln__file_t *f = s->more->file;
  s->more->file = NULL;
  s->flags &= ~SF_READING;
  if (f->busy)
    f->socket = NULL; /* freed when its read is done */
  else
    free(f);
}

/* Issues the next read of a file, unless one runs. */
static void read_file(ln_socket_t *s) {
  ln__file_t *f = s->more->file;
  uv_buf_t buf = uv_buf_init(f->buf, sizeof(f->buf));
  int err;
  if (f->busy)
    return;
  if ((err = uv_fs_read(&s->loop->uv, &f->req, f->fd, &buf, 1, -1,
                        on_file_read)) != 0) {
    ln__destroy(s, err, "read");
    return;
  }
  f->busy = 1;
}

void ln__update_reading(ln_socket_t *s) {
  int want = s->state == LN_SOCKET_OPEN &&
             (s->flags & (SF_READ_STARTED | SF_EOF | SF_NOT_READABLE |
                          SF_PIPE_HELD)) == SF_READ_STARTED &&
             (buffered(s) == 0 || /* Node reads into an empty buffer even
                                     at a high-water mark of 0 */
              buffered(s) < (needed(s) > s->read_hwm ? needed(s)
                                                     : s->read_hwm));
  if (s->more != NULL && s->more->file != NULL) {
    /* a read in flight is not stopped: it is kept */
    if (want)
      read_file(s);
    return;
  }
  if (want && !(s->flags & SF_READING)) {
    int err = uv_read_start(&s->h.stream, on_alloc, on_read);
    if (err) {
      ln__destroy(s, err, "read");
      return;
    }
    s->flags |= SF_READING;
  } else if (!want && (s->flags & SF_READING)) {
    uv_read_stop(&s->h.stream);
    s->flags &= ~SF_READING;
  }
}

void ln__start_reading(ln_socket_t *s) {
  if (!(s->flags & SF_PAUSED))
    s->flags |= SF_READ_STARTED;
  ln__update_reading(s);
}

void ln_socket_pause(ln_socket_t *s) {
  s->flags |= SF_PAUSED;
  if (s->state == LN_SOCKET_OPEN)
    ln__update_reading(s);
}

void ln_socket_resume(ln_socket_t *s) {
  s->flags = (s->flags & ~SF_PAUSED) | SF_FLOWING | SF_READ_STARTED;
  if (s->state == LN_SOCKET_OPEN) {
    if (buffered(s) > 0 || (s->flags & SF_EOF))
      ln__defer(s, SP_FLOW);
    ln__update_reading(s);
  }
}

/* ---- taking what is buffered (sequential reads) ------------------------ */

size_t ln_socket_buffered(const ln_socket_t *s, const char **data) {
  const ln__more_t *m = s->more;
  *data = m != NULL && m->rbuf != NULL ? m->rbuf + m->rpos : "";
  return buffered(s);
}

void ln_socket_take(ln_socket_t *s, size_t n) {
  ln__more_t *m = s->more;
  if (n > buffered(s))
    n = buffered(s);
  if (m != NULL) {
    m->rpos += n;
    if (m->rpos == m->rlen)
      m->rpos = m->rlen = 0; /* the buffer stays, for the next read */
  }
  if (s->state != LN_SOCKET_OPEN)
    return;
  if (s->flags & SF_EOF)
    ln__defer(s, SP_FLOW); /* Node's endReadableNT: 'end' on the next tick */
  else
    ln__update_reading(s);
}

int ln_socket_need(ln_socket_t *s, size_t n) {
  if (n > 0 && ln__more(s) == NULL)
    return UV_ENOMEM;
  if (s->more != NULL)
    s->more->need = n;
  if (n > 0)
    s->flags |= SF_READ_STARTED; /* Node's read(n) starts reading */
  if (s->state == LN_SOCKET_OPEN)
    ln__update_reading(s);
  return 0;
}

void ln_socket_want_readable(ln_socket_t *s, int want) {
  s->flags = want ? s->flags | SF_WANT_READABLE : s->flags & ~SF_WANT_READABLE;
}

int ln_socket_ended(const ln_socket_t *s) {
  return (s->flags & SF_EOF) != 0;
}

int ln_socket_end_emitted(const ln_socket_t *s) {
  return (s->flags & SF_END_EMITTED) != 0;
}

int ln_socket_flowing(const ln_socket_t *s) {
  return flowing(s);
}

int ln_socket_is_paused(const ln_socket_t *s) {
  return (s->flags & SF_PAUSED) != 0;
}

int ln_socket_set_encoding(ln_socket_t *s, int enc) {
  if (ln__more(s) == NULL)
    return UV_ENOMEM;
  ln_decoder_init(&s->more->decoder, enc);
  s->flags |= SF_DECODING; /* only ever set with s->more there */
  return 0;
}

int ln_socket_encoding(const ln_socket_t *s) {
  return (s->flags & SF_DECODING) ? s->more->decoder.enc : -1;
}

