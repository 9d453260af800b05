/* What the bindings' files share: the per-state record, the gate through
 * which every call from C into Lua goes, and the class helpers. */
#ifndef LNB_LUANET_H
#define LNB_LUANET_H

#include <lauxlib.h>
#include <lua.h>

#include "ln.h"

/* One per lua_State that loaded luanet: the loop and what the bindings
 * keep beside it. A full userdata in the registry, finalised last. */
typedef struct lnb_s {
  ln_loop_t loop;
  lua_State *L;        /* where callbacks run: the thread inside run() */
  int emit_ref;        /* events' emit(self, name, ...) */
  int uncaught_ref;    /* process._uncaught(err) -> handled */
  int core_ref;        /* the table of primitives given to lua/ modules */
  int fatal;           /* an uncaught error waits in the registry */
  int keep_going;      /* the REPL: report uncaught errors, do not stop */
  int running;         /* inside lnb_run: the loop must not be run again */
  int closing;         /* lua_close is closing the loop: ticks that call
                          into Lua run no Lua (the REPL's, say) */
  /* setImmediate (ltimers.c): a FIFO run from the check phase. */
  uv_check_t check;
  uv_idle_t idle;              /* started while a ref'd one waits */
  struct lnb_immediate_s *immediates, *immediates_tail;
  int immediates_refed;
  /* A timer or immediate callback raised and a listener took the error:
   * its scope stays open, so the ticks it queued run after the next
   * callback of the phase, as Node runs them (ltimers.c). */
  int carry;
  /* The signals process listens to (lprocess.c), a list. */
  struct lnb_signal_s *signals;
  /* The host's REPL (repl.c) while it reads: lnb_write calls around_write
   * before (done 0) and after (done 1) every write to standard output or
   * error, so that the prompt moves below what was written. */
  struct lnb_repl_s *repl;
  void (*around_write)(struct lnb_repl_s *repl, int done, int line_start);
  /* The accepted Socket whose 'close' is being emitted, and its Server:
   * socket.server until the end of that emit (lserver.c). */
  const ln_socket_t *closing_socket;
  ln_server_t *closing_server;
} lnb_t;

/* Registry keys. */
#define LNB_STATE "luanet.state"
#define LNB_ERROR_MT "luanet.Error"
#define LNB_FATAL "luanet.fatal"
#define LNB_TRACE "luanet.traceback"

/* The state of L (upvalue 1 of every bindings function). */
#define lnb_state(L) ((lnb_t *)lua_touserdata((L), lua_upvalueindex(1)))

/* Gets the state from the registry, for code without the upvalue. */
lnb_t *lnb_get(lua_State *L);

/* --- gate.c -------------------------------------------------------------- */

/* Calls the function below the nargs values on top of b->L's stack,
 * protected, with a traceback handler. An error is uncaught: it goes to
 * process 'uncaughtException' listeners, or becomes the state's fatal
 * error and stops the loop. Leaves nothing on the stack. Returns 0 on
 * success, 1 on error. */
int lnb_call(lnb_t *b, int nargs);

/* The message handler: records the traceback of err (and err.stack for a
 * table) and returns err unchanged. */
int lnb_msgh(lua_State *L);

/* Handles an error value on top of L's stack as uncaught (pops it). */
void lnb_uncaught(lnb_t *b, lua_State *L);

/* Prints the uncaught error on top of L to standard error as the host
 * shows one (host.describe: "Uncaught Error: ...", the traceback), and
 * pops it. The host only: it needs the registry's luanet.host. */
void lnb_report(lnb_t *b, lua_State *L);

/* Runs f through the gate, as a Lua C function with ud (a light userdata)
 * at index 1. Everything a notification does in Lua, lookups and
 * allocations included, runs in such an f, so that no error can unwind
 * through libuv: an error is uncaught, as lnb_call says. f calls listeners
 * with lua_call. Returns 0, or 1 if f raised (or the loop is stopping on
 * an uncaught error, when f does not run). */
