/* net.Socket as Lua userdata over ln_socket_t. The arguments' Node-style
 * normalisation lives in lua/net.lua; what is here is the hot path (write,
 * the events) and the fields. */
#define _GNU_SOURCE /* memmem */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "luanet.h"

#define SOCKET_T "luanet.Socket"

/* Writes of at least this many bytes are pinned rather than copied (see
 * ln_socket_write_pinned). */
#define PIN_MIN (1024 * 1024)

/* The userdata: s.ref is the registry's hold on it while the core may
 * call back about it. An accepted TCP connection's is smaller than
 * sizeof(lnb_socket_t) (ln_socket_size): nothing may follow s. */
typedef struct {
  ln_socket_t s; /* first: the core's notifications cast back to this */
} lnb_socket_t;

/* The registry's key of the table of the errors given to destroy(err), by
 * the Socket's reference, until its 'close': few sockets have one. */
static const char errors_key = 0;

/* The registry's key of what scripts assigned to socket.timeout (Node's
 * plain field, which setTimeout() also writes): each until the next
 * setTimeout() (lnb_set_assigned). */
static const char timeouts_key = 0;

/* The Socket at index 1 of a method. The methods keep the class's
 * metatable as upvalue 2, so the usual case costs one comparison
 * (luaL_checkudata looks the metatable up by name, at every write). Else
 * raises errors.invalidThis: socket.write('x') names the fix. */
static lnb_socket_t *check_socket(lua_State *L) {
  void *p = lua_touserdata(L, 1);
  if (p != NULL && lua_getmetatable(L, 1)) {
    int same = lua_rawequal(L, -1, lua_upvalueindex(2));
    lua_pop(L, 1);
    if (same)
      return p;
  }
  if ((p = luaL_testudata(L, 1, SOCKET_T)) != NULL) /* a metamethod */
    return p;
  lua_pushliteral(L, "Socket");
  lua_pushvalue(L, 1);
  lua_pushinteger(L, 2); /* the method's level, seen from invalidThis */
  lnb_raise(L, "invalidThis", 3);
  return NULL;
}

/* The Socket of a getter: lnb_class calls getters only from the class's
 * own __index, so index 1 is a Socket. */
static lnb_socket_t *self(lua_State *L) {
  return lua_touserdata(L, 1);
}

/* Keeps the userdata at idx referenced exactly while the core may still
 * call back about it. */
static void sync_ref(lua_State *L, lnb_socket_t *ls, int idx) {
  int active = ln_socket_is_active(&ls->s);
  if (active && ls->s.ref == LUA_NOREF) {
    lua_pushvalue(L, idx);
    ls->s.ref = luaL_ref(L, LUA_REGISTRYINDEX);
  } else if (!active && ls->s.ref != LUA_NOREF) {
    luaL_unref(L, LUA_REGISTRYINDEX, ls->s.ref);
    ls->s.ref = LUA_NOREF;
  }
}

static ln_socket_t *push_new(lua_State *L, lnb_t *b, size_t size,
                             unsigned flags) {
  ln_socket_t *s = lnb_new(L, size, SOCKET_T);
  ln_socket_init(&b->loop, s, flags);
  s->ref = LUA_NOREF;
  return s;
}

typedef struct {
  ln_server_t *server;
  ln_socket_t *socket;
} accept_t;

/* Makes the Socket of a new connection to a->server, sized for its kind
 * (ln_socket_size: an accepted TCP connection has no room for a
 * uv_pipe_t) and held by the registry from the start (the server's accept
 * follows): run by lnb_protect, a at 1, a->socket set. */
static int make_accepted(lua_State *L) {
  accept_t *a = lua_touserdata(L, 1);
  ln_socket_t *s = push_new(L, a->server->loop->data,
                            ln_socket_size(a->server), 0);
  s->ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lnb_server_adopt(a->server);
  a->socket = s;
  return 0;
}

ln_socket_t *lnb_server_socket_new(ln_server_t *s) {
  accept_t a = {s, NULL};
  lnb_protect(s->loop->data, make_accepted, &a);
  return a.socket; /* NULL when out of memory: the connection is dropped */
}

/* Pushes the error given to destroy(err) of ls and returns 1, or pushes
 * nothing and returns 0. */
static int push_user_error(lua_State *L, lnb_socket_t *ls) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &errors_key) != LUA_TTABLE) {
    lua_pop(L, 1);
    return 0;
  }
  if (lua_rawgeti(L, -1, ls->s.ref) == LUA_TNIL) {
    lua_pop(L, 2);
    return 0;
  }
  lua_remove(L, -2);
  return 1;
}

/* Keeps the value at idx (an absolute index) as the error of ls's ERROR
 * (ls->s.ref is set), or with idx 0 forgets it. */
static void set_user_error(lua_State *L, lnb_socket_t *ls, int idx) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &errors_key) != LUA_TTABLE) {
    lua_pop(L, 1);
    if (idx == 0)
      return;
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &errors_key);
  }
  if (idx != 0)
    lua_pushvalue(L, idx);
  else
    lua_pushnil(L);
  lua_rawseti(L, -2, ls->s.ref);
  lua_pop(L, 1);
}

/* ---- notifications ------------------------------------------------------ */

/* Node's AggregateError for a name whose every address failed: code of
 * the first error, no message, the errors in `errors`. */
