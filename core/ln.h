/* The luanet net core: Node's net.Server and net.Socket on libuv, in C.
 * It knows nothing of Lua; an embedder supplies the hooks below. */
#ifndef LN_H
#define LN_H

#include "addr.h"
#include "blocklist.h"
#include "error.h"
#include "loop.h"
#include "lookup.h"
#include "server.h"
#include "socket.h"

/* The embedder's side: one set of notifications for the whole loop. */
struct ln_hooks_s {
  void (*socket_event)(ln_socket_t *s, ln_socket_event_t ev,
                       const ln_event_t *e);
  void (*server_event)(ln_server_t *s, ln_server_event_t ev,
                       const ln_event_t *e);
  /* Memory for a connection server s is accepting: an ln_socket_t that
   * stays valid as ln_socket_t's rules say, or NULL to refuse it. */
  ln_socket_t *(*socket_new)(ln_server_t *s);
};

#endif
