/* The PROXY protocol (HAProxy's proxy-protocol.txt, versions 1 and 2), as
 * a load balancer such as HAProxy or nginx's stream module sends it ahead
 * of each connection it passes on, so that the server behind it learns the
 * client's address. A server made with ln_server_proxy_protocol() reads
 * that header from every connection it accepts before anything else: the
 * socket's remote address is then the client's, the server's blockList and
 * maxConnections are applied to it, and CONNECTION follows; a header that
 * is malformed, too long, cut short by the peer or not complete within
 * LN_PROXY_TIMEOUT closes that connection (PROXY_ERROR, no CONNECTION).
 * Bytes sent right behind the header are the stream's first data.
 */
#ifndef LN_PROXY_H
#define LN_PROXY_H

#include <stddef.h>

#include "server.h"

/* The longest header accepted, in bytes: a version 1 line is at most 107
 * (the protocol's own limit); a version 2 header, 16 bytes and its
 * addresses and TLVs, at most this many (the protocol allows 65551; load
 * balancers send well under 600). */
#define LN_PROXY_V1_MAX 107
#define LN_PROXY_MAX 2048

/* How long a connection may take to send its whole header, in ms. A load
 * balancer sends it with its first packet. */
#define LN_PROXY_TIMEOUT 5000

/* What a header says. */
typedef struct {
  int version; /* 1 or 2 */
  int local;   /* 1: no client address to use (version 2's LOCAL command,
                  version 1's UNKNOWN, or a family other than IPv4 and
                  IPv6): the connection's own peer stands */
  struct sockaddr_storage source, destination; /* the client's address and
                                                  the one it reached; when
                                                  local is 0 */
} ln_proxy_t;

/* Errors of ln_proxy_parse (negative). */
#define LN_PROXY_ESIGNATURE (-1) /* neither "PROXY " nor version 2's */
#define LN_PROXY_EVERSION (-2)   /* version 2 signature, other version or
                                    command */
#define LN_PROXY_EFAMILY (-3)    /* an unknown family or protocol */
#define LN_PROXY_ELENGTH (-4)    /* version 2: too short for its family */
#define LN_PROXY_ETOOLONG (-5)   /* longer than LN_PROXY_V1_MAX or
                                    LN_PROXY_MAX */
#define LN_PROXY_EADDRESS (-6)   /* version 1: a bad address or port, or a
                                    line not as the protocol spells it */

/* Parses the header at the start of buf (len bytes, any content). Returns
 * the header's length n (0 < n <= len) when it is complete there, out
 * filled; 0 when it is not complete yet, and then every one of the len
 * bytes belongs to it (a caller may consume them all, and parses them
 * again with what follows); or an LN_PROXY_E* error, which more bytes
 * never change. Never reads past buf[len - 1]. */
int ln_proxy_parse(const void *buf, size_t len, ln_proxy_t *out);

/* The text of an LN_PROXY_E* error ("bad signature"...). */
const char *ln_proxy_strerror(int err);

/* Makes s (initialised, not listening) read a PROXY protocol header from
 * each connection it accepts, as this file's opening comment says. */
void ln_server_proxy_protocol(ln_server_t *s, int on);

#endif