static void push_aggregate(lua_State *L, ln_socket_t *s, int attempts) {
  lua_createtable(L, attempts, 0);
  for (int i = 0; i < attempts; i++) {
    ln_event_t e;
    ln_addr_t a;
    if (ln_socket_attempt(s, i, &e, &a) != 0)
      break;
    lnb_push_error(L, e.status, &e);
    lua_rawseti(L, -2, i + 1);
  }
  lua_createtable(L, 0, 4);
  luaL_setmetatable(L, LNB_ERROR_MT);
  lua_pushliteral(L, "AggregateError");
  lua_setfield(L, -2, "name");
  lua_pushliteral(L, "");
  lua_setfield(L, -2, "message");
  lua_rawgeti(L, -2, 1);
  lua_getfield(L, -1, "code");
  lua_setfield(L, -3, "code");
  lua_pop(L, 1);
  lua_insert(L, -2);
  lua_setfield(L, -2, "errors");
}

/* The error of a failure notification: the AggregateError when every
 * address of a name failed, the error given to destroy(err), or a Node
 * error for the code. */
static void push_failure(lua_State *L, lnb_socket_t *ls, const ln_event_t *e) {
  if (e->attempts > 1)
    push_aggregate(L, &ls->s, e->attempts);
  else if (e->status != LN_EUSER || !push_user_error(L, ls))
    lnb_push_error(L, e->status, e);
}

typedef struct {
  lnb_socket_t *ls;
  ln_socket_event_t ev;
  const ln_event_t *e;
} notification_t;

/* Node's event for each notification, in ln_socket_event_t's order. */
static const char *const event_names[] = {
    "lookup", "connectionAttempt", "connectionAttemptFailed",
    "connectionAttemptTimeout", "connect", "ready", "data", "readable", "end",
    "drain", NULL, "finish", "timeout", "error", "close"};

/* Node's autoSelectFamilyAttemptedAddresses: a fresh list at the first
 * address of a name, then 'ip:port' for each tried (kept after close, so
 * an own field of the Socket at 2, set through its __newindex). */
static void record_attempt(lua_State *L, const ln_event_t *e) {
  if (e->index == 0 ||
      lua_getfield(L, 2, "autoSelectFamilyAttemptedAddresses") !=
          LUA_TTABLE) {
    if (e->index != 0)
      lua_pop(L, 1);
    lua_createtable(L, e->attempts, 0);
    lua_pushvalue(L, -1);
    lua_setfield(L, 2, "autoSelectFamilyAttemptedAddresses");
  }
  lua_pushfstring(L, "%s:%d", e->address, e->port);
  lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
  lua_pop(L, 1);
}

/* Emits the event of a notification (a WRITE calls its callback): run by
 * lnb_protect, with the notification at 1 and the Socket at 2. */
static int emit_event(lua_State *L) {
  const notification_t *n = lua_touserdata(L, 1);
  lnb_socket_t *ls = n->ls;
  const ln_event_t *e = n->e;
  int nargs = 0;

  luaL_checkstack(L, 8, NULL);
  if (n->ev == LN_SOCKET_EV_WRITE) {
    int token = (int)(intptr_t)e->req;
    if (lua_rawgeti(L, LUA_REGISTRYINDEX, token) == LUA_TTABLE)
      lua_rawgeti(L, -1, 1); /* a pinned write's { cb or false, string } */
    luaL_unref(L, LUA_REGISTRYINDEX, token);
    if (!lua_toboolean(L, -1))
      return 0;
    if (e->status)
      push_failure(L, ls, e);
    else
      lua_pushnil(L);
    lua_call(L, 1, 0);
    return 0;
  }
  if (n->ev == LN_SOCKET_EV_ATTEMPT && e->attempts > 1)
    record_attempt(L, e);
  if (n->ev != LN_SOCKET_EV_ERROR) {
    /* What emit() would find in _events (user value 1): an event nobody
     * listens to returns at once ('end', 'finish', 'close', 'drain' of
     * most connections), and a lone 'data' or 'readable' listener
     * (lua/events.lua keeps one as the function itself) is called as
     * emit() would call it, without the trip through emit(). 'error'
     * always goes there: it raises when nobody listens. */
    int t = lnb_push_listeners(L, 2, event_names[n->ev]);
    if (t == LUA_TNIL)
      return 0;
    if (t == LUA_TFUNCTION && n->ev == LN_SOCKET_EV_DATA) {
      lua_pushlstring(L, e->data, e->len);
      lua_call(L, 1, 0);
      return 0;
    }
    if (t == LUA_TFUNCTION && n->ev == LN_SOCKET_EV_READABLE) {
      lua_call(L, 0, 0); /* a reader waiting (lua/reader.lua) */
      return 0;
    }
    lua_settop(L, 2);
  }
  lnb_emit_begin(ls->s.loop->data, L, 2, event_names[n->ev]);
  switch (n->ev) {
  case LN_SOCKET_EV_DATA:
    lua_pushlstring(L, e->data, e->len);
    nargs = 1;
    break;
  case LN_SOCKET_EV_LOOKUP:
    if (e->status) {
      lnb_push_error(L, e->status, e);
      lua_pushnil(L);
      lua_pushnil(L);
    } else {
      lua_pushnil(L);
      lua_pushstring(L, e->address);
      lua_pushinteger(L, e->family);
    }
    lua_pushstring(L, e->host);
    nargs = 4;
    break;
  case LN_SOCKET_EV_ATTEMPT:
  case LN_SOCKET_EV_ATTEMPT_FAILED:
  case LN_SOCKET_EV_ATTEMPT_TIMEOUT:
    lua_pushlstring(L, e->address, e->len);
    if (e->family != 0) {
      lua_pushinteger(L, e->port);
      lua_pushinteger(L, e->family);
    } else { /* a Unix socket: Node has no port, no family */
      lua_pushnil(L);
      lua_pushnil(L);
    }
    nargs = 3;
    if (n->ev == LN_SOCKET_EV_ATTEMPT_FAILED) {
      lnb_push_error(L, e->status, e);
      nargs = 4;
    }
    break;
  case LN_SOCKET_EV_ERROR:
    push_failure(L, ls, e);
    nargs = 1;
    break;
  case LN_SOCKET_EV_CLOSE:
    lua_pushboolean(L, e->status);
    nargs = 1;
    break;
  default:
    break;
  }
  lua_call(L, 2 + nargs, 0);
  return 0;
}

