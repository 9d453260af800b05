/* net.BlockList and net.SocketAddress as Lua userdata over
 * core/blocklist.c and core/sockaddr.c. The public methods and their
 * argument checks are in lua/blocklist.lua; these primitives trust them. */
#include <limits.h>
#include <string.h>

#include "luanet.h"
#include "sockaddr.h"

#define BLOCKLIST_T "luanet.BlockList"
#define SOCKADDR_T "luanet.SocketAddress"

typedef struct {
  ln_blocklist_t *list; /* one reference; NULL once collected */
} lnb_blocklist_t;

typedef struct {
  struct sockaddr_storage sa; /* AF_INET or AF_INET6; the flow label in
                                 sin6_flowinfo, as Node keeps it */
} lnb_sockaddr_t;

/* ---- SocketAddress --------------------------------------------------- */

/* The SocketAddress at idx; at 1, a method's self, else raises
 * errors.invalidThis, which names the fix of a call with a dot. */
static const struct sockaddr *check_sockaddr(lua_State *L, int idx) {
  lnb_sockaddr_t *a = luaL_testudata(L, idx, SOCKADDR_T);
  if (a == NULL && idx == 1) {
    lua_pushliteral(L, "SocketAddress");
    lua_pushvalue(L, 1);
    lua_pushinteger(L, 2); /* the method's level, seen from invalidThis */
    lnb_raise(L, "invalidThis", 3);
  }
  if (a == NULL)
    a = luaL_checkudata(L, idx, SOCKADDR_T);
  return (const struct sockaddr *)&a->sa;
}

static void push_sockaddr(lua_State *L, const struct sockaddr_storage *sa) {
  lnb_sockaddr_t *a = lnb_new(L, sizeof(*a), SOCKADDR_T);
  a->sa = *sa;
}

/* core.newSocketAddress(address, family, port, flowlabel) -> a
 * SocketAddress, or nil when address (a string) is not an address of
 * family (4 or 6), Node's ERR_INVALID_ADDRESS. port 0-65535, flowlabel
 * 0-0xFFFFF (Node aborts above it). */
static int new_sockaddr(lua_State *L) {
  size_t len;
  const char *ip = luaL_checklstring(L, 1, &len);
  lua_Integer family = luaL_checkinteger(L, 2);
  lua_Integer port = luaL_checkinteger(L, 3);
  lua_Integer flow = luaL_checkinteger(L, 4);
  struct sockaddr_storage sa;
  luaL_argcheck(L, family == 4 || family == 6, 2, "4 or 6");
  luaL_argcheck(L, port >= 0 && port <= 65535, 3, "0-65535");
  luaL_argcheck(L, flow >= 0 && flow <= 0xFFFFF, 4, "0-0xFFFFF");
  if (ln_sockaddr_init(&sa, ip, len, (int)family, (int)port,
                       (uint32_t)flow) != 0)
    return 0;
  push_sockaddr(L, &sa);
  return 1;
}

/* core.parseSocketAddress(input) -> a SocketAddress, or nil: Node's
 * SocketAddress.parse after its type check. */
static int parse_sockaddr(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  struct sockaddr_storage sa;
  if (ln_sockaddr_parse(s, len, &sa) != 0)
    return 0;
  push_sockaddr(L, &sa);
  return 1;
}

static int is_sockaddr(lua_State *L) {
  lua_pushboolean(L, luaL_testudata(L, 1, SOCKADDR_T) != NULL);
  return 1;
}

static int sockaddr_address(lua_State *L) {
  ln_addr_t a;
  ln_addr_format(check_sockaddr(L, 1), &a);
  lua_pushlstring(L, a.address, a.len);
  return 1;
}

static int sockaddr_port(lua_State *L) {
  ln_addr_t a;
  ln_addr_format(check_sockaddr(L, 1), &a);
  lua_pushinteger(L, a.port);
  return 1;
}

static int sockaddr_family(lua_State *L) {
  const struct sockaddr *sa = check_sockaddr(L, 1);
  lua_pushstring(L, sa->sa_family == AF_INET6 ? "ipv6" : "ipv4");
  return 1;
}

static int sockaddr_flowlabel(lua_State *L) {
  const struct sockaddr *sa = check_sockaddr(L, 1);
  lua_pushinteger(L, sa->sa_family == AF_INET6
                         ? ((const struct sockaddr_in6 *)sa)->sin6_flowinfo
                         : 0);
  return 1;
}

