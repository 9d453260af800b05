/* The loop's handles as Lua sees them, from libuv's walk (uv_walk):
 * require('luanet.handles'), what net.handles() (lua/handles.lua) needs
 * and cannot see from Lua: whether each socket's and server's handle is
 * open and keeps the loop alive (the objects themselves come from the
 * registry, where the bindings hold every one libuv may call back about);
 * and luanet._handles(), the count of what is open. */
#include "luanet.h"

/* Adds each open handle of the loop to the table on top of L, as
 * [lightuserdata handle] = uv_has_ref(handle). */
static void add_handle(uv_handle_t *handle, void *arg) {
  lua_State *L = arg;
  if (handle->data == NULL || uv_is_closing(handle))
    return; /* (no closer: the embedder's own machinery) */
  lua_pushlightuserdata(L, handle);
  lua_pushboolean(L, uv_has_ref(handle));
  lua_rawset(L, -3);
}

/* The libuv handle of the Socket or Server at idx, or NULL. A server's
 * listener holds its handle first (core/server.c's ln__listener_s). */
static void *handle_of(lua_State *L, int idx) {
  void *p;
  if ((p = luaL_testudata(L, idx, "luanet.Socket")) != NULL)
    return &((ln_socket_t *)p)->h.handle;
  if ((p = luaL_testudata(L, idx, "luanet.Server")) != NULL)
    return ((ln_server_t *)p)->listener;
  return NULL;
}

/* handles.refs(list) -> a list of the same length: for each Socket or
 * Server of list (a sequence), true when its handle is open and keeps the
 * loop alive, false when it is open and unref()ed, nil when it has no open
 * handle (not connected yet, closed) or is no Socket or Server. */
static int handles_refs(lua_State *L) {
  lnb_t *b = lnb_get(L); /* NULL before require('luanet'): none open */
  lua_Integer n;
  luaL_checktype(L, 1, LUA_TTABLE);
  n = luaL_len(L, 1);
  lua_newtable(L); /* 2: the open handles */
  if (b != NULL)
    uv_walk(&b->loop.uv, add_handle, L);
  lua_createtable(L, (int)(n > 0 && n < 1 << 20 ? n : 0), 0);
  for (lua_Integer i = 1; i <= n; i++) {
    void *handle;
    lua_geti(L, 1, i);
    handle = handle_of(L, -1);
    lua_pop(L, 1);
    if (handle == NULL)
      continue;
    lua_pushlightuserdata(L, handle);
    if (lua_rawget(L, 2) != LUA_TNIL)
      lua_seti(L, -2, i);
    else
      lua_pop(L, 1);
  }
  return 1;
}

static void count_handle(uv_handle_t *handle, void *arg) {
  /* A stopped timer is only memory, freed when its object is collected. */
  if (handle->data != NULL && !uv_is_closing(handle) &&
      (handle->type != UV_TIMER || uv_is_active(handle)))
    (*(int *)arg)++;
}

int lnb_count_handles(lua_State *L) {
  int n = 0;
  uv_walk(&lnb_state(L)->loop.uv, count_handle, &n);
  lua_pushinteger(L, n);
  return 1;
}

/* luaopen_luanet_handles: the module table { refs }. From a stock
 * lua5.4, require('luanet.handles') finds it in luanet.so; the host
 * preloads it. */
int luaopen_luanet_handles(lua_State *L) {
  static const luaL_Reg functions[] = {{"refs", handles_refs}, {NULL, NULL}};
  luaL_newlib(L, functions);
  return 1;
}