/* Emits the event of a notification to the Socket ls, at idx of L. */
static void emit(lua_State *L, lnb_t *b, lnb_socket_t *ls,
                 ln_socket_event_t ev, const ln_event_t *e, int idx) {
  notification_t n;
  n.ls = ls;
  n.ev = ev;
  n.e = e;
  lnb_protect_begin(b, emit_event, &n);
  lua_pushvalue(L, idx);
  lnb_protect_end(b, 1);
  sync_ref(L, ls, idx);
}

void lnb_socket_event(ln_socket_t *s, ln_socket_event_t ev,
                      const ln_event_t *e) {
  lnb_socket_t *ls = (lnb_socket_t *)s;
  lnb_t *b = s->loop->data;
  lua_State *L = b->L;
  int top = lua_gettop(L);

  if (ls->s.ref == LUA_NOREF)
    return;
  lua_rawgeti(L, LUA_REGISTRYINDEX, ls->s.ref); /* held for the whole call */
  if (ev == LN_SOCKET_EV_CLOSE) {
    /* Closed: let go before the listeners run (one may connect again);
     * its server stays socket.server until they have. */
    const ln_socket_t *was_socket = b->closing_socket;
    ln_server_t *was_server = b->closing_server;
    ln_server_t *server = e->server; /* the core lets go of it now */
    set_user_error(L, ls, 0);
    sync_ref(L, ls, top + 1);
    b->closing_socket = s;
    b->closing_server = server;
    emit(L, b, ls, ev, e, top + 1);
    b->closing_socket = was_socket;
    b->closing_server = was_server;
    if (server != NULL)
      lnb_server_closed(b, server);
  } else {
    emit(L, b, ls, ev, e, top + 1);
  }
  lua_settop(L, top);
}

/* ---- methods ------------------------------------------------------------ */

/* The encoding named by the value at idx, as Node's Writable.write and
 * setEncoding read it: nil, false or '' for 'utf8'; raises
 * ERR_UNKNOWN_ENCODING for anything else it does not know. */
static int check_encoding(lua_State *L, int idx) {
  size_t len;
  const char *name;
  int enc;

  if (!lua_toboolean(L, idx))
    return LN_ENC_UTF8;
  name = lua_type(L, idx) == LUA_TSTRING ? lua_tolstring(L, idx, &len) : NULL;
  if (name != NULL && (enc = ln_encoding_parse(name, len)) >= 0)
    return enc;
  lua_pushvalue(L, idx);
  return lnb_raise(L, "unknownEncoding", 1);
}

/* Replaces the text at idx (len bytes at *data) with the bytes encoding
 * enc makes of it, left on the stack (Node's Buffer.from(data, enc)). */
static void push_encoded(lua_State *L, int enc, const char **data,
                         size_t *len) {
  luaL_Buffer buf;
  char *out = luaL_buffinitsize(L, &buf, ln_encode_max(enc, *len));
  luaL_pushresultsize(&buf, ln_encode(enc, *data, *len, out));
  *data = lua_tolstring(L, -1, len);
}

/* core.encode(text, encoding) -> bytes, as Buffer.from(text, encoding);
 * raises ERR_UNKNOWN_ENCODING (process.stdout:write uses it). */
static int l_encode(lua_State *L) {
  size_t len;
  const char *data = luaL_checklstring(L, 1, &len);
  int enc = check_encoding(L, 2);
  if (enc == LN_ENC_UTF8)
    lua_settop(L, 1);
  else
    push_encoded(L, enc, &data, &len);
  return 1;
}

/* socket:write(data[, encoding][, callback]) -> boolean. data is bytes, or
 * text encoded as encoding says (Node's Buffer.from(data, encoding)).
 * Raises ERR_STREAM_NULL_VALUES, ERR_INVALID_ARG_TYPE,
 * ERR_UNKNOWN_ENCODING. */
