/* Fuzz target: core/addr.c, net.isIP and the numeric address parsing that
 * decides whether connect() and listen() look a host up.
 *
 * Input: the text of a host. Checked:
 *  - ln_addr_is_ip agrees with the C library's inet_pton: 4 exactly for
 *    what inet_pton(AF_INET) takes (both refuse leading zeros, as Node
 *    does), 6 exactly for what inet_pton(AF_INET6) takes, with an optional
 *    %zone of letters, digits, '-', '.' and ':' (Node's isIPv6 pattern);
 *  - ln_addr_parse takes exactly the texts ln_addr_is_ip calls an address
 *    (else connect() would reach an address for a name Node looks up, or
 *    look up an address), and gives the address inet_pton gives;
 *  - ln_addr_format of the result is text that ln_addr_is_ip calls an
 *    address of the same family, and that parses to the same address.
 * With FUZZ_PRINT=1, prints "isIP<TAB>hex of the input" for each input
 * instead, to compare with Node's net.isIP (fuzz/node/run). */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "allow.h"

#define CHECK(cond, what)                                                      \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "addr: check failed: %s\n  %s, input \"%s\"\n",          \
              what, #cond, s);                                                 \
      abort();                                                                 \
    }                                                                          \
  } while (0)

static int zone_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z') || c == '-' || c == '.' || c == ':';
}

/* What inet_pton says s (NUL-free) is: 4, 6 (with a zone allowed), or 0. */
static int reference(const char *s) {
  unsigned char buf[16];
  char head[256];
  const char *zone = strchr(s, '%');
  size_t n = zone != NULL ? (size_t)(zone - s) : strlen(s);
  if (inet_pton(AF_INET, s, buf) == 1)
    return 4;
  if (n >= sizeof(head))
    return 0;
  memcpy(head, s, n);
  head[n] = '\0';
  if (zone != NULL) {
    if (zone[1] == '\0')
      return 0;
    for (const char *z = zone + 1; *z != '\0'; z++)
      if (!zone_char(*z))
        return 0;
  }
  return inet_pton(AF_INET6, head, buf) == 1 ? 6 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  struct sockaddr_storage ss, again;
  ln_addr_t a;
  int family, expect;

  memcpy(s, data, size);
  s[size] = '\0';
  family = ln_addr_is_ip(s, size);
  if (getenv("FUZZ_PRINT") != NULL) {
    printf("%d\t", family);
    for (size_t i = 0; i < size; i++)
      printf("%02x", data[i]);
    printf("\n");
    free(s);
    return 0;
  }
  CHECK(family == 0 || family == 4 || family == 6, "not 0, 4 or 6");
  if (memchr(data, 0, size) != NULL) {
    CHECK(family == 0, "a text with a NUL is an address");
    free(s);
    return 0; /* a C string stops at the NUL: the bindings' business */
  }
  expect = reference(s);
  CHECK(family == expect, "isIP differs from inet_pton");

  if (ln_addr_parse(s, 4321, &ss) != 0) {
    CHECK(family == 0 || fz_allowed("addr-parse"),
          "an address that ln_addr_parse refuses");
    free(s);
    return 0;
  }
  if (family == 0 && fz_allowed("addr-parse")) {
    free(s);
    return 0;
  }
  CHECK(family != 0, "ln_addr_parse takes what is not an address");
  CHECK(ss.ss_family == (family == 4 ? AF_INET : AF_INET6),
        "ln_addr_parse gives the other family");
  {
    unsigned char buf[16];
    char head[256];
    size_t n = strcspn(s, "%");
    memcpy(head, s, n);
    head[n] = '\0';
    if (family == 4) {
      struct sockaddr_in *in = (struct sockaddr_in *)&ss;
      CHECK(inet_pton(AF_INET, head, buf) == 1 &&
                memcmp(buf, &in->sin_addr, 4) == 0 &&
                ntohs(in->sin_port) == 4321,
            "ln_addr_parse gives another IPv4 address");
    } else {
      struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
      CHECK(inet_pton(AF_INET6, head, buf) == 1 &&
                memcmp(buf, &in6->sin6_addr, 16) == 0 &&
                ntohs(in6->sin6_port) == 4321,
            "ln_addr_parse gives another IPv6 address");
    }
  }
  CHECK(ln_addr_format((struct sockaddr *)&ss, &a) == 0, "cannot format");
  CHECK(a.len == strlen(a.address) && a.port == 4321 && a.family == family,
        "ln_addr_format gives other figures");
  CHECK(ln_addr_is_ip(a.address, a.len) == family,
        "the formatted address is not an address");
  CHECK(ln_addr_parse(a.address, 4321, &again) == 0, "cannot parse back");
  if (family == 4)
    CHECK(memcmp(&((struct sockaddr_in *)&again)->sin_addr,
                 &((struct sockaddr_in *)&ss)->sin_addr, 4) == 0,
          "formatting changed the address");
  else
    CHECK(memcmp(&((struct sockaddr_in6 *)&again)->sin6_addr,
                 &((struct sockaddr_in6 *)&ss)->sin6_addr, 16) == 0,
          "formatting changed the address");
  free(s);
  return 0;
}
