/* net.Server as Lua userdata over ln_server_t. Argument normalisation is in
 * lua/net.lua (listen's four forms, close's callback). */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "luanet.h"
#include "proxy.h"

#define SERVER_T "luanet.Server"

typedef struct {
  ln_server_t s;  /* first */
  int ref;        /* the registry's hold on the userdata (sync_ref) */
  int accepted;   /* the Sockets made for its connections whose CLOSE is
                     still to come: their socket.server */
} lnb_server_t;

/* The registry's key of what scripts assigned to socket.server
 * (lnb_set_assigned). */
static const char servers_key = 0;

/* The Server at index 1 of a method, else raises errors.invalidThis:
 * server.listen(0) names the fix. */
static lnb_server_t *check_server(lua_State *L) {
  lnb_server_t *ls = luaL_testudata(L, 1, SERVER_T);
  if (ls == NULL) {
    lua_pushliteral(L, "Server");
    lua_pushvalue(L, 1);
    lua_pushinteger(L, 2); /* the method's level, seen from invalidThis */
    lnb_raise(L, "invalidThis", 3);
  }
  return ls;
}

/* Holds the Server at idx (ls) in the registry exactly while the core may
 * call back about it or a Socket made for one of its connections has yet
 * to close (its socket.server). Raises Lua's memory error. */
static void sync_ref(lua_State *L, lnb_server_t *ls, int idx) {
  int hold = ln_server_is_active(&ls->s) || ls->accepted > 0;
  if (hold && ls->ref == LUA_NOREF) {
    lua_pushvalue(L, idx);
    ls->ref = luaL_ref(L, LUA_REGISTRYINDEX);
  } else if (!hold && ls->ref != LUA_NOREF) {
    luaL_unref(L, LUA_REGISTRYINDEX, ls->ref);
    ls->ref = LUA_NOREF;
  }
}

/* ---- socket.server ------------------------------------------------------ */

void lnb_server_adopt(ln_server_t *s) {
  ((lnb_server_t *)s)->accepted++;
}

void lnb_server_closed(lnb_t *b, ln_server_t *s) {
  lnb_server_t *ls = (lnb_server_t *)s;
  lua_State *L = b->L;
  ls->accepted--;
  lua_rawgeti(L, LUA_REGISTRYINDEX, ls->ref); /* held until now */
  sync_ref(L, ls, -1); /* its last one: it may go */
  lua_pop(L, 1);
}

/* socket.server, a getter of the Socket at 1: the Server that accepted
 * it (Node's onconnection sets it), until the Socket's 'close' has been
 * emitted; nil for any other Socket; or what was assigned. */
int lnb_socket_get_server(lua_State *L) {
  const ln_socket_t *s = lua_touserdata(L, 1);
  const lnb_server_t *ls = (const lnb_server_t *)s->server;
  lnb_t *b = s->loop->data;
  int n = lnb_get_assigned(L, &servers_key);
  if (n >= 0)
    return n;
  if (ls == NULL && b->closing_socket == s) /* in its 'close' */
    ls = (const lnb_server_t *)b->closing_server;
  if (ls == NULL)
    return 0;
  lua_rawgeti(L, LUA_REGISTRYINDEX, ls->ref); /* held while it has any */
  return 1;
}

/* socket.server = value (the Socket at 1, value at 3): a plain field, as
 * Node's. Raises Lua's memory error. */
int lnb_socket_set_server(lua_State *L) {
  return lnb_set_assigned(L, &servers_key);
}

static void set_field(lua_State *L, const char *k, const char *v) {
  if (v != NULL) {
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
  }
}

static void set_int(lua_State *L, const char *k, int v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, k);
}

typedef struct {
  lnb_t *b;
  ln_server_event_t ev;
  const ln_event_t *e;
} notification_t;

/* Node's event for each notification, in ln_server_event_t's order. */
static const char *const event_names[] = {"listening", "connection", "error",
                                          "close", "drop", "proxyError"};

/* Emits the event of a notification: run by lnb_protect, with the
 * notification at 1 and the Server at 2. */
