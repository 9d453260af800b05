/* What the core's files share and the embedder does not see. */
#ifndef LN_INTERNAL_H
#define LN_INTERNAL_H

#include <stddef.h>

#include "ln.h"

#define ln__container_of(ptr, type, member)                                    \
  ((type *)((char *)(ptr) - offsetof(type, member)))

/* A write: the request, the embedder's token, and the bytes libuv could not
 * take at once: copied into data, so the caller's buffer is free when write
 * returns, or (a pinned write) the caller's own, kept by the caller until
 * the token is reported. */
typedef struct ln__write_s {
  uv_write_t req;
  struct ln__write_s *next;
  void *token;   /* the embedder's req, or NULL */
  char *base;    /* the bytes still to send: in data, or the caller's */
  size_t len;    /* bytes counted in writable_length */
  int status;    /* for a write completed before its notification */
  char data[];
} ln__write_t;

/* The most one uv_buf_t carries (its length is an unsigned int): longer
 * writes go to libuv in several buffers. */
#define LN__BUF_MAX ((size_t)1 << 30)

/* The first piece of len bytes at data that one uv_buf_t can carry. */
static inline uv_buf_t ln__buf(const char *data, size_t len) {
  return uv_buf_init((char *)data,
                     (unsigned)(len < LN__BUF_MAX ? len : LN__BUF_MAX));
}

/* Allocates a write of len bytes, copied from data unless pinned (then
 * base points at data). NULL when out of memory. */
ln__write_t *ln__write_new(const char *data, size_t len, void *token,
                           int pinned);

/* Appends w to list. */
void ln__wlist_push(ln_wlist_t *list, ln__write_t *w);

/* Detaches and returns the whole of list, first write first. */
ln__write_t *ln__wlist_take(ln_wlist_t *list);

/* Opens s on a connection accepted from server's listening stream.
 * Returns 0 or a libuv error (s is then not open). */
int ln__socket_accept(ln_socket_t *s, ln_server_t *server,
                      uv_stream_t *listener);

/* Starts s reading (unless paused) once the embedder has it. */
void ln__socket_start(ln_socket_t *s);

/* A connection accepted by server was destroyed. */
void ln__server_connection_ended(ln_server_t *server);

/* Closes a handle with its owner's closer, or plainly if it has none. */
void ln__close_handle(uv_handle_t *handle);

#endif