int lnb_protect(lnb_t *b, lua_CFunction f, void *ud);

/* lnb_protect in two halves, for an f that takes arguments after ud:
 * begin pushes the gate's handler, f and ud on b->L; push the nargs
 * arguments; end makes the call and leaves the stack as it was before
 * begin. */
void lnb_protect_begin(lnb_t *b, lua_CFunction f, void *ud);
int lnb_protect_end(lnb_t *b, int nargs);

/* Pushes emit, the object at idx of L, and the event name: the start of an
 * emit. Push the arguments, then lua_call(L, 2 + nargs, 0) (inside a
 * function run by lnb_protect). */
void lnb_emit_begin(lnb_t *b, lua_State *L, int idx, const char *event);

/* Runs the loop until nothing referenced is left, or a fatal error.
 * Returns 0, or 1 with the fatal error pushed on L. */
int lnb_run(lnb_t *b, lua_State *L);

/* process.nextTick(fn, ...) from C: queues the function and nargs values
 * on top of L's stack (pops them). */
void lnb_next_tick(lnb_t *b, lua_State *L, int nargs);

/* Frees the process.nextTick calls still queued when the loop closes
 * (after process.exit() or an uncaught error): none of them will run. */
void lnb_drop_ticks(lnb_t *b);

/* --- lerror.c ------------------------------------------------------------ */

/* Pushes a Node-shaped error table for err (a libuv or core code) with the
 * details of e (syscall, address, port, host; any may be absent). */
void lnb_push_error(lua_State *L, int err, const ln_event_t *e);

/* Pushes Node's name for the kind of descriptor fd is ("FILE", "TTY",
 * "UNKNOWN"...), as ERR_INVALID_FD_TYPE reports it. */
void lnb_push_fd_type(lua_State *L, int fd);

/* Raises the error made by the Lua function errors[name](...) with the
 * nargs arguments on top of the stack. Does not return. */
int lnb_raise(lua_State *L, const char *name, int nargs);

/* --- classes ------------------------------------------------------------- */

/* Creates the metatable of a class: __index and __newindex that look in
 * methods (a table left on the stack at methods_idx), then in getters
 * (luaL_Reg functions taking the object), then in the object's own fields.
 * Registers it as tname. Pops nothing. */
void lnb_class(lua_State *L, const char *tname, int methods_idx,
               const luaL_Reg *getters, const luaL_Reg *setters);

/* Pushes a new userdata of size bytes with the one user value a class
 * uses (its _events table, or the table of its own fields that keeps
 * _events) and the metatable tname. */
void *lnb_new(lua_State *L, size_t size, const char *tname);

/* Pushes the listeners of event name of the class object at idx, as
 * lua/events.lua's emit() finds them in _events (nil, a function, or a
 * table; _events[name] may call a metamethod, so the caller is
 * protected), with up to two values it read them from below them (the
 * caller resets its stack); returns the listeners' type. For the
 * emit_event fast paths of the bindings. */
int lnb_push_listeners(lua_State *L, int idx, const char *name);

/* Options tables (lua/net.lua has checked their types): field k of the
 * table at t. A number is truncated and clamped to [min, max]; NaN, a
 * missing field or another type is def. */
lua_Integer lnb_opt_int(lua_State *L, int t, const char *k, lua_Integer def,
                        lua_Integer min, lua_Integer max);
/* A field a script assigns over a getter (lclass.c): key is the
 * registry's key of the class field's table. In a getter or setter, the
 * object at 1. lnb_get_assigned pushes what was assigned and returns 1,
 * returns 0 for an assigned nil, -1 (pushing nothing) when nothing was;
 * lnb_set_assigned keeps the value at 3 (a setter's whole work; raises
 * Lua's memory error); lnb_forget_assigned drops what the object at idx
 * was assigned, so the getter shows again. */