/* tostring(address): as util.inspect shows a table of its fields,
 * "SocketAddress { address = "::1", family = "ipv6", flowlabel = 0,
 * port = 80 }" (Node: SocketAddress { address: '::1', port: 80, ... }). */
static int sockaddr_tostring(lua_State *L) {
  const struct sockaddr *sa = check_sockaddr(L, 1);
  ln_addr_t a;
  ln_addr_format(sa, &a);
  lua_pushfstring(L,
                  "SocketAddress { address = \"%s\", family = \"%s\", "
                  "flowlabel = %d, port = %d }",
                  a.address, a.family == 6 ? "ipv6" : "ipv4",
                  (int)(a.family == 6
                            ? ((const struct sockaddr_in6 *)sa)->sin6_flowinfo
                            : 0),
                  a.port);
  return 1;
}

/* ---- BlockList ------------------------------------------------------- */

/* The list of the BlockList at index 1 of a method, else raises
 * errors.invalidThis, which names the fix of a call with a dot. */
static ln_blocklist_t *check_blocklist(lua_State *L) {
  lnb_blocklist_t *b = luaL_testudata(L, 1, BLOCKLIST_T);
  if (b == NULL) {
    lua_pushliteral(L, "BlockList");
    lua_pushvalue(L, 1);
    lua_pushinteger(L, 2); /* the method's level, seen from invalidThis */
    lnb_raise(L, "invalidThis", 3);
  }
  if (b->list == NULL)
    luaL_error(L, "BlockList used after it was collected");
  return b->list;
}

ln_blocklist_t *lnb_toblocklist(lua_State *L, int idx) {
  lnb_blocklist_t *b = luaL_testudata(L, idx, BLOCKLIST_T);
  return b != NULL ? b->list : NULL;
}

static int added(lua_State *L, int err) {
  if (err == UV_ENOMEM)
    return luaL_error(L, "not enough memory");
  lua_pushboolean(L, err == 0);
  return 1;
}

/* blockList:_addAddress(socketAddress) -> true */
static int blocklist_add_address(lua_State *L) {
  return added(L, ln_blocklist_add_address(check_blocklist(L),
                                           check_sockaddr(L, 2)));
}

/* blockList:_addRange(start, end) -> true, or false when start comes
 * after end (both SocketAddress). */
static int blocklist_add_range(lua_State *L) {
  return added(L, ln_blocklist_add_range(check_blocklist(L),
                                         check_sockaddr(L, 2),
                                         check_sockaddr(L, 3)));
}

/* blockList:_addSubnet(network, prefix) -> true, or false for a prefix
 * out of the family's range. */
static int blocklist_add_subnet(lua_State *L) {
  ln_blocklist_t *list = check_blocklist(L);
  const struct sockaddr *net = check_sockaddr(L, 2);
  lua_Integer prefix = luaL_checkinteger(L, 3);
  if (prefix < 0 || prefix > 128)
    return added(L, UV_EINVAL);
  return added(L, ln_blocklist_add_subnet(list, net, (int)prefix));
}

/* blockList:_check(socketAddress) -> boolean */
static int blocklist_check(lua_State *L) {
  ln_blocklist_t *list = check_blocklist(L);
  lua_pushboolean(L, ln_blocklist_check(list, check_sockaddr(L, 2)));
  return 1;
}

