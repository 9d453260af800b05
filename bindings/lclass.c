/* Classes of userdata with Node's property model: own fields first, then
 * the class's methods, then computed fields (getters), and `_events` for
 * the emitter of lua/events.lua. And the readers of the options tables
 * the classes' C methods take.
 *
 * An object has one user value (issue 14: each costs an idle connection
 * 16 bytes): its _events table, until it gets an own field; from then on
 * the table of its own fields, which keeps _events under "_events" and is
 * told from an _events table by its metatable, the marker (upvalue 4 of
 * the class's __index and __newindex). An _events table has none: code
 * that reads the user value for the listeners takes a table with a
 * metatable as "ask _events" (lsocket.c's and lserver.c's emit_event). */
#include "luanet.h"

/* The registry's key of the marker. */
static const char marker_key = 0;

/* Pushes the user value of the userdata at obj; returns whether it is a
 * table of own fields: its metatable is the marker (upvalue 4 inside the
 * class's __index and __newindex, in_class 1; the registry's elsewhere). */
static int push_user_value(lua_State *L, int obj, int in_class) {
  int fields = 0;
  if (lua_getiuservalue(L, obj, 1) == LUA_TTABLE && lua_getmetatable(L, -1)) {
    if (in_class)
      lua_pushvalue(L, lua_upvalueindex(4));
    else
      lua_rawgetp(L, LUA_REGISTRYINDEX, &marker_key);
    fields = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
  }
  return fields;
}

static int get_events(lua_State *L) {
  if (push_user_value(L, 1, 1))
    lua_getfield(L, -1, "_events");
  return 1;
}

static int set_events(lua_State *L) {
  lua_settop(L, 3);
  if (push_user_value(L, 1, 1)) {
    lua_pushvalue(L, 3);
    lua_setfield(L, 4, "_events");
  } else {
    lua_pop(L, 1);
    lua_setiuservalue(L, 1, 1);
  }
  return 0;
}

/* The object at 1 must be of the class whose metatable is upvalue 3:
 * the metamethods can be called by hand with anything. Raises otherwise. */
static void check_self(lua_State *L) {
  if (!lua_getmetatable(L, 1) || !lua_rawequal(L, -1, lua_upvalueindex(3))) {
    lua_getfield(L, lua_upvalueindex(3), "__name");
    luaL_typeerror(L, 1, lua_tostring(L, -1));
  }
  lua_pop(L, 1);
}

/* Calls the getter or setter for key 2 in the table at table_idx, if there
 * is one, with the object at 1 (and the value at 3 for a setter): they run
 * with the upvalues of __index or __newindex. Returns its results, or -1 when there is none. A
 * getter casts its object, so the object's class is checked first. */
static int call_accessor(lua_State *L, int table_idx) {
  lua_CFunction f;
  lua_pushvalue(L, 2);
  if (lua_rawget(L, table_idx) == LUA_TNIL) {
    lua_pop(L, 1);
    return -1;
  }
  f = lua_tocfunction(L, -1);
  lua_pop(L, 1);
  if (f != get_events && f != set_events) /* these do not cast */
    check_self(L);
  return f(L);
}

/* __index: own fields, methods, getters. Own fields and methods are safe
 * to look up on any full userdata (a method checks its self), so only the
 * getters pay for the class check. */
static int class_index(lua_State *L) {
  int n;
  if (lua_type(L, 1) != LUA_TUSERDATA)
    check_self(L);
  if (push_user_value(L, 1, 1)) {
    lua_pushvalue(L, 2);
    if (lua_rawget(L, -2) != LUA_TNIL)
      return 1;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
    return 1;
  lua_pop(L, 1);
  if ((n = call_accessor(L, lua_upvalueindex(2))) >= 0)
    return n;
  return 0;
}

static int class_newindex(lua_State *L) {
  if (lua_type(L, 1) != LUA_TUSERDATA)
    check_self(L);
  if (call_accessor(L, lua_upvalueindex(2)) >= 0) /* setters */
    return 0;
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TFUNCTION) { /* getters */
    luaL_getmetafield(L, 1, "__name");
    lua_pushvalue(L, 2);
    return lnb_raise(L, "readOnlyProperty", 2);
  }
  lua_pop(L, 1);
  if (!push_user_value(L, 1, 1)) {
    lua_createtable(L, 0, 2); /* the own fields, keeping _events */
    lua_insert(L, -2);
    lua_setfield(L, -2, "_events");
    lua_pushvalue(L, lua_upvalueindex(4));
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, 1, 1);
  }
  lua_insert(L, 2);
  lua_rawset(L, 2);
  return 0;
}

static void push_accessors(lua_State *L, const luaL_Reg *regs, int events) {
  lua_newtable(L);
  for (; regs != NULL && regs->name != NULL; regs++) {
    lua_pushcfunction(L, regs->func);
    lua_setfield(L, -2, regs->name);
  }
  lua_pushcfunction(L, events ? get_events : set_events);
  lua_setfield(L, -2, "_events");
}

