/* socket.pipe(socket) in the core (Node's Readable.prototype.pipe for a
 * net.Socket destination): what the source delivers is written to the
 * destination as it is read, from the loop's read buffer, with no Lua
 * string and no call into the embedder per chunk; the source's reads wait
 * while the destination is full, and start again at its drain. */
#include <stdlib.h>

#include "internal.h"

typedef struct ln__pipe_s {
  ln_socket_t *src, *dest;
  struct ln__pipe_s *next; /* the next pipe writing to dest */
} ln__pipe_t;

int ln_socket_pipe(ln_socket_t *src, ln_socket_t *dest) {
  ln__pipe_t *p;

  if (ln__is_destroyed(src) || ln__is_destroyed(dest))
    return UV_EINVAL;
  if (ln__more(src) == NULL || ln__more(dest) == NULL)
    return UV_ENOMEM;
  if (src->more->pipe != NULL)
    return UV_EBUSY;
  if ((p = malloc(sizeof(*p))) == NULL)
    return UV_ENOMEM;
  p->src = src;
  p->dest = dest;
  p->next = dest->more->feeds;
  dest->more->feeds = p;
  src->more->pipe = p;
  if (ln_socket_need_drain(dest))
    src->flags |= SF_PIPE_HELD; /* Node's pipe() pauses src then */
  return 0;
}

/* Lets src read again if a pipe held it: on its next tick, which also
 * delivers what it buffered meanwhile (never from inside the call that
 * stops a pipe: that may be dest's destroy). A socket not open reads
 * nothing yet: it starts reading when it connects. */
static void release(ln_socket_t *src) {
  if (!(src->flags & SF_PIPE_HELD))
    return;
  src->flags &= ~SF_PIPE_HELD;
  if (src->state == LN_SOCKET_OPEN && !(src->flags & SF_RELEASED))
    ln__defer(src, SP_FLOW); /* open: the embedder holds it */
}

/* Unlinks and frees p, the pipe of p->src. */
static void unlink_pipe(ln__pipe_t *p) {
  ln__pipe_t **at = &p->dest->more->feeds;
  while (*at != p)
    at = &(*at)->next;
  *at = p->next;
  p->src->more->pipe = NULL;
  release(p->src);
  free(p);
}

void ln_socket_unpipe(ln_socket_t *src) {
  if (src->more != NULL && src->more->pipe != NULL)
    unlink_pipe(src->more->pipe);
}

void ln__pipe_stop(ln_socket_t *s) {
  if (s->more == NULL)
    return;
  if (s->more->pipe != NULL)
    unlink_pipe(s->more->pipe);
  while (s->more->feeds != NULL)
    unlink_pipe(s->more->feeds);
}

void ln__pipe_forward(ln_socket_t *src, const char *data, size_t len) {
  ln_socket_t *dest = src->more->pipe->dest;
  int r = ln_socket_write(dest, data, len, NULL);

  /* The write may have destroyed dest, and with it the pipe. */
  if (r < 0)
    ln_socket_unpipe(src); /* ended or destroyed: Node unpipes too */
  else if (r == 0 && src->more->pipe != NULL)
    src->flags |= SF_PIPE_HELD; /* Node's pause() until 'drain' */
}

void ln__pipe_drained(ln_socket_t *dest) {
  ln__pipe_t *p;
  if (dest->more == NULL)
    return;
  for (p = dest->more->feeds; p != NULL; p = p->next)
    release(p->src); /* defers, so the list stays as it is */
}
