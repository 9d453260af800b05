/* net.BlockList: rules over IPv4 and IPv6 addresses (single addresses,
 * ranges, subnets) and the check that a server's accept and a socket's
 * connect make against them. Node's SocketAddressBlockList
 * (src/node_sockaddr.cc), with its IPv4-mapped IPv6 matching. */
#ifndef LN_BLOCKLIST_H
#define LN_BLOCKLIST_H

#include <stddef.h>
#include <uv.h>

/* Longest text of one rule: "Range: IPv6 " and two IPv6 addresses. */
#define LN_BLOCKLIST_RULE_MAX 112

/* A list of rules, counted: whoever keeps a pointer to it (the Lua
 * object, a server, a connecting socket) holds a reference. */
typedef struct ln_blocklist_s ln_blocklist_t;

/* A new empty list with one reference, or NULL when out of memory. */
ln_blocklist_t *ln_blocklist_new(void);

/* Takes one more reference to list. */
void ln_blocklist_retain(ln_blocklist_t *list);

/* Drops one reference; the last frees the list. NULL is ignored. */
void ln_blocklist_release(ln_blocklist_t *list);

/* Adds a rule matching the address of sa (AF_INET or AF_INET6; the port,
 * flow label and scope are ignored). Returns 0, UV_EAFNOSUPPORT for
 * another family, or UV_ENOMEM. */
int ln_blocklist_add_address(ln_blocklist_t *list, const struct sockaddr *sa);

/* Adds a rule matching start..end, both included. Returns 0, UV_EINVAL
 * when start comes after end (Node's "must come before end"; two
 * addresses that cannot be compared, IPv4 and an IPv6 address that is not
 * IPv4-mapped, are accepted as Node accepts them, and such a range matches
 * nothing), UV_EAFNOSUPPORT or UV_ENOMEM. */
int ln_blocklist_add_range(ln_blocklist_t *list, const struct sockaddr *start,
                           const struct sockaddr *end);

/* Adds a rule matching the addresses whose first prefix bits are those of
 * net: prefix 0-32 for IPv4, 0-128 for IPv6. Returns 0, UV_EINVAL for a
 * prefix out of range, UV_EAFNOSUPPORT or UV_ENOMEM. */
int ln_blocklist_add_subnet(ln_blocklist_t *list, const struct sockaddr *net,
                            int prefix);

/* Whether sa (AF_INET or AF_INET6; any other family never matches) is
 * matched by a rule of list: 1 or 0. An IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d) matches the IPv4 rules of a.b.c.d, and an IPv4 address
 * the IPv6 rules of its mapped form, as in Node. This is what a server
 * calls with the peer of each accepted connection and a socket with each
 * address it is about to connect to. NULL list: 0. */
int ln_blocklist_check(const ln_blocklist_t *list, const struct sockaddr *sa);

/* How many rules list holds. */
size_t ln_blocklist_count(const ln_blocklist_t *list);

/* Writes rule i (0 is the newest: Node lists them newest first) as Node's
 * blockList.rules shows it ("Address: IPv4 1.2.3.4", "Range: IPv6
 * ::1-::9", "Subnet: IPv4 10.0.0.0/8") into buf, NUL-terminated (size
 * LN_BLOCKLIST_RULE_MAX is always enough). Returns its length, 0 when i
 * is out of range. */
size_t ln_blocklist_rule(const ln_blocklist_t *list, size_t i, char *buf,
                         size_t size);

/* ---- the rules' text, read back (Node's BlockList.fromJSON) ------------ */

/* One rule found in a line of text: kind 'A' (address), 'R' (range),
 * 'S' (subnet) or 0 (none); the address text(s) are spans of the line. */
typedef struct {
  int kind;
  int family;         /* 4 or 6 */
  size_t a, a_len;    /* the address, the range's start or the network */
  size_t b, b_len;    /* the range's end */
  int prefix;         /* a subnet's prefix, as its 1-3 digits read */
} ln_blocklist_text_t;

/* Finds the first rule in the line s (len bytes, any bytes) exactly as
 * Node 22's fromJSON reads one with its regular expressions: a line with
 * "IPv4" is searched for "Subnet: IPv4 a.b.c.d/nn", then "Address: IPv4
 * a.b.c.d", then "Range: IPv4 a.b.c.d-a.b.c.d" (parts of 1-3 digits), and
 * if none is found, a line with "IPv6" for the IPv6 forms (the words in any
 * case, addresses of 1-39 hex digits and colons, prefix of 1-3 digits).
 * The addresses are not checked. Returns out->kind. A pure function over
 * bytes, for fuzzing. */
int ln_blocklist_parse_rule(const char *s, size_t len,
                            ln_blocklist_text_t *out);

#endif