/* blockList.rules -> a new list of the rules' texts, newest first. */
static int blocklist_rules(lua_State *L) {
  ln_blocklist_t *list = check_blocklist(L);
  size_t n = ln_blocklist_count(list);
  char text[LN_BLOCKLIST_RULE_MAX];
  lua_createtable(L, n > INT_MAX ? INT_MAX : (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    size_t len = ln_blocklist_rule(list, i, text, sizeof(text));
    lua_pushlstring(L, text, len);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

/* tostring(blockList): "BlockList { rules = { "Address: IPv4 1.2.3.4" } }"
 * on one line (Node: BlockList { rules: [ ... ] }). */
static int blocklist_tostring(lua_State *L) {
  luaL_Buffer buf;
  lua_Integer n;
  int rules;
  blocklist_rules(L);
  rules = lua_gettop(L);
  n = luaL_len(L, rules);
  luaL_buffinit(L, &buf);
  luaL_addstring(&buf, n == 0 ? "BlockList { rules = {" : "BlockList { "
                                                          "rules = { ");
  for (lua_Integer i = 1; i <= n; i++) {
    luaL_addstring(&buf, i > 1 ? ", \"" : "\"");
    lua_rawgeti(L, rules, i);
    luaL_addvalue(&buf);
    luaL_addchar(&buf, '"');
  }
  luaL_addstring(&buf, n == 0 ? "} }" : " } }");
  luaL_pushresult(&buf);
  return 1;
}

static int blocklist_gc(lua_State *L) {
  lnb_blocklist_t *b = luaL_checkudata(L, 1, BLOCKLIST_T);
  ln_blocklist_release(b->list);
  b->list = NULL;
  return 0;
}

/* core.newBlockList() -> an empty BlockList. */
static int new_blocklist(lua_State *L) {
  lnb_blocklist_t *b = lnb_new(L, sizeof(*b), BLOCKLIST_T);
  b->list = NULL; /* collectable as it is if the allocation below fails */
  if ((b->list = ln_blocklist_new()) == NULL)
    return luaL_error(L, "not enough memory");
  return 1;
}

static int is_blocklist(lua_State *L) {
  lua_pushboolean(L, luaL_testudata(L, 1, BLOCKLIST_T) != NULL);
  return 1;
}

/* core.parseBlockListRule(line) -> kind ('Address', 'Range', 'Subnet'),
 * family ('ipv4', 'ipv6'), address, and the range's end or the subnet's
 * prefix; nothing when the line holds no rule (fromJSON's reading, see
 * ln_blocklist_parse_rule). */
static int parse_rule(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  ln_blocklist_text_t t;
  if (ln_blocklist_parse_rule(s, len, &t) == 0)
    return 0;
  lua_pushstring(L, t.kind == 'A'   ? "Address"
                    : t.kind == 'R' ? "Range"
                                    : "Subnet");
  lua_pushstring(L, t.family == 4 ? "ipv4" : "ipv6");
  lua_pushlstring(L, s + t.a, t.a_len);
  if (t.kind == 'R')
    lua_pushlstring(L, s + t.b, t.b_len);
  else if (t.kind == 'S')
    lua_pushinteger(L, t.prefix);
  else
    lua_pushnil(L);
  return 4;
}

static void open_class(lua_State *L, int core, const char *name,
                       const char *tname, const luaL_Reg *methods,
                       const luaL_Reg *getters, lua_CFunction gc,
                       lua_CFunction tostring) {
  lua_newtable(L);
  luaL_setfuncs(L, methods, 0);
  lnb_class(L, tname, -1, getters, NULL);
  luaL_getmetatable(L, tname);
  if (gc != NULL) {
    lua_pushcfunction(L, gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pushcfunction(L, tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  lua_setfield(L, core, name);
}

void lnb_open_blocklist(lua_State *L, lnb_t *b) {
  static const luaL_Reg sockaddr_methods[] = {{NULL, NULL}};
  static const luaL_Reg sockaddr_getters[] = {
      {"address", sockaddr_address},
      {"port", sockaddr_port},
      {"family", sockaddr_family},
      {"flowlabel", sockaddr_flowlabel},
      {NULL, NULL}};
  static const luaL_Reg blocklist_methods[] = {
      {"_addAddress", blocklist_add_address},
      {"_addRange", blocklist_add_range},
      {"_addSubnet", blocklist_add_subnet},
      {"_check", blocklist_check},
      {NULL, NULL}};
  static const luaL_Reg blocklist_getters[] = {{"rules", blocklist_rules},
                                               {NULL, NULL}};
  static const luaL_Reg functions[] = {
      {"newSocketAddress", new_sockaddr},
      {"parseSocketAddress", parse_sockaddr},
      {"isSocketAddress", is_sockaddr},
      {"newBlockList", new_blocklist},
      {"isBlockList", is_blocklist},
      {"parseBlockListRule", parse_rule},
      {NULL, NULL}};
  int core = lua_gettop(L);
  (void)b;
  open_class(L, core, "SocketAddress", SOCKADDR_T, sockaddr_methods,
             sockaddr_getters, NULL, sockaddr_tostring);
  open_class(L, core, "BlockList", BLOCKLIST_T, blocklist_methods,
             blocklist_getters, blocklist_gc, blocklist_tostring);
  luaL_setfuncs(L, functions, 0);
}