/* Pushes { localAddress, localPort, localFamily, remoteAddress,
 * remotePort, remoteFamily } of a connection's event ('drop',
 * 'proxyError'), as Node's 'drop' gives them. */
static void push_peer(lua_State *L, const ln_event_t *e) {
  lua_createtable(L, 0, 7);
  set_field(L, "localAddress", e->local_address);
  set_int(L, "localPort", e->local_port);
  set_field(L, "localFamily", ln_addr_family_name(e->family));
  set_field(L, "remoteAddress", e->address);
  set_int(L, "remotePort", e->port);
  set_field(L, "remoteFamily", ln_addr_family_name(e->family));
}

static int emit_event(lua_State *L) {
  const notification_t *n = lua_touserdata(L, 1);
  const ln_event_t *e = n->e;
  int nargs = 1;

  luaL_checkstack(L, 8, NULL);
  if (n->ev == LN_SERVER_EV_CONNECTION) {
    /* The hot path of churn: a lone 'connection' listener (lua/events.lua
     * keeps one as the function itself) is called as emit() would. */
    if (lnb_push_listeners(L, 2, "connection") == LUA_TFUNCTION) {
      lnb_socket_push(L, e->socket);
      lua_call(L, 1, 0);
      return 0;
    }
    lua_settop(L, 2);
  }
  lnb_emit_begin(n->b, L, 2, event_names[n->ev]);
  switch (n->ev) {
  case LN_SERVER_EV_CONNECTION:
    lnb_socket_push(L, e->socket);
    break;
  case LN_SERVER_EV_ERROR:
    lnb_push_error(L, e->status, e);
    break;
  case LN_SERVER_EV_DROP:
    push_peer(L, e);
    break;
  default:
    nargs = 0;
    if (n->ev == LN_SERVER_EV_PROXY_ERROR) {
      push_peer(L, e);
      lua_pushlstring(L, e->data, e->len);
      lua_setfield(L, -2, "message");
      nargs = 1;
    }
    break;
  }
  lua_call(L, 2 + nargs, 0);
  return 0;
}

void lnb_server_event(ln_server_t *s, ln_server_event_t ev,
                      const ln_event_t *e) {
  lnb_server_t *ls = (lnb_server_t *)s;
  lnb_t *b = s->loop->data;
  lua_State *L = b->L;
  int top = lua_gettop(L);
  notification_t n;

  if (ls->ref == LUA_NOREF)
    return;
  lua_rawgeti(L, LUA_REGISTRYINDEX, ls->ref); /* held for the whole call */
  if (ev == LN_SERVER_EV_CLOSE)
    sync_ref(L, ls, top + 1); /* closed: let go before the listeners run */
  n.b = b;
  n.ev = ev;
  n.e = e;
  lnb_protect_begin(b, emit_event, &n);
  lua_pushvalue(L, top + 1);
  lnb_protect_end(b, 1);
  sync_ref(L, ls, top + 1);
  lua_settop(L, top);
}

/* server:_listen(options): normalised by lua/net.lua. Raises Node's
 * ERR_SERVER_ALREADY_LISTEN; other failures arrive as 'error'. */
static int server_listen(lua_State *L) {
  lnb_server_t *ls = check_server(L);
  ln_listen_opts_t o;
  int err;

  luaL_checktype(L, 2, LUA_TTABLE);
  memset(&o, 0, sizeof(o));
  o.host = lnb_opt_string(L, 2, "host", NULL);
  o.path = lnb_opt_string(L, 2, "path", &o.path_len);
  o.port = (int)lnb_opt_int(L, 2, "port", 0, 0, 65535);
  o.fd = (int)lnb_opt_int(L, 2, "fd", -1, -1, INT_MAX);
  o.backlog = (int)lnb_opt_int(L, 2, "backlog", 0, INT_MIN, INT_MAX);
  o.ipv6_only = lnb_opt_bool(L, 2, "ipv6Only");
  o.reuse_port = lnb_opt_bool(L, 2, "reusePort");
  o.readable_all = lnb_opt_bool(L, 2, "readableAll");
  o.writable_all = lnb_opt_bool(L, 2, "writableAll");
  err = ln_server_listen(&ls->s, &o);
  sync_ref(L, ls, 1);
  if (err == LN_EALREADY_LISTEN)
    return lnb_raise(L, "serverAlreadyListen", 0);
  if (err == LN_EINVALID_FD_TYPE) {
    lnb_push_fd_type(L, o.fd);
    return lnb_raise(L, "invalidFdType", 1);
  }
  if (err) {
    ln_event_t e = {0};
    e.syscall = "listen";
    lnb_push_error(L, err, &e);
    return lua_error(L);
  }
  return 0;
}

