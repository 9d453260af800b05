/* net.SocketAddress: an IP address, port and flow label, from the text
 * forms Node 22 takes. */
#ifndef LN_SOCKADDR_H
#define LN_SOCKADDR_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

/* Node's SocketAddress constructor: fills out from the address text ip
 * (len bytes) of family 4 or 6, as uv_ip4_addr and uv_ip6_addr read it (an
 * IPv6 %zone sets the scope id), port (0-65535) and, for IPv6, flowlabel
 * (0-0xFFFFF; ignored for IPv4). The text ends at a NUL byte, as Node
 * reads it. Returns 0, or UV_EINVAL when ip is not an address of that
 * family (Node's ERR_INVALID_ADDRESS) or flowlabel is above 0xFFFFF. */
int ln_sockaddr_init(struct sockaddr_storage *out, const char *ip, size_t len,
                     int family, int port, uint32_t flowlabel);

/* Node's SocketAddress.parse: reads s (len bytes, any bytes) as the
 * authority of an http:// URL, as the WHATWG URL parser does, and fills
 * out when its host is an IPv4 address (in any form the URL parser takes:
 * "127.1", "0x7f.0.0.1", percent-encoded, full-width digits) or a
 * bracketed IPv6 address. The port is 0 when absent or 80 (the scheme's
 * default, which the URL drops). Returns 0, or UV_EINVAL when Node gives
 * undefined (a name, a bad port, anything the URL parser refuses). A pure
 * function over bytes, for fuzzing. */
int ln_sockaddr_parse(const char *s, size_t len, struct sockaddr_storage *out);

#endif
