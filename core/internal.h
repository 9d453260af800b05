/* What the core's files share and the embedder does not see. */
#ifndef LN_INTERNAL_H
#define LN_INTERNAL_H

#include <stddef.h>

#include "ln.h"

#define ln__container_of(ptr, type, member)                                    \
  ((type *)((char *)(ptr) - offsetof(type, member)))

/* A write: the request, the embedder's token, and the bytes libuv could not
 * take at once (copied, so the caller's buffer is free when write returns). */
typedef struct ln__write_s {
  uv_write_t req;
  struct ln__write_s *next;
  void *token;   /* the embedder's req, or NULL */
  size_t len;    /* bytes counted in writable_length */
  int status;    /* for a write completed before its notification */
  char data[];
} ln__write_t;

/* Allocates a write of len bytes copied from data. NULL when out of
 * memory. */
ln__write_t *ln__write_new(const char *data, size_t len, void *token);

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
