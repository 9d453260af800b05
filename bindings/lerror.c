/* Errors as Node shapes them (lib/internal/errors.js): the table, its
 * fields, and its message, for every error the core reports. */
#include <string.h>

#include "luanet.h"

#define LNB_ERRORS "luanet.errors"

static void set_string(lua_State *L, const char *k, const char *v) {
  lua_pushstring(L, v);
  lua_setfield(L, -2, k);
}

static void set_int(lua_State *L, const char *k, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, k);
}

/* " address:port", or " address" when there is no port (Node's details). */
/* " address[:port]": the address len bytes long (0: up to its NUL), which
 * an abstract Unix name starts with, whole as Node prints it. */
static void add_details(luaL_Buffer *buf, const char *address, size_t len,
                        int port) {
  if (address == NULL || (len == 0 && address[0] == '\0'))
    return;
  luaL_addchar(buf, ' ');
  luaL_addlstring(buf, address, len ? len : strlen(address));
  if (port > 0) {
    luaL_addchar(buf, ':');
    lua_pushinteger(buf->L, port);
    luaL_addvalue(buf);
  }
}

void lnb_push_error(lua_State *L, int err, const ln_event_t *e) {
  const char *syscall = e->syscall, *code = ln_err_code(err);
  luaL_Buffer buf;

  lua_createtable(L, 0, 8);
  luaL_setmetatable(L, LNB_ERROR_MT);
  set_string(L, "name", "Error");
  if (!ln_err_is_system(err) || syscall == NULL) {
    /* The core's own errors: a code and Node's message, no errno. */
    set_string(L, "code", code);
    if (ln_err_is_system(err)) {
      set_int(L, "errno", err);
      lua_pushfstring(L, "%s: %s", code, ln_err_message(err));
    } else if (err == LN_EIP_BLOCKED && e->address != NULL) {
      lua_pushfstring(L, "IP(%s) %s", e->address, ln_err_message(err));
    } else {
      lua_pushstring(L, ln_err_message(err));
    }
    lua_setfield(L, -2, "message");
    return;
  }

  set_int(L, "errno", err);
  set_string(L, "syscall", syscall);
  luaL_buffinit(L, &buf);
  if (strcmp(syscall, "getaddrinfo") == 0) {
    /* dnsException: no such name is ENOTFOUND. */
    if (err == UV_EAI_NONAME || err == UV_EAI_NODATA)
      code = "ENOTFOUND";
    luaL_addstring(&buf, "getaddrinfo ");
    luaL_addstring(&buf, code);
    add_details(&buf, e->host, 0, 0);
  } else {
    luaL_addstring(&buf, syscall);
    luaL_addchar(&buf, ' ');
    luaL_addstring(&buf, code);
    if (strcmp(syscall, "listen") == 0) {
      /* uvExceptionWithHostPort: the libuv message too. */
      luaL_addstring(&buf, ": ");
      luaL_addstring(&buf, ln_err_message(err));
    }
    add_details(&buf, e->address, e->len, e->port);
    if (e->local_address != NULL) {
      luaL_addstring(&buf, " - Local (");
      luaL_addstring(&buf, e->local_address);
      luaL_addchar(&buf, ':');
      lua_pushinteger(L, e->local_port);
      luaL_addvalue(&buf);
      luaL_addchar(&buf, ')');
    }
  }
  luaL_pushresult(&buf);
  lua_setfield(L, -2, "message");
  set_string(L, "code", code);
  if (e->host != NULL)
    set_string(L, "hostname", e->host);
  if (e->address != NULL && (e->len > 0 || e->address[0] != '\0')) {
    lua_pushlstring(L, e->address, e->len ? e->len : strlen(e->address));
    lua_setfield(L, -2, "address");
    if (e->port != 0) /* -1 for a Unix path, as Node's listen gives */
      set_int(L, "port", e->port);
  }
  if (e->local_address != NULL) {
    set_string(L, "localAddress", e->local_address);
    set_int(L, "localPort", e->local_port);
  }
}

int lnb_raise(lua_State *L, const char *name, int nargs) {
  lua_getfield(L, LUA_REGISTRYINDEX, LNB_ERRORS);
  lua_getfield(L, -1, name);
  lua_remove(L, -2);
  lua_insert(L, -nargs - 1);
  lua_call(L, nargs, 1);
  return lua_error(L);
}

void lnb_push_fd_type(lua_State *L, int fd) {
  switch (uv_guess_handle(fd)) {
  case UV_TCP:
    lua_pushliteral(L, "TCP");
    break;
  case UV_NAMED_PIPE:
    lua_pushliteral(L, "PIPE");
    break;
  case UV_TTY:
    lua_pushliteral(L, "TTY");
    break;
  case UV_UDP:
    lua_pushliteral(L, "UDP");
    break;
  case UV_FILE:
    lua_pushliteral(L, "FILE");
    break;
  default:
    lua_pushliteral(L, "UNKNOWN");
  }
}