/* server:_close() -> boolean: whether it was listening. 'close' follows
 * once no connection is left. */
static int server_close(lua_State *L) {
  lnb_server_t *ls = check_server(L);
  int err = ln_server_close(&ls->s);
  sync_ref(L, ls, 1);
  lua_pushboolean(L, err == 0);
  return 1;
}

/* server:address() -> { address, family, port }, the path of a Unix
 * socket, or nil when not listening. */
static int server_address(lua_State *L) {
  lnb_server_t *ls = check_server(L);
  ln_addr_t a;
  size_t len;
  const char *path = ln_server_path(&ls->s, &len);
  if (path != NULL) { /* whole, as Node gives it, beyond ln_addr_t's room */
    lua_pushlstring(L, path, len);
    return 1;
  }
  if (ln_server_address(&ls->s, &a) != 0)
    return 0;
  if (a.family == 0) {
    lua_pushlstring(L, a.address, a.len);
    return 1;
  }
  lua_createtable(L, 0, 3);
  lua_pushlstring(L, a.address, a.len);
  lua_setfield(L, -2, "address");
  lua_pushstring(L, ln_addr_family_name(a.family));
  lua_setfield(L, -2, "family");
  lua_pushinteger(L, a.port);
  lua_setfield(L, -2, "port");
  return 1;
}

static int server_ref(lua_State *L) {
  ln_server_ref(&check_server(L)->s);
  lua_settop(L, 1);
  return 1;
}

static int server_unref(lua_State *L) {
  ln_server_unref(&check_server(L)->s);
  lua_settop(L, 1);
  return 1;
}

/* server:_fileno() -> the listening descriptor, or nil. */
static int server_fileno(lua_State *L) {
  int fd = ln_server_fileno(&check_server(L)->s);
  if (fd < 0)
    return 0;
  lua_pushinteger(L, fd);
  return 1;
}

static int server_gc(lua_State *L) {
  lnb_server_t *ls = luaL_checkudata(L, 1, SERVER_T);
  ln_server_release(&ls->s);
  return 0;
}

/* __close: a `local server <close>` leaving its scope, normally or by an
 * error, closes the server if it is listening (Node's Symbol.asyncDispose
 * calls close(); Lua cannot wait for 'close') or still resolving its host
 * (Node's skips that one, which then listens beyond its scope). A server
 * that is neither is left alone: no 'close', as in Node. */
static int server_close_scope(lua_State *L) {
  lnb_server_t *ls = check_server(L);
  if (ln_server_listening(&ls->s) || ls->s.lookup != NULL) {
    ln_server_close(&ls->s);
    sync_ref(L, ls, 1);
  }
  return 0;
}

static int server_tostring(lua_State *L) {
  lnb_server_t *ls = check_server(L);
  lua_pushfstring(L, "Server (%s): %p",
                  ln_server_listening(&ls->s) ? "listening" : "not listening",
                  ls);
  return 1;
}

static int get_listening(lua_State *L) {
  lua_pushboolean(L, ln_server_listening(&check_server(L)->s));
  return 1;
}

static int get_max_connections(lua_State *L) {
  lnb_server_t *ls = check_server(L);
  if (ls->s.max_connections < 0)
    return 0;
  lua_pushinteger(L, ls->s.max_connections);
  return 1;
}

