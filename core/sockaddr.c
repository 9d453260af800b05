#include <string.h>

#include "sockaddr.h"

int ln_sockaddr_init(struct sockaddr_storage *out, const char *ip, size_t len,
                     int family, int port, uint32_t flowlabel) {
  char text[1024]; /* an IPv6 address with a long %zone fits */
  const char *nul = memchr(ip, '\0', len);
  memset(out, 0, sizeof(*out));
  if (nul != NULL)
    len = (size_t)(nul - ip); /* Node reads the text as a C string */
  if (len >= sizeof(text))
    return UV_EINVAL;
  memcpy(text, ip, len);
  text[len] = '\0';
  if (family == 4)
    return uv_ip4_addr(text, port, (struct sockaddr_in *)out) == 0
               ? 0
               : UV_EINVAL;
  if (flowlabel > 0xFFFFF ||
      uv_ip6_addr(text, port, (struct sockaddr_in6 *)out) != 0)
    return UV_EINVAL;
  ((struct sockaddr_in6 *)out)->sin6_flowinfo = flowlabel;
  return 0;
}

/* ---- the WHATWG URL parser, as much of it as SocketAddress.parse sees -- */

/* The URL's input after its preprocessing: the tabs and line breaks
 * removed, the trailing controls and spaces stripped. Longer input than
 * this cannot be an address and a port (it could be a user name). */
#define URL_MAX 4096

static int hex_value(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The IPv6 parser of the URL standard (host parsing, "IPv6 parser"):
 * s[0..len) is what stood between the brackets. */
static int parse_ipv6(const char *s, size_t len, unsigned char out[16]) {
  unsigned address[8] = {0};
  int piece = 0, compress = -1;
  size_t p = 0;

  if (len > 0 && s[0] == ':') {
    if (len < 2 || s[1] != ':')
      return -1;
    p = 2;
    compress = ++piece;
  }
  while (p < len) {
    unsigned value = 0;
    int length = 0;
    if (piece == 8)
      return -1;
    if (s[p] == ':') {
      if (compress >= 0)
        return -1;
      p++;
      compress = ++piece;
      continue;
    }
    while (length < 4 && p < len && hex_value(s[p]) >= 0) {
      value = value * 16 + (unsigned)hex_value(s[p++]);
      length++;
    }
    if (p < len && s[p] == '.') {
      int seen = 0;
      if (length == 0 || piece > 6)
        return -1;
      p -= (size_t)length;
      while (p < len) {
        int v4 = -1;
        if (seen > 0) {
          if (s[p] != '.' || seen >= 4)
            return -1;
          p++;
        }
        if (p >= len || s[p] < '0' || s[p] > '9')
          return -1;
        while (p < len && s[p] >= '0' && s[p] <= '9') {
          if (v4 == 0)
            return -1; /* a leading zero */
          v4 = (v4 < 0 ? 0 : v4 * 10) + (s[p++] - '0');
          if (v4 > 255)
            return -1;
        }
        address[piece] = address[piece] * 0x100 + (unsigned)v4;
        if (++seen == 2 || seen == 4)
          piece++;
      }
      if (seen != 4)
        return -1;
      break;
    }
    if (p < len && s[p] == ':') {
      if (++p == len)
        return -1;
    } else if (p < len) {
      return -1;
    }
    address[piece++] = value;
  }
  if (compress >= 0) {
    int swaps = piece - compress;
    for (piece = 7; piece != 0 && swaps > 0; piece--, swaps--) {
      unsigned t = address[piece];
      address[piece] = address[compress + swaps - 1];
      address[compress + swaps - 1] = t;
    }
  } else if (piece != 8) {
    return -1;
  }
  for (int i = 0; i < 8; i++) {
    out[2 * i] = (unsigned char)(address[i] >> 8);
    out[2 * i + 1] = (unsigned char)address[i];
  }
  return 0;
}

/* One part of an IPv4 host ("IPv4 number parser"): decimal, 0x hex or
 * 0-led octal; saturates above 2^32, which no part may reach. */
static int ipv4_number(const char *s, size_t len, uint64_t *out) {
  unsigned radix = 10;
  uint64_t v = 0;
  if (len == 0)
    return -1;
  if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    radix = 16;
    s += 2;
    len -= 2;
  } else if (len >= 2 && s[0] == '0') {
    radix = 8;
    s++;
    len--;
  }
  for (size_t i = 0; i < len; i++) {
    int d = hex_value(s[i]);
    if (d < 0 || (unsigned)d >= radix)
      return -1;
    v = v * radix + (unsigned)d;
    if (v > 0xFFFFFFFFull)
      v = 0x100000000ull;
  }
  *out = v;
  return 0;
}