static int socket_write(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  size_t len;
  const char *data;
  void *token = NULL;
  int cb = 0, r, enc, chunk = 2;

  if (lua_type(L, 2) != LUA_TSTRING) {
    if (lua_isnoneornil(L, 2))
      return lnb_raise(L, "streamNullValues", 0);
    lua_pushvalue(L, 2);
    return lnb_raise(L, "invalidChunk", 1);
  }
  data = lua_tolstring(L, 2, &len);
  if (lua_gettop(L) < 3) {
    /* write(chunk): no callback, no encoding */
  } else if (lua_isfunction(L, 3)) {
    cb = 3;
  } else {
    if (lua_isfunction(L, 4))
      cb = 4;
    if (!lua_isnil(L, 3) && (enc = check_encoding(L, 3)) != LN_ENC_UTF8) {
      push_encoded(L, enc, &data, &len); /* stays on the stack */
      chunk = lua_gettop(L);
    }
  }
  if (len >= PIN_MIN) {
    /* The core keeps the string's own bytes, held by the token { cb,
     * string } until its WRITE, rather than copy what the kernel does
     * not take at once. */
    lua_createtable(L, 2, 0);
    if (cb)
      lua_pushvalue(L, cb);
    else
      lua_pushboolean(L, 0);
    lua_rawseti(L, -2, 1);
    lua_pushvalue(L, chunk);
    lua_rawseti(L, -2, 2);
    token = (void *)(intptr_t)luaL_ref(L, LUA_REGISTRYINDEX);
    r = ln_socket_write_pinned(&ls->s, data, len, token);
  } else {
    if (cb) {
      lua_pushvalue(L, cb);
      token = (void *)(intptr_t)luaL_ref(L, LUA_REGISTRYINDEX);
    }
    r = ln_socket_write(&ls->s, data, len, token);
  }
  sync_ref(L, ls, 1);
  lua_pushboolean(L, r == 1);
  return 1;
}

/* socket:_end([callback]): ends the writable side once the queue is
 * flushed; callback(err) as Node calls end's. */
static int socket_end(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  void *token = NULL;
  if (lua_isfunction(L, 2)) {
    lua_pushvalue(L, 2);
    token = (void *)(intptr_t)luaL_ref(L, LUA_REGISTRYINDEX);
  }
  if (ln_socket_end(&ls->s, token) != 0 && token != NULL)
    luaL_unref(L, LUA_REGISTRYINDEX, (int)(intptr_t)token); /* never called */
  sync_ref(L, ls, 1);
  lua_settop(L, 1);
  return 1;
}

/* socket:destroy([err]) -> socket: 'error'(err) if given, then 'close'. */
static int socket_destroy(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  if (!ln_socket_destroyed(&ls->s)) {
    int user = !lua_isnoneornil(L, 2);
    ln_socket_destroy(&ls->s, user ? LN_EUSER : 0);
    sync_ref(L, ls, 1);
    if (user && ls->s.ref != LUA_NOREF) /* an ERROR follows */
      set_user_error(L, ls, 2);
  }
  lua_settop(L, 1);
  return 1;
}

/* socket:resetAndDestroy() -> socket: closes with RST (TCP only). */
static int socket_reset(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  if (ln_socket_reset(&ls->s) == UV_ENOTSUP)
    return lnb_raise(L, "invalidHandleType", 0);
  sync_ref(L, ls, 1);
  lua_settop(L, 1);
  return 1;
}

/* socket:cork(): holds the writes that follow until as many uncork()
 * calls, or end() (Node's writable.cork()). Returns nothing, as Node. */
static int socket_cork(lua_State *L) {
  ln_socket_cork(&check_socket(L)->s);
  return 0;
}

/* socket:uncork(): the last of them sends the held writes as one writev
 * (on a socket never connected they fail: 'error' ERR_SOCKET_CLOSED). */
static int socket_uncork(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  ln_socket_uncork(&ls->s);
  sync_ref(L, ls, 1);
  return 0;
}

/* socket:pause() -> socket: reads nothing more from the kernel. */
static int socket_pause(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  ln_socket_pause(&ls->s);
  lua_settop(L, 1);
  return 1;
}

/* socket:resume() -> socket: delivers what is buffered, then reads on. */
static int socket_resume(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  ln_socket_resume(&ls->s);
  sync_ref(L, ls, 1);
  lua_settop(L, 1);
  return 1;
}

/* socket:_pipe(dest) -> boolean: whether the core took on writing what
 * the socket reads to dest, a Socket (ln_socket_pipe); false when dest is
 * no Socket, or the socket already pipes (lua/net.lua's pipe() then
 * writes each chunk itself). Raises Lua's memory error. */
static int socket_pipe(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  lnb_socket_t *dest = luaL_testudata(L, 2, SOCKET_T);
  int err = dest != NULL ? ln_socket_pipe(&ls->s, &dest->s) : UV_EINVAL;
  if (err == UV_ENOMEM)
    return luaL_error(L, "not enough memory");
  lua_pushboolean(L, err == 0);
  return 1;
}

/* socket:_unpipe(): stops what _pipe started (nothing if it did not). */
static int socket_unpipe(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  ln_socket_unpipe(&ls->s);
  sync_ref(L, ls, 1);
  return 0;
}

/* socket:setEncoding([encoding]) -> socket: 'data' carries text from now
 * on, decoded as Node's StringDecoder does ('utf8' when omitted). Raises
 * ERR_UNKNOWN_ENCODING, or Lua's memory error when out of memory (the
 * socket then delivers bytes as before). */
static int socket_set_encoding(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  if (ln_socket_set_encoding(&ls->s, check_encoding(L, 2)) != 0)
    return luaL_error(L, "not enough memory");
  lua_settop(L, 1);
  return 1;
}

/* socket:isPaused() -> boolean */
static int socket_is_paused(lua_State *L) {
  lua_pushboolean(L, ln_socket_is_paused(&check_socket(L)->s));
  return 1;
}

/* socket:_setTimeout(ms): validated by lua/net.lua. */
static int socket_set_timeout(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  lua_Integer ms = luaL_checkinteger(L, 2);
  int err = ln_socket_set_timeout(&ls->s, ms > 0 ? (uint64_t)ms : 0);
  lnb_forget_assigned(L, &timeouts_key, 1); /* socket.timeout: this, again */
  sync_ref(L, ls, 1); /* an armed timer keeps the socket */
  if (err)
    return luaL_error(L, "setTimeout: %s", uv_strerror(err));
  return 0;
}

