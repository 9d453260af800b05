/* Fuzz target: core/proxy.c's ln_proxy_parse, the PROXY protocol header
 * that a proxyProtocol server reads from every connection it accepts.
 *
 * Input: the first bytes of a connection. Checked, besides ASan's bounds
 * (the input is an exactly sized heap buffer):
 *  - the answer is a header's length (at most len, at most
 *    LN_PROXY_V1_MAX for version 1 and LN_PROXY_MAX for version 2), 0, or
 *    one of the LN_PROXY_E* errors, which ln_proxy_strerror names;
 *  - reading it in pieces changes nothing (the server reads it so): every
 *    prefix shorter than a complete header is 0 ("all of it belongs to the
 *    header"), every longer one gives the same length; an error, once a
 *    prefix shows it, stays for every longer prefix; 0 for every prefix
 *    of an incomplete one;
 *  - a header's addresses are IPv4 or IPv6, and written back as a header
 *    of the same version they parse to the same addresses and ports. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "proxy.h"

#define CHECK(cond, what)                                                      \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "proxy: check failed: %s\n  %s, input of %zu bytes\n",   \
              what, #cond, size);                                              \
      abort();                                                                 \
    }                                                                          \
  } while (0)

static size_t sa_len(const struct sockaddr_storage *ss) {
  return ss->ss_family == AF_INET ? sizeof(struct sockaddr_in)
                                  : sizeof(struct sockaddr_in6);
}

/* The header h says, written again as version h->version. Returns its
 * length in out. */
static size_t rewrite(const ln_proxy_t *h, char *out, size_t cap) {
  int v4 = h->source.ss_family == AF_INET;
  if (h->version == 1) {
    ln_addr_t s, d;
    int n;
    ln_addr_format((const struct sockaddr *)&h->source, &s);
    ln_addr_format((const struct sockaddr *)&h->destination, &d);
    n = snprintf(out, cap, "PROXY TCP%c %s %s %d %d\r\n", v4 ? '4' : '6',
                 s.address, d.address, s.port, d.port);
    return n > 0 ? (size_t)n : 0;
  } else {
    static const char sig[12] = "\r\n\r\n\0\r\nQUIT\n";
    const struct sockaddr_in *s4 = (const void *)&h->source,
                             *d4 = (const void *)&h->destination;
    const struct sockaddr_in6 *s6 = (const void *)&h->source,
                              *d6 = (const void *)&h->destination;
    size_t alen = v4 ? 4 : 16, body = 2 * alen + 4;
    memcpy(out, sig, 12);
    out[12] = 0x21;
    out[13] = v4 ? 0x11 : 0x21;
    out[14] = 0;
    out[15] = (char)body;
    memcpy(out + 16, v4 ? (const void *)&s4->sin_addr : &s6->sin6_addr, alen);
    memcpy(out + 16 + alen, v4 ? (const void *)&d4->sin_addr : &d6->sin6_addr,
           alen);
    memcpy(out + 16 + 2 * alen, v4 ? &s4->sin_port : &s6->sin6_port, 2);
    memcpy(out + 18 + 2 * alen, v4 ? &d4->sin_port : &d6->sin6_port, 2);
    return 16 + body;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *buf = malloc(size ? size : 1);
  ln_proxy_t h, piece;
  int r, seen = 0; /* the first non-zero answer of a prefix */

  memcpy(buf, data, size);
  r = ln_proxy_parse(buf, size, &h);
  CHECK(r >= LN_PROXY_EADDRESS && (size_t)(r > 0 ? r : 0) <= size,
        "an answer out of range");
  if (r < 0)
    CHECK(strcmp(ln_proxy_strerror(r), "unknown error") != 0,
          "an error without a name");
  for (size_t k = 0; k <= size; k++) {
    int p = ln_proxy_parse(buf, k, &piece);
    if (seen == 0 && p != 0)
      seen = p;
    if (r > 0) {
      CHECK(p == ((size_t)r <= k ? r : 0),
            "a prefix disagrees with the whole header");
    } else if (r == 0) {
      CHECK(p == 0, "a prefix of an incomplete header is not incomplete");
    } else {
      CHECK(p == 0 || p == r, "an error that changes with more bytes");
      CHECK(seen == 0 || p == r, "an error that goes away");
    }
  }
  if (r > 0) {
    CHECK(h.version == 1 || h.version == 2, "no version");
    CHECK(h.version == 2 || r <= LN_PROXY_V1_MAX, "a version 1 line too long");
    CHECK(r <= LN_PROXY_MAX, "a header too long");
    CHECK(h.version == 1 ? buf[0] == 'P' : buf[0] == '\r',
          "the version is not the signature's");
  }
  if (r > 0 && !h.local) {
    char again[128];
    size_t n;
    ln_proxy_t back;
    CHECK(h.source.ss_family == AF_INET || h.source.ss_family == AF_INET6,
          "a source that is neither IPv4 nor IPv6");
    CHECK(h.destination.ss_family == h.source.ss_family,
          "source and destination of two families");
    n = rewrite(&h, again, sizeof(again));
    CHECK(n > 0 && ln_proxy_parse(again, n, &back) == (int)n,
          "the header written back does not parse");
    CHECK(!back.local && back.version == h.version &&
              memcmp(&back.source, &h.source, sa_len(&h.source)) == 0 &&
              memcmp(&back.destination, &h.destination,
                     sa_len(&h.destination)) == 0,
          "the header written back says something else");
  }
  free(buf);
  return 0;
}
