/* Host name resolution results, put in the order Node tries them, and a
 * connect whose name the embedder resolves (Node's options.lookup). */
#ifndef LN_LOOKUP_H
#define LN_LOOKUP_H

#include <uv.h>

#include "socket.h"

/* Fills out[] (room for max entries) with the IPv4 and IPv6 addresses of
 * res, port set to port, in the order Node 20's autoSelectFamily tries
 * them: the family of the first address first, then alternating families,
 * each address once. Returns how many were stored. */
int ln_lookup_order(const struct addrinfo *res, int port,
                    struct sockaddr_storage *out, int max);

/* The getaddrinfo hints Node's dns.lookup() uses for family (0, 4 or 6):
 * stream sockets, and AI_ADDRCONFIG when the family is not fixed. */
void ln_lookup_hints(struct addrinfo *hints, int family);

/* ln_socket_connect, but a host that is not numeric is not resolved: s
 * is CONNECTING (writes and end() queue, destroy ends it) until the
 * embedder, having asked Node's options.lookup, gives the addresses with
 * ln_socket_resolved, or destroys s with the lookup's error. Same returns
 * as ln_socket_connect. */
int ln_socket_connect_lookup(ln_socket_t *s, const ln_connect_opts_t *opts);

/* The most addresses of a name a connect tries (Node tries them all). */
#define LN_MAX_ADDRESSES 16

/* The numeric addresses (count of them, NUL-terminated strings) a connect
 * begun by ln_socket_connect_lookup goes to, in the order to try them:
 * one is connected to as a numeric host is, several in turn as Node's
 * autoSelectFamily does (the first LN_MAX_ADDRESSES). The connect starts on the next
 * tick. Returns 0, or UV_EINVAL when s is not waiting for addresses,
 * count is 0 or an address is not numeric. */
int ln_socket_resolved(ln_socket_t *s, const char *const *addresses,
                       size_t count);

#endif
