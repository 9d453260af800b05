/* Host name resolution results, put in the order Node tries them. */
#ifndef LN_LOOKUP_H
#define LN_LOOKUP_H

#include <uv.h>

/* Fills out[] (room for max entries) with the IPv4 and IPv6 addresses of
 * res, port set to port, in the order Node 20's autoSelectFamily tries
 * them: the family of the first address first, then alternating families,
 * each address once. Returns how many were stored. */
int ln_lookup_order(const struct addrinfo *res, int port,
                    struct sockaddr_storage *out, int max);

/* The getaddrinfo hints Node's dns.lookup() uses for family (0, 4 or 6):
 * stream sockets, and AI_ADDRCONFIG when the family is not fixed. */
void ln_lookup_hints(struct addrinfo *hints, int family);

#endif