/* socket:setNoDelay([noDelay]) -> socket; true when nil, else Node's
 * !!noDelay (0 and '' are false). */
static int socket_set_nodelay(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  int enable = lua_isnoneornil(L, 2) ? 1 : lnb_truthy(L, 2);
  ln_socket_set_nodelay(&ls->s, enable);
  lua_settop(L, 1);
  return 1;
}

/* socket:setKeepAlive([enable][, initialDelay]) -> socket; enable as
 * Node's Boolean(enable), the delay in ms, rounded down to seconds as
 * Node does. */
static int socket_set_keepalive(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  lua_Number ms = lua_isnumber(L, 3) ? lua_tonumber(L, 3) : 0;
  unsigned delay = ms >= 1000 && ms < 4294967296000.0 ? (unsigned)(ms / 1000) : 0;
  ln_socket_set_keepalive(&ls->s, lnb_truthy(L, 2), delay);
  lua_settop(L, 1);
  return 1;
}

/* socket:ref() / socket:unref() -> socket */
static int socket_ref(lua_State *L) {
  ln_socket_ref(&check_socket(L)->s);
  lua_settop(L, 1);
  return 1;
}

static int socket_unref(lua_State *L) {
  ln_socket_unref(&check_socket(L)->s);
  lua_settop(L, 1);
  return 1;
}

static void push_address(lua_State *L, const ln_addr_t *a) {
  lua_createtable(L, 0, 3);
  lua_pushlstring(L, a->address, a->len);
  lua_setfield(L, -2, "address");
  if (a->family != 0) {
    lua_pushstring(L, ln_addr_family_name(a->family));
    lua_setfield(L, -2, "family");
    lua_pushinteger(L, a->port);
    lua_setfield(L, -2, "port");
  }
}

/* socket:address() -> { address, family, port }, or {} when not bound. */
static int socket_address(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  ln_addr_t a;
  if (ln_socket_is_pipe(&ls->s) || ln_socket_address(&ls->s, 0, &a) != 0)
    lua_newtable(L);
  else
    push_address(L, &a);
  return 1;
}

/* socket:_connect(options): options already normalised and checked by
 * lua/net.lua (port an integer, host a string, path a string). With
 * options.lookup true, a name is left to lua/net.lua, which gives its
 * addresses with socket:_resolved (ln_socket_connect_lookup). */
static int socket_connect(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  ln_connect_opts_t o;
  int err, by_lua;

  luaL_checktype(L, 2, LUA_TTABLE);
  memset(&o, 0, sizeof(o));
  o.host = lnb_opt_string(L, 2, "host", NULL);
  o.path = lnb_opt_string(L, 2, "path", &o.path_len);
  o.local_address = lnb_opt_string(L, 2, "localAddress", NULL);
  o.port = (int)lnb_opt_int(L, 2, "port", 0, INT_MIN, INT_MAX);
  o.local_port = (int)lnb_opt_int(L, 2, "localPort", 0, INT_MIN, INT_MAX);
  o.family = (int)lnb_opt_int(L, 2, "family", 0, 0, 6);
  lua_getfield(L, 2, "blockList"); /* the core takes a reference */
  o.block_list = lnb_toblocklist(L, -1);
  lua_pop(L, 1);
  o.attempt_timeout = (unsigned)lnb_opt_int(
      L, 2, "autoSelectFamilyAttemptTimeout", 0, 0, UINT_MAX);
  lua_getfield(L, 2, "autoSelectFamily");
  o.no_auto_select = lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1);
  lua_pop(L, 1);
  lua_getfield(L, 2, "lookup");
  by_lua = lua_toboolean(L, -1);
  lua_pop(L, 1);
  err = by_lua ? ln_socket_connect_lookup(&ls->s, &o)
               : ln_socket_connect(&ls->s, &o);
  if (err == UV_EBUSY) {
    lua_pushnil(L); /* the old handle is still closing: lua/net.lua waits */
    lua_pushliteral(L, "EBUSY");
    return 2;
  }
  if (err != 0) { /* what lua/net.lua let through: a Node error, raised */
    ln_event_t e = {0};
    e.syscall = "connect";
    lnb_push_error(L, err, &e);
    return lua_error(L);
  }
  sync_ref(L, ls, 1);
  lua_settop(L, 1);
  return 1;
}

/* socket:_resolved(addresses) -> socket: the numeric addresses (a list of
 * strings, in the order to try them) of a connect begun with
 * options.lookup (ln_socket_resolved). Raises EINVAL when the socket is
 * not waiting for them. */
static int socket_resolved(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  const char *list[LN_MAX_ADDRESSES]; /* the core tries no more */
  size_t n = 0;
  int err;

  luaL_checktype(L, 2, LUA_TTABLE);
  while (n < sizeof(list) / sizeof(list[0]) &&
         lua_rawgeti(L, 2, (lua_Integer)n + 1) == LUA_TSTRING) {
    list[n++] = lua_tostring(L, -1); /* the table keeps it */
    lua_pop(L, 1);
  }
  lua_settop(L, 2);
  if ((err = ln_socket_resolved(&ls->s, list, n)) != 0) {
    ln_event_t e = {0};
    e.syscall = "connect";
    lnb_push_error(L, err, &e);
    return lua_error(L);
  }
  lua_settop(L, 1);
  return 1;
}