static int set_max_connections(lua_State *L) {
  lnb_server_t *ls = check_server(L);
  if (lua_isnil(L, 3)) {
    ls->s.max_connections = -1;
    return 0;
  }
  if (!lua_isnumber(L, 3)) {
    lua_pushliteral(L, "maxConnections");
    lua_pushliteral(L, "number");
    lua_pushvalue(L, 3);
    return lnb_raise(L, "invalidArgType", 3);
  }
  {
    lua_Number n = lua_tonumber(L, 3);
    ls->s.max_connections = n < 0 ? 0 : n > 2147483647 ? 2147483647 : (int)n;
  }
  return 0;
}

/* The options of accepted connections, as Node's Server keeps them in
 * fields it reads at each connection: read live, and what is assigned
 * applies to the connections that follow. The booleans are true as
 * JavaScript has it; keepAliveInitialDelay is in seconds, as Node keeps
 * it (~~(ms / 1000)); highWaterMark in bytes. */
static int push_flag(lua_State *L, int on) {
  lua_pushboolean(L, on);
  return 1;
}

static int get_no_delay(lua_State *L) {
  return push_flag(L, check_server(L)->s.opts.no_delay);
}

static int set_no_delay(lua_State *L) {
  check_server(L)->s.opts.no_delay = lnb_truthy(L, 3);
  return 0;
}

static int get_keep_alive(lua_State *L) {
  return push_flag(L, check_server(L)->s.opts.keep_alive);
}

static int set_keep_alive(lua_State *L) {
  check_server(L)->s.opts.keep_alive = lnb_truthy(L, 3);
  return 0;
}

static int get_pause_on_connect(lua_State *L) {
  return push_flag(L, check_server(L)->s.opts.pause_on_connect);
}

static int set_pause_on_connect(lua_State *L) {
  check_server(L)->s.opts.pause_on_connect = lnb_truthy(L, 3);
  return 0;
}

static int get_allow_half_open(lua_State *L) {
  return push_flag(L, (check_server(L)->s.opts.socket_flags &
                       LN_SOCKET_ALLOW_HALF_OPEN) != 0);
}

static int set_allow_half_open(lua_State *L) {
  ln_server_opts_t *o = &check_server(L)->s.opts;
  if (lnb_truthy(L, 3))
    o->socket_flags |= LN_SOCKET_ALLOW_HALF_OPEN;
  else
    o->socket_flags &= ~(unsigned)LN_SOCKET_ALLOW_HALF_OPEN;
  return 0;
}

/* A whole number in [0, max] at 3, or raises ERR_INVALID_ARG_TYPE /
 * ERR_OUT_OF_RANGE naming the field. */
static lua_Integer check_count(lua_State *L, const char *name,
                               lua_Integer max) {
  lua_Number n;
  if (!lua_isnumber(L, 3) || lua_type(L, 3) != LUA_TNUMBER) {
    lua_pushstring(L, name);
    lua_pushliteral(L, "number");
    lua_pushvalue(L, 3);
    return lnb_raise(L, "invalidArgType", 3);
  }
  n = lua_tonumber(L, 3);
  if (!(n >= 0 && n <= (lua_Number)max) || n != (lua_Number)(lua_Integer)n) {
    lua_pushstring(L, name);
    lua_pushfstring(L, ">= 0 and <= %I", max);
    lua_pushvalue(L, 3);
    return lnb_raise(L, "outOfRange", 3);
  }
  return (lua_Integer)n;
}

static int get_keep_alive_delay(lua_State *L) {
  lua_pushinteger(L, check_server(L)->s.opts.keep_alive_delay);
  return 1;
}

static int set_keep_alive_delay(lua_State *L) {
  ln_server_t *s = &check_server(L)->s;
  s->opts.keep_alive_delay =
      (unsigned)check_count(L, "keepAliveInitialDelay", UINT32_MAX);
  return 0;
}

static int get_high_water_mark(lua_State *L) {
  lua_pushinteger(L, check_server(L)->s.opts.high_water_mark);
  return 1;
}

static int set_high_water_mark(lua_State *L) {
  ln_server_t *s = &check_server(L)->s;
  s->opts.high_water_mark =
      (uint32_t)check_count(L, "highWaterMark", UINT32_MAX);
  return 0;
}

static int get_connections(lua_State *L) {
  lua_pushinteger(L, check_server(L)->s.connections);
  return 1;
}

