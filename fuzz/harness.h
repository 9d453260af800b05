/* What the fuzz targets that run Lua share: one Lua state per process with
 * luanet loaded as the host loads it, an instruction and memory budget per
 * input, a sandbox for targets that evaluate fuzzed code, and coverage of
 * Lua lines fed to libFuzzer (its own coverage sees only C). */
#ifndef FUZZ_HARNESS_H
#define FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include <lauxlib.h>
#include <lua.h>

/* Aborts with a message (libFuzzer records the input as a crash). */
#define FZ_ASSERT(cond, ...)                                                   \
  do {                                                                         \
    if (!(cond))                                                               \
      fz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);                         \
  } while (0)

void fz_fail(const char *file, int line, const char *cond, const char *fmt,
             ...) __attribute__((noreturn, format(printf, 4, 5)));

/* The state, made on the first call: Lua's libraries, luanet loaded and
 * its globals installed (console, process, timers), standard output sent
 * to /dev/null (set FUZZ_STDOUT=1 to keep it). The luanet module table is
 * the global `luanet`; fuzzAllowed(tag) is allow.h's fz_allowed,
 * fuzzIsLimit(err) is fz_is_limit, and for the targets that feed text in
 * pieces:
 *  - fuzzPieces(data) -> text, pieces: data but its byte 0, and that text
 *    cut as fz_cut cuts it, seeded with byte 0 (a list of strings);
 *  - fuzzCheckLines(seen, expect, closed) raises 'line I is X, not Y' or
 *    'N lines seen of M' unless the list seen is the list expect, or (when
 *    closed is true) the start of it. */
lua_State *fz_lua(void);

/* Starts an input: resets the instruction budget (instructions, counted
 * in thousands by the hook; -1 for none) and the memory budget (bytes above
 * what the state holds now). Past either, or 10,000 calls deep, the running
 * Lua code raises an error that fz_is_limit (in Lua, fuzzIsLimit(err))
 * recognises. */
void fz_begin(long instructions, size_t memory);

/* Loads the Lua source code (a chunk returning a function) once per process
 * and leaves that function on the stack; the chunk name is name. */
void fz_function(lua_State *L, const char *name, const char *code);

/* lua_pcall with a traceback. Returns the status; the error (with its
 * traceback appended when it is a string) or the results on the stack. */
int fz_pcall(lua_State *L, int nargs, int nresults);

/* Whether the error on top of the stack is the end of a budget, Lua's
 * "not enough memory" or its "stack overflow" (not a finding). */
int fz_is_limit(lua_State *L);

/* For targets that evaluate fuzzed code: removes what could leave the
 * process, change files, start processes, wait for ever (standard input,
 * pipes, finalisers, which run without hooks) or undo the hooks, and
 * remembers the globals for fz_restore. The network is harness.c's:
 * loopback to fz_connect_port and Unix sockets only. */
void fz_sandbox(lua_State *L);

/* Puts the globals back as fz_sandbox found them. */
void fz_restore(lua_State *L);

/* Runs luanet's loop until nothing is left, after closing every socket,
 * server and timer when close_all is set. Returns 1 if it raised (an
 * uncaught error; shown with FUZZ_VERBOSE=1), else 0. */
int fz_run_loop(lua_State *L, int close_all);

/* The one loopback TCP port connect() may reach (0: none); Unix sockets
 * are always allowed. Names other than "localhost" never resolve. */
extern int fz_connect_port;

/* The length of the next piece of an input cut by a seed: left (all that
 * is left) while *seed is 0, else 1 to 17 bytes (at most left) drawn from
 * *seed, which advances. A seed taken from the input's first byte makes
 * the fuzzer choose where text arriving in pieces is cut. */
size_t fz_cut(uint32_t *seed, size_t left);

/* Runs one input of a target whose Lua code (named name) is
 * function(gen, data): calls it with fz_generator's gen and the input as a
 * string, within 3,000,000 instructions and 256 MiB; a raise that is not
 * the end of a budget is a finding. */
void fz_check_values(const char *name, const char *code, const uint8_t *data,
                     size_t size);

/* Pushes gen(data) -> values (a table with n), plain: up to 8 Lua values
 * (nil, booleans, integers, floats with NaN, infinities and -0, strings
 * with any bytes, nested tables, cycles, functions, error tables, tables
 * with __name or __tostring) read from the bytes data. plain says util.inspect
 * at depth math.huge must write them as loadable, equal source. */
void fz_generator(lua_State *L);
#endif