/* socket:_open(fd): wraps an open descriptor (net.Socket({ fd = n })). */
static int socket_open(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  int err = ln_socket_open(&ls->s, (int)luaL_checkinteger(L, 2));
  sync_ref(L, ls, 1);
  if (err == LN_EINVALID_FD_TYPE) {
    lnb_push_fd_type(L, (int)lua_tointeger(L, 2));
    return lnb_raise(L, "invalidFdType", 1);
  }
  if (err) {
    ln_event_t e = {0};
    e.syscall = "open";
    lnb_push_error(L, err, &e);
    return lua_error(L);
  }
  return 0;
}

/* ---- sequential reads (lua/net.lua's read, readUntil, lines) ----------- */

/* Where delim (dlen bytes) first is in what ls has buffered, searching
 * from byte from (counted from 1), or NULL; *data and *len are what is
 * buffered. */
static const char *find_buffered(lnb_socket_t *ls, const char *delim,
                                 size_t dlen, size_t from, const char **data,
                                 size_t *len) {
  *len = ln_socket_buffered(&ls->s, data);
  if (from < 1 || from > *len || dlen == 0)
    return NULL;
  return memmem(*data + from - 1, *len - (from - 1), delim, dlen);
}

/* socket:_find(delim[, init]) -> the position (from 1) of delim in what is
 * buffered, searching from byte init (1), or nil; and the buffered length
 * (Node's readableLength). Nothing is taken. */
static int socket_find(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  size_t dlen, len;
  const char *delim = luaL_checklstring(L, 2, &dlen), *data;
  const char *at = find_buffered(ls, delim, dlen,
                                 (size_t)luaL_optinteger(L, 3, 1), &data, &len);
  if (at != NULL)
    lua_pushinteger(L, (lua_Integer)(at - data) + 1);
  else
    lua_pushnil(L);
  lua_pushinteger(L, (lua_Integer)len);
  return 2;
}

/* socket:_take(n) -> the first n buffered bytes (fewer if fewer are
 * there), taken: 'end' follows once the peer ended and nothing is left. */
static int socket_take(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  lua_Integer n = luaL_checkinteger(L, 2);
  const char *data;
  size_t len = ln_socket_buffered(&ls->s, &data);
  if (n < 0)
    n = 0;
  if ((size_t)n < len)
    len = (size_t)n;
  lua_pushlstring(L, data, len);
  ln_socket_take(&ls->s, len);
  sync_ref(L, ls, 1);
  return 1;
}

/* socket:_takeLine(from, max) -> the first buffered line without its
 * '\n' and the '\r' before it, taken with its end; searching for '\n'
 * from byte from. false, taking nothing, when the line and its end are
 * more than max bytes (ERR_READ_TOO_LONG to come); nil and the buffered
 * length when no '\n' is there. read('l')'s whole work in one call. */
static int socket_take_line(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  size_t len, n;
  lua_Integer max = luaL_checkinteger(L, 3);
  const char *data;
  const char *at = find_buffered(ls, "\n", 1, (size_t)luaL_checkinteger(L, 2),
                                 &data, &len);
  if (at == NULL) {
    lua_pushnil(L);
    lua_pushinteger(L, (lua_Integer)len);
    return 2;
  }
  n = (size_t)(at - data);
  if (max < 0 || n + 1 > (size_t)max) {
    lua_pushboolean(L, 0);
    return 1;
  }
  lua_pushlstring(L, data, n > 0 && data[n - 1] == '\r' ? n - 1 : n);
  ln_socket_take(&ls->s, n + 1);
  sync_ref(L, ls, 1);
  return 1;
}

/* socket:_need(n): reads on until n bytes are buffered (0: up to the
 * high-water mark), starting to read if the socket had not. Raises Lua's
 * memory error when out of memory. */
static int socket_need(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  lua_Integer n = luaL_checkinteger(L, 2);
  if (ln_socket_need(&ls->s, n > 0 ? (size_t)n : 0) != 0)
    return luaL_error(L, "not enough memory");
  sync_ref(L, ls, 1);
  return 0;
}

/* socket:_wantReadable(on): 'readable' is emitted when more is buffered
 * (and at the end) while not flowing. */
static int socket_want_readable(lua_State *L) {
  ln_socket_want_readable(&check_socket(L)->s, lua_toboolean(L, 2));
  return 0;
}

/* socket:_flowing() -> whether it flows (resumed, not paused since). */
static int socket_flowing(lua_State *L) {
  lua_pushboolean(L, ln_socket_flowing(&check_socket(L)->s));
  return 1;
}

/* socket:_eof() -> whether the peer's FIN was read. */
static int socket_eof(lua_State *L) {
  lua_pushboolean(L, ln_socket_ended(&check_socket(L)->s));
  return 1;
}

/* socket:_openStdio(fd): reads fd whatever it is (process.stdin; see
 * ln_socket_open_stdio). Raises a Node error if it cannot. */
static int socket_open_stdio(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  int err = ln_socket_open_stdio(&ls->s, (int)luaL_checkinteger(L, 2));
  sync_ref(L, ls, 1);
  if (err) {
    ln_event_t e = {0};
    e.syscall = "open";
    lnb_push_error(L, err, &e);
    return lua_error(L);
  }
  return 0;
}

/* __close: socket:_dispose() (lua/net.lua), whatever error is leaving the
 * scope. */
static int socket_close(lua_State *L) {
  check_socket(L);
  lua_settop(L, 1);
  lua_getfield(L, 1, "_dispose");
  lua_insert(L, 1);
  lua_call(L, 1, 0);
  return 0;
}