int lnb_get_assigned(lua_State *L, const void *key);
int lnb_set_assigned(lua_State *L, const void *key);
void lnb_forget_assigned(lua_State *L, const void *key, int idx);
/* Whether field k is true as JavaScript's Boolean(x) has it (lnb_truthy). */
int lnb_opt_bool(lua_State *L, int t, const char *k);
/* JavaScript's truthiness of the value at idx, as Node's Boolean(x) and
 * !!x: false for none, nil, false, 0, NaN and ''; true otherwise. */
int lnb_truthy(lua_State *L, int idx);
/* A string field (len may be NULL), or NULL; it stays valid while the
 * table holds it. */
const char *lnb_opt_string(lua_State *L, int t, const char *k, size_t *len);

/* lhandles.c */
/* luanet._handles() -> how many sockets, servers, started timers and
 * other handles are open (upvalue 1: the lnb_t). For tests that check
 * nothing is left behind. */
int lnb_count_handles(lua_State *L);
/* require('luanet.handles') -> { refs } (lua/handles.lua's). */
int luaopen_luanet_handles(lua_State *L);

/* lsocket.c */
void lnb_open_socket(lua_State *L, lnb_t *b);
void lnb_socket_push(lua_State *L, ln_socket_t *s);
void lnb_socket_event(ln_socket_t *s, ln_socket_event_t ev,
                      const ln_event_t *e);
/* The core's socket_new hook: a Socket for a connection the server s
 * accepts, held by the registry; NULL when out of memory. */
ln_socket_t *lnb_server_socket_new(ln_server_t *s);

/* lserver.c */
void lnb_open_server(lua_State *L, lnb_t *b);
/* socket.server (lserver.c says how it is found): */
/* A Socket was made for a connection to s: s stays held until its CLOSE
 * (lnb_server_closed), as its socket.server. */
void lnb_server_adopt(ln_server_t *s);
/* After the 'close' of a Socket of s: s lets go of it (and may go). */
void lnb_server_closed(lnb_t *b, ln_server_t *s);
/* socket.server: getter and setter of the Socket at 1 (value at 3). */
int lnb_socket_get_server(lua_State *L);
int lnb_socket_set_server(lua_State *L);
void lnb_server_event(ln_server_t *s, ln_server_event_t ev,
                      const ln_event_t *e);

/* lblocklist.c: net.BlockList and net.SocketAddress (their argument checks
 * are in lua/blocklist.lua). lnb_open_blocklist adds the classes and their
 * primitives to the core table on top of L: BlockList, newBlockList,
 * isBlockList, parseBlockListRule, SocketAddress, newSocketAddress,
 * parseSocketAddress, isSocketAddress. lnb_toblocklist gives the list of
 * the BlockList at idx of L, or NULL when the value there is none; not
 * retained (the core retains what it keeps). */
void lnb_open_blocklist(lua_State *L, lnb_t *b);
ln_blocklist_t *lnb_toblocklist(lua_State *L, int idx);

/* ltimers.c, lprocess.c: add their functions to the core table on top. */
void lnb_open_timers(lua_State *L, lnb_t *b);
void lnb_open_process(lua_State *L, lnb_t *b);
/* lprocess.c: adds core.execPath, errno and signals to the core table on
 * top (made on first use: an empty script never reads them). */
void lnb_open_process_tables(lua_State *L);

/* Writes len bytes of s to fd (1 or 2) at once, whole, as Node writes to
 * files, pipes and terminals; errors (EPIPE) are ignored, as Node's. */
void lnb_write(lnb_t *b, int fd, const char *s, size_t len);

/* repl.c, in the host only: starts the REPL on standard input (libedit on
 * a terminal, plain lines otherwise); the loop then runs it. Returns 0 or
 * a libuv error. */
int lnb_repl_start(lnb_t *b, lua_State *L);

/* luanet.c */
int luaopen_luanet(lua_State *L);

#endif
