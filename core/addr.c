#include <arpa/inet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

/* One IPv4 part: 0-255 without a leading zero. Returns its length or 0. */
static size_t v4_part(const char *s, size_t len) {
  size_t n = 0;
  int value = 0;
  while (n < len && n < 3 && s[n] >= '0' && s[n] <= '9')
    value = value * 10 + (s[n++] - '0');
  if (n == 0 || (n > 1 && s[0] == '0') || value > 255)
    return 0;
  return n;
}

/* A whole dotted quad at s, to exactly len bytes. */
static int is_v4(const char *s, size_t len) {
  size_t pos = 0;
  for (int i = 0; i < 4; i++) {
    size_t n;
    if (i > 0) {
      if (pos >= len || s[pos] != '.')
        return 0;
      pos++;
    }
    if ((n = v4_part(s + pos, len - pos)) == 0)
      return 0;
    pos += n;
  }
  return pos == len;
}

static int is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

static int is_zone_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z') || c == '-' || c == '.' || c == ':';
}

/* RFC 4291 text as Node's regular expression accepts it: groups of 1-4 hex
 * digits, at most one "::" standing for at least one zero group, an
 * optional dotted-quad tail counting as two groups, and a %zone. */
static int is_v6(const char *s, size_t len) {
  size_t pos = 0, end = len;
  int groups = 0, compressed = 0;
  const char *zone = memchr(s, '%', len);

  if (zone != NULL) {
    end = (size_t)(zone - s);
    if (end + 1 == len)
      return 0;
    for (size_t i = end + 1; i < len; i++)
      if (!is_zone_char(s[i]))
        return 0;
  }
  if (end >= 2 && s[0] == ':' && s[1] == ':') {
    compressed = 1;
    pos = 2;
  } else if (end > 0 && s[0] == ':') {
    return 0;
  }
  while (pos < end) {
    size_t n = 0;
    while (pos + n < end && n < 5 && is_hex(s[pos + n]))
      n++;
    if (pos + n < end && s[pos + n] == '.') {
      /* The IPv4 tail ends the address. */
      if (!is_v4(s + pos, end - pos) || groups > 6)
        return 0;
      groups += 2;
      pos = end;
      break;
    }
    if (n == 0 || n > 4)
      return 0;
    groups++;
    pos += n;
    if (pos == end)
      break;
    if (s[pos] != ':')
      return 0;
    pos++;
    if (pos < end && s[pos] == ':') {
      if (compressed)
        return 0;
      compressed = 1;
      pos++;
    } else if (pos == end) {
      return 0; /* a single trailing ':' */
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

int ln_addr_is_ip(const char *s, size_t len) {
  if (is_v4(s, len))
    return 4;
  if (is_v6(s, len))
    return 6;
  return 0;
}

int ln_addr_parse(const char *ip, int port, struct sockaddr_storage *out) {
  size_t len = strlen(ip);
  int v = ln_addr_is_ip(ip, len);

  memset(out, 0, sizeof(*out));
  if (v == 4) {
    struct sockaddr_in *in = (struct sockaddr_in *)out;
    in->sin_family = AF_INET;
    in->sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, ip, &in->sin_addr) == 1 ? 0 : UV_EINVAL;
  }
  if (v == 6) {
    /* Not uv_ip6_addr: it cuts the address before a %zone at 39 bytes,
     * and an address with an IPv4 tail takes up to 45. */
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)out;
    char text[INET6_ADDRSTRLEN];
    const char *zone = memchr(ip, '%', len);
    size_t n = zone != NULL ? (size_t)(zone - ip) : len;
    if (n >= sizeof(text))
      return UV_EINVAL;
    memcpy(text, ip, n);
    text[n] = '\0';
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons((uint16_t)port);
    if (inet_pton(AF_INET6, text, &in6->sin6_addr) != 1)
      return UV_EINVAL;
    if (zone != NULL) { /* a name, as libuv reads it, or an index */
      unsigned index = if_nametoindex(zone + 1);
      in6->sin6_scope_id =
          index != 0 ? index : (uint32_t)strtoul(zone + 1, NULL, 10);
    }
    return 0;
  }
  return UV_EINVAL;
}

int ln_addr_format(const struct sockaddr *sa, ln_addr_t *out) {
  if (sa->sa_family == AF_INET) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
    uv_ip4_name(in, out->address, sizeof(out->address));
    out->len = strlen(out->address);
    out->port = ntohs(in->sin_port);
    out->family = 4;
    return 0;
  }
  if (sa->sa_family == AF_INET6) {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
    uv_ip6_name(in6, out->address, sizeof(out->address));
    out->len = strlen(out->address);
    out->port = ntohs(in6->sin6_port);
    out->family = 6;
    return 0;
  }
  return UV_EAFNOSUPPORT;
}

const char *ln_addr_family_name(int family) {
  return family == 4 ? "IPv4" : family == 6 ? "IPv6" : NULL;
}