/* socket:_fileno() -> the descriptor, or nil (for listen(socket)). */
static int socket_fileno(lua_State *L) {
  int fd = ln_socket_fileno(&check_socket(L)->s);
  if (fd < 0)
    return 0;
  lua_pushinteger(L, fd);
  return 1;
}

static int socket_gc(lua_State *L) {
  lnb_socket_t *ls = luaL_checkudata(L, 1, SOCKET_T);
  ln_socket_release(&ls->s);
  return 0;
}

static int socket_tostring(lua_State *L) {
  lnb_socket_t *ls = check_socket(L);
  lua_pushfstring(L, "Socket (%s): %p", ln_socket_ready_state(&ls->s), ls);
  return 1;
}

/* ---- fields ------------------------------------------------------------- */

/* Node has no addresses for a Unix socket's ends (its Pipe handle has no
 * getpeername or getsockname). */
static int push_peer_field(lua_State *L, int peer, int what) {
  lnb_socket_t *ls = self(L);
  ln_addr_t a;
  if (ln_socket_is_pipe(&ls->s) || ln_socket_address(&ls->s, peer, &a) != 0)
    return 0;
  if (what == 0)
    lua_pushlstring(L, a.address, a.len);
  else if (what == 1 && a.family != 0)
    lua_pushinteger(L, a.port);
  else if (what == 2 && a.family != 0)
    lua_pushstring(L, ln_addr_family_name(a.family));
  else
    return 0;
  return 1;
}

static int get_remote_address(lua_State *L) {
  return push_peer_field(L, 1, 0);
}
static int get_remote_port(lua_State *L) {
  return push_peer_field(L, 1, 1);
}
static int get_remote_family(lua_State *L) {
  return push_peer_field(L, 1, 2);
}
static int get_local_address(lua_State *L) {
  return push_peer_field(L, 0, 0);
}
static int get_local_port(lua_State *L) {
  return push_peer_field(L, 0, 1);
}
static int get_local_family(lua_State *L) {
  return push_peer_field(L, 0, 2);
}

static int get_bytes_read(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)self(L)->s.bytes_read);
  return 1;
}
static int get_bytes_written(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)self(L)->s.bytes_written);
  return 1;
}
static int get_writable_length(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)self(L)->s.writable_length);
  return 1;
}
static int get_writable_need_drain(lua_State *L) {
  lua_pushboolean(L, ln_socket_need_drain(&self(L)->s));
  return 1;
}
static int get_writable_corked(lua_State *L) {
  lua_pushinteger(L, ln_socket_corked(&self(L)->s));
  return 1;
}
static int get_writable_hwm(lua_State *L) {
  lua_pushinteger(L, self(L)->s.write_hwm);
  return 1;
}
static int get_readable_hwm(lua_State *L) {
  lua_pushinteger(L, self(L)->s.read_hwm);
  return 1;
}
static int get_connecting(lua_State *L) {
  lua_pushboolean(L, ln_socket_connecting(&self(L)->s));
  return 1;
}
static int get_pending(lua_State *L) {
  lua_pushboolean(L, ln_socket_pending(&self(L)->s));
  return 1;
}
static int get_destroyed(lua_State *L) {
  lua_pushboolean(L, ln_socket_destroyed(&self(L)->s));
  return 1;
}
static int get_ready_state(lua_State *L) {
  lua_pushstring(L, ln_socket_ready_state(&self(L)->s));
  return 1;
}
static int get_readable(lua_State *L) {
  lua_pushboolean(L, ln_socket_readable(&self(L)->s));
  return 1;
}
static int get_writable(lua_State *L) {
  lua_pushboolean(L, ln_socket_writable(&self(L)->s));
  return 1;
}
static int get_allow_half_open(lua_State *L) {
  lua_pushboolean(L, ln_socket_allow_half_open(&self(L)->s));
  return 1;
}
/* socket.readableFlowing: Node's three states, true while flowing
 * (resume(), a 'data' listener, pipe()), false once paused (pause(), a
 * 'readable' listener), nil before either. */
static int get_readable_flowing(lua_State *L) {
  ln_socket_t *s = &self(L)->s;
  if (ln_socket_flowing(s))
    lua_pushboolean(L, 1);
  else if (ln_socket_is_paused(s))
    lua_pushboolean(L, 0);
  else
    lua_pushnil(L);
  return 1;
}
static int get_readable_length(lua_State *L) {
  const char *data;
  lua_pushinteger(L, (lua_Integer)ln_socket_buffered(&self(L)->s, &data));
  return 1;
}
static int get_readable_ended(lua_State *L) {
  lua_pushboolean(L, ln_socket_end_emitted(&self(L)->s));
  return 1;
}
static int get_readable_encoding(lua_State *L) {
  const char *name = ln_encoding_name(ln_socket_encoding(&self(L)->s));
  if (name == NULL)
    return 0;
  lua_pushstring(L, name);
  return 1;
}
static int get_timeout(lua_State *L) {
  uint64_t ms;
  int n = lnb_get_assigned(L, &timeouts_key);
  if (n >= 0)
    return n;
  if ((ms = ln_socket_get_timeout(&self(L)->s)) == 0)
    return 0;
  lua_pushinteger(L, (lua_Integer)ms);
  return 1;
}

/* socket.timeout = value: kept as given until the next setTimeout(); the
 * timer is left as it is (Node's plain field). */
static int set_timeout(lua_State *L) {
  return lnb_set_assigned(L, &timeouts_key);
}

