#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocklist.h"

/* An address as the rules compare it: 16 bytes in network order, an IPv4
 * address mapped into ::ffff:0:0/96, so that one byte order serves both
 * families and a mapped IPv6 address compares with its IPv4 form. */
typedef struct {
  unsigned char bytes[16];
  int family; /* 4 or 6: how it was given, for the text and for comparing */
} addr_key_t;

typedef struct {
  char kind; /* 'A' address, 'R' range, 'S' subnet */
  int prefix;
  addr_key_t a, b;
} rule_t;

struct ln_blocklist_s {
  unsigned refs;
  size_t n, cap;
  rule_t *rules; /* oldest first */
};

static const unsigned char mapped_prefix[12] = {0, 0, 0, 0, 0,    0,
                                                0, 0, 0, 0, 0xff, 0xff};

static int to_key(const struct sockaddr *sa, addr_key_t *k) {
  if (sa->sa_family == AF_INET) {
    memcpy(k->bytes, mapped_prefix, 12);
    memcpy(k->bytes + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
    k->family = 4;
    return 0;
  }
  if (sa->sa_family == AF_INET6) {
    memcpy(k->bytes, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
    k->family = 6;
    return 0;
  }
  return UV_EAFNOSUPPORT;
}

static int is_mapped(const addr_key_t *k) {
  return memcmp(k->bytes, mapped_prefix, 12) == 0;
}

/* Node compares an IPv4 address only with IPv4 and IPv4-mapped ones. */
static int comparable(const addr_key_t *x, const addr_key_t *y) {
  if (x->family == y->family)
    return 1;
  return x->family == 4 ? is_mapped(y) : is_mapped(x);
}

/* Whether the first bits bits of x and y are equal. */
static int same_prefix(const addr_key_t *x, const addr_key_t *y, int bits) {
  int whole = bits / 8, rest = bits % 8;
  if (memcmp(x->bytes, y->bytes, (size_t)whole) != 0)
    return 0;
  if (rest == 0)
    return 1;
  return ((x->bytes[whole] ^ y->bytes[whole]) & (0xff00 >> rest) & 0xff) == 0;
}

static int rule_matches(const rule_t *r, const addr_key_t *k) {
  switch (r->kind) {
  case 'A':
    return comparable(&r->a, k) && memcmp(r->a.bytes, k->bytes, 16) == 0;
  case 'R':
    return comparable(&r->a, k) && comparable(&r->b, k) &&
           memcmp(r->a.bytes, k->bytes, 16) <= 0 &&
           memcmp(k->bytes, r->b.bytes, 16) <= 0;
  default: /* 'S': an IPv4 network's bits follow the 96 of the mapping,
              which a non-mapped IPv6 address never has */
    return same_prefix(&r->a, k, r->a.family == 4 ? 96 + r->prefix
                                                  : r->prefix);
  }
}

ln_blocklist_t *ln_blocklist_new(void) {
  ln_blocklist_t *list = calloc(1, sizeof(*list));
  if (list != NULL)
    list->refs = 1;
  return list;
}

void ln_blocklist_retain(ln_blocklist_t *list) { list->refs++; }

void ln_blocklist_release(ln_blocklist_t *list) {
  if (list == NULL || --list->refs > 0)
    return;
  free(list->rules);
  free(list);
}

static int add(ln_blocklist_t *list, const rule_t *r) {
  if (list->n == list->cap) {
    size_t cap = list->cap ? list->cap * 2 : 8;
    rule_t *rules;
    if (cap > SIZE_MAX / sizeof(*rules))
      return UV_ENOMEM;
    if ((rules = realloc(list->rules, cap * sizeof(*rules))) == NULL)
      return UV_ENOMEM;
    list->rules = rules;
    list->cap = cap;
  }
  list->rules[list->n++] = *r;
  return 0;
}

int ln_blocklist_add_address(ln_blocklist_t *list,
                             const struct sockaddr *sa) {
  rule_t r = {.kind = 'A'};
  if (to_key(sa, &r.a) != 0)
    return UV_EAFNOSUPPORT;
  return add(list, &r);
}

int ln_blocklist_add_range(ln_blocklist_t *list, const struct sockaddr *start,
                           const struct sockaddr *end) {
  rule_t r = {.kind = 'R'};
  if (to_key(start, &r.a) != 0 || to_key(end, &r.b) != 0)
    return UV_EAFNOSUPPORT;
  if (comparable(&r.a, &r.b) && memcmp(r.a.bytes, r.b.bytes, 16) > 0)
    return UV_EINVAL;
  return add(list, &r);
}

int ln_blocklist_add_subnet(ln_blocklist_t *list, const struct sockaddr *net,
                            int prefix) {
  rule_t r = {.kind = 'S', .prefix = prefix};
  if (to_key(net, &r.a) != 0)
    return UV_EAFNOSUPPORT;
  if (prefix < 0 || prefix > (r.a.family == 4 ? 32 : 128))
    return UV_EINVAL;
  return add(list, &r);
}

int ln_blocklist_check(const ln_blocklist_t *list, const struct sockaddr *sa) {
  addr_key_t k;
  if (list == NULL || to_key(sa, &k) != 0)
    return 0;
  for (size_t i = 0; i < list->n; i++)
    if (rule_matches(&list->rules[i], &k))
      return 1;
  return 0;
}

size_t ln_blocklist_count(const ln_blocklist_t *list) { return list->n; }

/* Appends the text of k to buf at *pos, as inet_ntop writes it. */
static void put_key(const addr_key_t *k, char *buf, size_t size, size_t *pos) {
  if (*pos >= size)
    return;
  if (k->family == 4)
    uv_inet_ntop(AF_INET, k->bytes + 12, buf + *pos, size - *pos);
  else
    uv_inet_ntop(AF_INET6, k->bytes, buf + *pos, size - *pos);
  *pos += strlen(buf + *pos);
}

static void put(const char *s, char *buf, size_t size, size_t *pos) {
  size_t n = strlen(s);
  if (*pos + n >= size)
    n = *pos < size ? size - *pos - 1 : 0;
  memcpy(buf + *pos, s, n);
  *pos += n;
  buf[*pos] = '\0';
}

size_t ln_blocklist_rule(const ln_blocklist_t *list, size_t i, char *buf,
                         size_t size) {
  const rule_t *r;
  size_t pos = 0;
  char prefix[8];
  if (i >= list->n || size == 0)
    return 0;
  r = &list->rules[list->n - 1 - i];
  buf[0] = '\0';
  put(r->kind == 'A' ? "Address: " : r->kind == 'R' ? "Range: " : "Subnet: ",
      buf, size, &pos);
  put(r->a.family == 4 ? "IPv4 " : "IPv6 ", buf, size, &pos);
  put_key(&r->a, buf, size, &pos);
  if (r->kind == 'R') {
    put("-", buf, size, &pos);
    put_key(&r->b, buf, size, &pos);
  } else if (r->kind == 'S') {
    snprintf(prefix, sizeof(prefix), "/%d", r->prefix);
    put(prefix, buf, size, &pos);
  }
  return pos;
}

/* ---- fromJSON's regular expressions ------------------------------------ */

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int is_hexcolon(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
         c == ':';
}

/* The length of the run of characters at s[pos..len) that pass is, up to
 * max + 1 (enough to tell a run longer than max). */
static size_t run(const char *s, size_t len, size_t pos, int (*is)(char),
                  size_t max) {
  size_t n = 0;
  while (n <= max && pos + n < len && is(s[pos + n]))
    n++;
  return n;
}

/* A group of 1 to max characters that pass is, at pos: followed by the
 * character end, or by anything when end is 0 (then it takes at most max
 * of a longer run, as a greedy quantifier does). Returns its length or 0. */
static size_t group(const char *s, size_t len, size_t pos, int (*is)(char),
                    size_t max, char end) {
  size_t n = run(s, len, pos, is, max);
  if (n == 0)
    return 0;
  if (end == 0)
    return n < max ? n : max;
  return n <= max && pos + n < len && s[pos + n] == end ? n : 0;
}

/* \d{1,3}(?:\.\d{1,3}){3} at pos, then end as group() says. */
static size_t quad(const char *s, size_t len, size_t pos, char end) {
  size_t at = pos;
  for (int i = 0; i < 3; i++) {
    size_t n = group(s, len, at, is_digit, 3, '.');
    if (n == 0)
      return 0;
    at += n + 1;
  }
  {
    size_t n = group(s, len, at, is_digit, 3, end);
    return n == 0 ? 0 : at + n - pos;
  }
}

static int lower(char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Whether the literal lit is at s[pos..), in any case when fold is set. */
static int literal(const char *s, size_t len, size_t pos, const char *lit,
                   int fold) {
  size_t n = strlen(lit);
  if (pos > len || len - pos < n)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (fold ? lower(s[pos + i]) != lower(lit[i]) : s[pos + i] != lit[i])
      return 0;
  return 1;
}

static int contains(const char *s, size_t len, const char *lit) {
  for (size_t pos = 0; pos < len; pos++)
    if (literal(s, len, pos, lit, 0))
      return 1;
  return 0;
}

/* The first place where lit and the pattern of kind match (the leftmost,
 * as an unanchored regular expression), filling out. */
static int search(const char *s, size_t len, const char *lit, int family,
                  char kind, ln_blocklist_text_t *out) {
  size_t skip = strlen(lit);
  for (size_t pos = 0; pos < len; pos++) {
    size_t at = pos + skip, a = 0, b = 0, p = 0;
    if (!literal(s, len, pos, lit, family == 6))
      continue;
    if (family == 4) {
      a = quad(s, len, at, kind == 'S' ? '/' : kind == 'R' ? '-' : 0);
      if (a != 0 && kind == 'S')
        p = group(s, len, at + a + 1, is_digit, 2, 0);
      else if (a != 0 && kind == 'R')
        b = quad(s, len, at + a + 1, 0);
    } else {
      a = group(s, len, at, is_hexcolon, 39,
                kind == 'S' ? '/' : kind == 'R' ? '-' : 0);
      if (a != 0 && kind == 'S')
        p = group(s, len, at + a + 1, is_digit, 3, 0);
      else if (a != 0 && kind == 'R')
        b = group(s, len, at + a + 1, is_hexcolon, 39, 0);
    }
    if (a == 0 || (kind == 'S' && p == 0) || (kind == 'R' && b == 0))
      continue;
    out->kind = kind;
    out->family = family;
    out->a = at;
    out->a_len = a;
    if (kind == 'R') {
      out->b = at + a + 1;
      out->b_len = b;
    } else if (kind == 'S') {
      out->prefix = 0;
      for (size_t i = 0; i < p; i++)
        out->prefix = out->prefix * 10 + (s[at + a + 1 + i] - '0');
    }
    return 1;
  }
  return 0;
}

int ln_blocklist_parse_rule(const char *s, size_t len,
                            ln_blocklist_text_t *out) {
  memset(out, 0, sizeof(*out));
  if (contains(s, len, "IPv4") &&
      (search(s, len, "Subnet: IPv4 ", 4, 'S', out) ||
       search(s, len, "Address: IPv4 ", 4, 'A', out) ||
       search(s, len, "Range: IPv4 ", 4, 'R', out)))
    return out->kind;
  if (contains(s, len, "IPv6") &&
      (search(s, len, "Subnet: IPv6 ", 6, 'S', out) ||
       search(s, len, "Address: IPv6 ", 6, 'A', out) ||
       search(s, len, "Range: IPv6 ", 6, 'R', out)))
    return out->kind;
  return 0;
}