static const luaL_Reg getters[] = {
    {"listening", get_listening},
    {"maxConnections", get_max_connections},
    {"noDelay", get_no_delay},
    {"keepAlive", get_keep_alive},
    {"keepAliveInitialDelay", get_keep_alive_delay},
    {"pauseOnConnect", get_pause_on_connect},
    {"allowHalfOpen", get_allow_half_open},
    {"highWaterMark", get_high_water_mark},
    {"_connections", get_connections},
    {NULL, NULL}};

static const luaL_Reg setters[] = {
    {"maxConnections", set_max_connections},
    {"noDelay", set_no_delay},
    {"keepAlive", set_keep_alive},
    {"keepAliveInitialDelay", set_keep_alive_delay},
    {"pauseOnConnect", set_pause_on_connect},
    {"allowHalfOpen", set_allow_half_open},
    {"highWaterMark", set_high_water_mark},
    {NULL, NULL}};

static const luaL_Reg methods[] = {{"_listen", server_listen},
                                   {"_close", server_close},
                                   {"_fileno", server_fileno},
                                   {"address", server_address},
                                   {"ref", server_ref},
                                   {"unref", server_unref},
                                   {NULL, NULL}};

/* core.newServer(options) -> a Server that is not listening. options:
 * allowHalfOpen, pauseOnConnect, noDelay, keepAlive, keepAliveInitialDelay
 * (ms), highWaterMark (bytes), blockList, proxyProtocol (core/proxy.h);
 * already checked by lua/net.lua. */
static int new_server(lua_State *L) {
  lnb_t *b = lnb_state(L);
  ln_server_opts_t o;
  lnb_server_t *ls;

  memset(&o, 0, sizeof(o));
  o.high_water_mark = LN_DEFAULT_HIGH_WATER_MARK;
  if (lua_istable(L, 1)) {
    lua_Integer delay =
        lnb_opt_int(L, 1, "keepAliveInitialDelay", 0, 0, UINT32_MAX * 1000LL);
    if (lnb_opt_bool(L, 1, "allowHalfOpen"))
      o.socket_flags |= LN_SOCKET_ALLOW_HALF_OPEN;
    o.pause_on_connect = lnb_opt_bool(L, 1, "pauseOnConnect");
    o.no_delay = lnb_opt_bool(L, 1, "noDelay");
    o.keep_alive = lnb_opt_bool(L, 1, "keepAlive");
    o.keep_alive_delay = (unsigned)(delay / 1000);
    o.high_water_mark = (uint32_t)lnb_opt_int(
        L, 1, "highWaterMark", LN_DEFAULT_HIGH_WATER_MARK, 0, UINT32_MAX);
    lua_getfield(L, 1, "blockList"); /* the core takes a reference */
    o.block_list = lnb_toblocklist(L, -1);
    lua_pop(L, 1);
  }
  ls = lnb_new(L, sizeof(*ls), SERVER_T);
  ln_server_init(&b->loop, &ls->s, &o);
  if (lua_istable(L, 1) && lnb_opt_bool(L, 1, "proxyProtocol"))
    ln_server_proxy_protocol(&ls->s, 1);
  ls->ref = LUA_NOREF;
  ls->accepted = 0;
  return 1;
}

static int is_server(lua_State *L) {
  lua_pushboolean(L, luaL_testudata(L, 1, SERVER_T) != NULL);
  return 1;
}

void lnb_open_server(lua_State *L, lnb_t *b) {
  int core = lua_gettop(L);
  lua_createtable(L, 0, 40);
  lua_pushlightuserdata(L, b);
  luaL_setfuncs(L, methods, 1);
  lnb_class(L, SERVER_T, -1, getters, setters);
  luaL_getmetatable(L, SERVER_T);
  lua_pushcfunction(L, server_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, server_close_scope);
  lua_setfield(L, -2, "__close");
  lua_pushcfunction(L, server_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  lua_setfield(L, core, "Server");
  lua_pushlightuserdata(L, b);
  lua_pushcclosure(L, new_server, 1);
  lua_setfield(L, core, "newServer");
  lua_pushcfunction(L, is_server);
  lua_setfield(L, core, "isServer");
}