static const luaL_Reg setters[] = {{"timeout", set_timeout},
                                   {"server", lnb_socket_set_server},
                                   {NULL, NULL}};

static const luaL_Reg getters[] = {
    {"remoteAddress", get_remote_address},
    {"remotePort", get_remote_port},
    {"remoteFamily", get_remote_family},
    {"localAddress", get_local_address},
    {"localPort", get_local_port},
    {"localFamily", get_local_family},
    {"bytesRead", get_bytes_read},
    {"bytesWritten", get_bytes_written},
    {"bufferSize", get_writable_length},
    {"writableLength", get_writable_length},
    {"writableNeedDrain", get_writable_need_drain},
    {"writableCorked", get_writable_corked},
    {"writableHighWaterMark", get_writable_hwm},
    {"readableHighWaterMark", get_readable_hwm},
    {"connecting", get_connecting},
    {"pending", get_pending},
    {"destroyed", get_destroyed},
    {"readyState", get_ready_state},
    {"readable", get_readable},
    {"writable", get_writable},
    {"allowHalfOpen", get_allow_half_open},
    {"timeout", get_timeout},
    {"server", lnb_socket_get_server},
    {"readableEncoding", get_readable_encoding},
    {"readableLength", get_readable_length},
    {"readableFlowing", get_readable_flowing},
    {"readableEnded", get_readable_ended},
    {NULL, NULL}};

static const luaL_Reg methods[] = {
    {"write", socket_write},
    {"_end", socket_end},
    {"destroy", socket_destroy},
    {"resetAndDestroy", socket_reset},
    {"cork", socket_cork},
    {"uncork", socket_uncork},
    {"pause", socket_pause},
    {"resume", socket_resume},
    {"isPaused", socket_is_paused},
    {"_pipe", socket_pipe},
    {"_unpipe", socket_unpipe},
    {"setEncoding", socket_set_encoding},
    {"_setTimeout", socket_set_timeout},
    {"setNoDelay", socket_set_nodelay},
    {"setKeepAlive", socket_set_keepalive},
    {"ref", socket_ref},
    {"unref", socket_unref},
    {"address", socket_address},
    {"_connect", socket_connect},
    {"_resolved", socket_resolved},
    {"_open", socket_open},
    {"_openStdio", socket_open_stdio},
    {"_find", socket_find},
    {"_take", socket_take},
    {"_takeLine", socket_take_line},
    {"_need", socket_need},
    {"_wantReadable", socket_want_readable},
    {"_eof", socket_eof},
    {"_flowing", socket_flowing},
    {"_fileno", socket_fileno},
    {NULL, NULL}};

/* core.newSocket(allowHalfOpen, readable, writable, readableHighWaterMark,
 * writableHighWaterMark) -> an unconnected Socket; the marks in bytes
 * (whole numbers >= 0, checked by lua/net.lua), the default when nil. */
static int new_socket(lua_State *L) {
  ln_socket_t *s;
  unsigned flags = 0;
  if (lnb_truthy(L, 1)) /* Node's Boolean(options.allowHalfOpen) */
    flags |= LN_SOCKET_ALLOW_HALF_OPEN;
  if (lua_isboolean(L, 2) && !lua_toboolean(L, 2))
    flags |= LN_SOCKET_NOT_READABLE;
  if (lua_isboolean(L, 3) && !lua_toboolean(L, 3))
    flags |= LN_SOCKET_NOT_WRITABLE;
  s = push_new(L, lnb_state(L), sizeof(lnb_socket_t), flags);
  s->read_hwm = (uint32_t)luaL_optinteger(L, 4, s->read_hwm);
  s->write_hwm = (uint32_t)luaL_optinteger(L, 5, s->write_hwm);
  return 1;
}

/* core.isIP(s) -> 0, 4 or 6 (Node's net.isIP for a string) */
static int is_ip(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_pushinteger(L, ln_addr_is_ip(s, len));
  return 1;
}

/* core.isSocket(v) -> boolean. Upvalue 1: the Socket metatable (found
 * without luaL_testudata's lookup by name: one call per connection). */
static int is_socket(lua_State *L) {
  lua_pushboolean(L, lua_type(L, 1) == LUA_TUSERDATA &&
                         lua_getmetatable(L, 1) &&
                         lua_rawequal(L, -1, lua_upvalueindex(1)));
  return 1;
}

void lnb_open_socket(lua_State *L, lnb_t *b) {
  int core = lua_gettop(L);
  lua_createtable(L, 0, 40);
  lua_pushlightuserdata(L, b);
  luaL_newmetatable(L, SOCKET_T); /* filled in by lnb_class */
  luaL_setfuncs(L, methods, 2);
  lnb_class(L, SOCKET_T, -1, getters, setters);
  luaL_getmetatable(L, SOCKET_T);
  lua_pushcfunction(L, socket_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, socket_close);
  lua_setfield(L, -2, "__close");
  lua_pushcfunction(L, socket_tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  lua_setfield(L, core, "Socket");
  lua_pushlightuserdata(L, b);
  lua_pushcclosure(L, new_socket, 1);
  lua_setfield(L, core, "newSocket");
  luaL_getmetatable(L, SOCKET_T);
  lua_pushcclosure(L, is_socket, 1);
  lua_setfield(L, core, "isSocket");
  lua_pushcfunction(L, is_ip);
  lua_setfield(L, core, "isIP");
  lua_pushcfunction(L, l_encode);
  lua_setfield(L, core, "encode");
}

void lnb_socket_push(lua_State *L, ln_socket_t *s) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, s->ref);
}