void lnb_class(lua_State *L, const char *tname, int methods_idx,
               const luaL_Reg *getters, const luaL_Reg *setters) {
  methods_idx = lua_absindex(L, methods_idx);
  luaL_newmetatable(L, tname);
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &marker_key) != LUA_TTABLE) {
    lua_pop(L, 1); /* the marker: one for every class */
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &marker_key);
  }
  lua_insert(L, -2); /* marker, metatable */
  push_accessors(L, getters, 1);
  lua_pushvalue(L, methods_idx);
  lua_pushvalue(L, -2);
  lua_pushvalue(L, -4);
  lua_pushvalue(L, -6);
  lua_pushcclosure(L, class_index, 4); /* methods, getters, metatable,
                                          marker */
  lua_setfield(L, -3, "__index");
  push_accessors(L, setters, 0);
  lua_pushvalue(L, -3);
  lua_pushvalue(L, -5);
  lua_pushcclosure(L, class_newindex, 4); /* getters, setters, metatable,
                                             marker */
  lua_setfield(L, -2, "__newindex");
  lua_pop(L, 2);
}

void *lnb_new(lua_State *L, size_t size, const char *tname) {
  void *p = lua_newuserdatauv(L, size, 1);
  luaL_setmetatable(L, tname);
  return p;
}

int lnb_push_listeners(lua_State *L, int idx, const char *name) {
  int t;
  if (push_user_value(L, idx, 0)) { /* the own fields, keeping _events */
    lua_pushliteral(L, "_events");
    t = lua_rawget(L, -2);
  } else {
    t = lua_type(L, -1);
  }
  if (t != LUA_TTABLE) { /* none yet */
    lua_pushnil(L);
    return LUA_TNIL;
  }
  return lua_getfield(L, -1, name); /* as emit() reads it */
}

lua_Integer lnb_opt_int(lua_State *L, int t, const char *k, lua_Integer def,
                        lua_Integer min, lua_Integer max) {
  lua_Integer v = def;
  if (lua_getfield(L, t, k) == LUA_TNUMBER) {
    lua_Number n = lua_tonumber(L, -1);
    if (lua_isinteger(L, -1))
      v = lua_tointeger(L, -1);
    else if (n == n) /* not NaN: a float in range converts safely */
      v = n <= (lua_Number)min ? min : n >= (lua_Number)max ? max
                                                            : (lua_Integer)n;
  }
  lua_pop(L, 1);
  return v < min ? min : v > max ? max : v;
}

int lnb_truthy(lua_State *L, int idx) {
  switch (lua_type(L, idx)) {
  case LUA_TNONE:
  case LUA_TNIL:
    return 0;
  case LUA_TBOOLEAN:
    return lua_toboolean(L, idx);
  case LUA_TNUMBER: {
    lua_Number n = lua_tonumber(L, idx);
    return n == n && n != 0;
  }
  case LUA_TSTRING:
    return lua_rawlen(L, idx) > 0;
  default:
    return 1;
  }
}

int lnb_opt_bool(lua_State *L, int t, const char *k) {
  int v;
  lua_getfield(L, t, k);
  v = lnb_truthy(L, -1);
  lua_pop(L, 1);
  return v;
}

const char *lnb_opt_string(lua_State *L, int t, const char *k, size_t *len) {
  const char *s = NULL;
  if (lua_getfield(L, t, k) == LUA_TSTRING)
    s = lua_tolstring(L, -1, len);
  lua_pop(L, 1); /* the string stays referenced by the table */
  return s;
}

/* ---- fields a script assigns over a getter -------------------------------
 * Node's plain fields that the runtime also sets (socket.timeout,
 * socket.server): what a script assigns is kept in the registry table at
 * key, with weak keys (few objects have one), and read before the getter;
 * the key itself, as a light userdata, stands for an assigned nil. */

int lnb_get_assigned(lua_State *L, const void *key) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, key) == LUA_TTABLE) {
    lua_pushvalue(L, 1);
    if (lua_rawget(L, -2) != LUA_TNIL)
      return lua_touserdata(L, -1) == key ? 0 : 1;
  }
  lua_pop(L, 1);
  return -1;
}

int lnb_set_assigned(lua_State *L, const void *key) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, key) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, key);
  }
  lua_pushvalue(L, 1);
  if (lua_isnil(L, 3))
    lua_pushlightuserdata(L, (void *)key);
  else
    lua_pushvalue(L, 3);
  lua_rawset(L, -3);
  lua_pop(L, 1);
  return 0;
}

void lnb_forget_assigned(lua_State *L, const void *key, int idx) {
  idx = lua_absindex(L, idx);
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, key) == LUA_TTABLE) {
    lua_pushvalue(L, idx);
    lua_pushnil(L);
    lua_rawset(L, -3);
  }
  lua_pop(L, 1);
}
