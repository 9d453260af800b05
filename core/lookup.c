#include <string.h>

#include "lookup.h"

static void set_port(struct sockaddr_storage *ss, int port) {
  if (ss->ss_family == AF_INET)
    ((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
  else
    ((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
}

/* Whether the address (not the port) of sa is already in list[0..n). */
static int seen(const struct sockaddr_storage *list, int n,
                const struct sockaddr *sa) {
  for (int i = 0; i < n; i++) {
    if (list[i].ss_family != sa->sa_family)
      continue;
    if (sa->sa_family == AF_INET
            ? memcmp(&((const struct sockaddr_in *)&list[i])->sin_addr,
                     &((const struct sockaddr_in *)sa)->sin_addr, 4) == 0
            : memcmp(&((const struct sockaddr_in6 *)&list[i])->sin6_addr,
                     &((const struct sockaddr_in6 *)sa)->sin6_addr, 16) == 0)
      return 1;
  }
  return 0;
}

int ln_lookup_order(const struct addrinfo *res, int port,
                    struct sockaddr_storage *out, int max) {
  /* Each round takes the next unused address of each family in turn,
   * starting with the family of the first answer. */
  const struct addrinfo *next[2];
  int fam[2], n = 0;

  while (res != NULL && res->ai_family != AF_INET &&
         res->ai_family != AF_INET6)
    res = res->ai_next;
  if (res == NULL)
    return 0;
  fam[0] = res->ai_family;
  fam[1] = fam[0] == AF_INET ? AF_INET6 : AF_INET;
  next[0] = next[1] = res;

  while (n < max && (next[0] != NULL || next[1] != NULL)) {
    for (int k = 0; k < 2 && n < max; k++) {
      const struct addrinfo *ai = next[k];
      while (ai != NULL && (ai->ai_family != fam[k] ||
                            seen(out, n, ai->ai_addr)))
        ai = ai->ai_next;
      if (ai == NULL) {
        next[k] = NULL;
        continue;
      }
      memset(&out[n], 0, sizeof(out[n]));
      memcpy(&out[n], ai->ai_addr, ai->ai_addrlen);
      set_port(&out[n], port);
      n++;
      next[k] = ai->ai_next;
    }
  }
  return n;
}

void ln_lookup_hints(struct addrinfo *hints, int family) {
  memset(hints, 0, sizeof(*hints));
  hints->ai_family = family == 4 ? AF_INET : family == 6 ? AF_INET6 : AF_UNSPEC;
  hints->ai_socktype = SOCK_STREAM;
  if (family != 4 && family != 6)
    hints->ai_flags = AI_ADDRCONFIG;
}