/* The URL standard's IPv4 parser over an ASCII host. */
static int parse_ipv4(const char *s, size_t len, unsigned char out[4]) {
  uint64_t parts[4], v;
  size_t n = 0, start = 0;
  if (len > 1 && s[len - 1] == '.')
    len--; /* one trailing dot is dropped */
  for (size_t i = 0; i <= len; i++) {
    if (i < len && s[i] != '.')
      continue;
    if (n == 4 || ipv4_number(s + start, i - start, &parts[n]) != 0)
      return -1;
    n++;
    start = i + 1;
  }
  for (size_t i = 0; i + 1 < n; i++)
    if (parts[i] > 255)
      return -1;
  if (parts[n - 1] >= (1ull << (8 * (5 - n))))
    return -1;
  v = parts[n - 1];
  for (size_t i = 0; i + 1 < n; i++)
    v += parts[i] << (8 * (3 - i));
  for (int i = 0; i < 4; i++)
    out[i] = (unsigned char)(v >> (8 * (3 - i)));
  return 0;
}

/* Decodes one UTF-8 character at s[*p..len) and moves *p past it;
 * returns it, or -1 for a byte that begins no valid character. */
static long utf8(const unsigned char *s, size_t len, size_t *p) {
  unsigned char c = s[*p];
  int n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : -1;
  long cp;
  if (c < 0x80) {
    (*p)++;
    return c;
  }
  if (n < 0 || c > 0xF4 || len - *p <= (size_t)n)
    return -1;
  cp = c & (0x3F >> n);
  for (int i = 1; i <= n; i++) {
    if ((s[*p + (size_t)i] & 0xC0) != 0x80)
      return -1;
    cp = (cp << 6) | (s[*p + (size_t)i] & 0x3F);
  }
  if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return -1;
  *p += (size_t)n + 1;
  return cp;
}

/* A host that is not bracketed: percent-decoded, then mapped to ASCII as
 * domain-to-ASCII maps what an IPv4 address can be made of (upper case to
 * lower, the full-width forms U+FF01-FF5E to ASCII, the ideographic full
 * stops U+3002 and U+FF61 to '.'); any other character makes a name,
 * which SocketAddress refuses anyway. Then the IPv4 parser. */
static int parse_host4(const char *s, size_t len, unsigned char out[4]) {
  unsigned char bytes[URL_MAX];
  char ascii[URL_MAX];
  size_t n = 0, m = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '%' && i + 2 < len && hex_value(s[i + 1]) >= 0 &&
        hex_value(s[i + 2]) >= 0) {
      bytes[n++] = (unsigned char)(hex_value(s[i + 1]) * 16 +
                                   hex_value(s[i + 2]));
      i += 2;
    } else {
      bytes[n++] = (unsigned char)s[i];
    }
  }
  for (size_t p = 0; p < n;) {
    long cp = utf8(bytes, n, &p);
    if (cp >= 0xFF01 && cp <= 0xFF5E)
      cp -= 0xFF01 - 0x21;
    else if (cp == 0x3002 || cp == 0xFF61)
      cp = '.';
    if (cp < 0 || cp >= 0x80)
      return -1;
    ascii[m++] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
  }
  return parse_ipv4(ascii, m, out);
}

int ln_sockaddr_parse(const char *s, size_t len, struct sockaddr_storage *out) {
  char url[URL_MAX];
  size_t n = 0, end, host, colon, i;
  unsigned long port = 0;
  int brackets = 0;

  memset(out, 0, sizeof(*out));
  while (len > 0 && (unsigned char)s[len - 1] <= 0x20)
    len--;
  for (i = 0; i < len; i++) {
    if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
      continue;
    if (n == sizeof(url))
      return UV_EINVAL;
    url[n++] = s[i];
  }
  /* Slashes after "http://" are skipped; the authority ends at the path,
   * query or fragment; the host follows the last '@'. */
  for (i = 0; i < n && (url[i] == '/' || url[i] == '\\'); i++)
    ;
  for (end = i; end < n; end++)
    if (url[end] == '/' || url[end] == '\\' || url[end] == '?' ||
        url[end] == '#')
      break;
  for (host = end; host > i && url[host - 1] != '@'; host--)
    ;
  for (colon = host; colon < end; colon++) {
    if (url[colon] == '[')
      brackets = 1;
    else if (url[colon] == ']')
      brackets = 0;
    else if (url[colon] == ':' && !brackets)
      break;
  }
  if (colon == host)
    return UV_EINVAL; /* no host */
  for (i = colon + 1; i < end; i++) {
    if (url[i] < '0' || url[i] > '9')
      return UV_EINVAL;
    port = port * 10 + (unsigned long)(url[i] - '0');
    if (port > 65535)
      return UV_EINVAL;
  }
  if (port == 80)
    port = 0; /* http's default: the URL has no port */
  if (url[host] == '[') {
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)out;
    if (url[colon - 1] != ']' || colon - host < 2 ||
        parse_ipv6(url + host + 1, colon - host - 2,
                   in6->sin6_addr.s6_addr) != 0)
      return UV_EINVAL;
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons((uint16_t)port);
    return 0;
  } else {
    struct sockaddr_in *in = (struct sockaddr_in *)out;
    if (parse_host4(url + host, colon - host,
                    (unsigned char *)&in->sin_addr) != 0)
      return UV_EINVAL;
    in->sin_family = AF_INET;
    in->sin_port = htons((uint16_t)port);
    return 0;
  }
}
