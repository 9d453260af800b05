/* Addresses: numeric text to sockaddr and back, and Node's isIP. */
#ifndef LN_ADDR_H
#define LN_ADDR_H

#include <stddef.h>
#include <uv.h>

/* Longest address text: an IPv6 address with a zone id, or a Unix path
 * (Linux allows 107 bytes plus the terminating NUL). */
#define LN_ADDR_MAX 110

typedef struct {
  char address[LN_ADDR_MAX]; /* "127.0.0.1", "::1", or a Unix path */
  size_t len;                /* of address: an abstract path holds NULs */
  int port;                  /* 0 for a Unix socket */
  int family;                /* 4, 6, or 0 for a Unix socket */
} ln_addr_t;

/* Which IP version the text s (len bytes) is, exactly as Node's net.isIP
 * decides it: 4 for dotted quads without leading zeros, 6 for any IPv6 form
 * (with an embedded IPv4 tail and a %zone allowed), else 0. */
int ln_addr_is_ip(const char *s, size_t len);

/* Fills out from a numeric address ip (IPv4 or IPv6, with optional %zone)
 * and port (0-65535). Returns 0, or UV_EINVAL when ip is not numeric. */
int ln_addr_parse(const char *ip, int port, struct sockaddr_storage *out);

/* Fills out from sa (AF_INET or AF_INET6). Returns 0 or UV_EAFNOSUPPORT. */
int ln_addr_format(const struct sockaddr *sa, ln_addr_t *out);

/* Node's family names: "IPv4", "IPv6"; NULL for 0. */
const char *ln_addr_family_name(int family);

#endif
