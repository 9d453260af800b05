/* The luanet host: runs a script (or -e or -p code, or standard input),
 * then the loop until nothing referenced is left, then exits with
 * process.exitCode. After lua.c: everything runs inside a protected
 * pmain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lualib.h>

#include "luanet.h"

#include "workers.h"

static const char usage[] =
    "usage: luanet [options] [script.lua [arguments...]]\n"
    "\n"
    "Runs script.lua, then its event loop until nothing is left to do.\n"
    "Without a script: the REPL on a terminal, else standard input.\n"
    "\n"
    "options:\n"
    "  -e, --eval CODE   run CODE as the script\n"
    "  -p, --print CODE  run CODE as -e does, then print its value (as node\n"
    "                    -p: a string as it is, else util.inspect); -pe CODE\n"
    "                    and -p -e CODE are the same\n"
    "  -i, --interactive start the REPL (after the script or CODE, if any)\n"
    "  --attach PATH     the REPL of a script that runs repl.listen(PATH)\n"
    "  --workers N       run the script (or CODE) in N processes, restarted\n"
    "                    when they die; each TCP listen shares its port\n"
    "  -v, --version     print the version and exit\n"
    "  -h, --help        print this help and exit\n"
    "  --                stop reading options\n";

typedef struct {
  const char *code;   /* -e or -p */
  int print;          /* -p: print the code's value at exit */
  const char *script; /* the script's path; NULL for -e or stdin */
  int first_arg;      /* argv index of the script's first argument */
  int interactive;    /* -i */
  int stdin_script;   /* "-": standard input is the script */
  const char *attach; /* --attach PATH: a script's REPL at PATH */
  const char *workers_arg; /* --workers N, or NULL */
  int workers;        /* processes to run (workers.c); 0: this one */
} options_t;

/* Returns 0, or an exit status for --help, --version or a bad option. */
static int parse(int argc, char **argv, options_t *o, int *status) {
  int i = 1;
  memset(o, 0, sizeof(*o));
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(usage, stdout);
      return *status = 0, 1;
    } else if (strcmp(a, "-v") == 0 || strcmp(a, "--version") == 0) {
      printf("luanet %s (%s, libuv %s)\n", LUANET_VERSION, LUA_RELEASE,
             uv_version_string());
      return *status = 0, 1;
    } else if ((strcmp(a, "-p") == 0 || strcmp(a, "--print") == 0) &&
               (i + 1 >= argc || argv[i + 1][0] == '-')) {
      o->print = 1; /* node -p: the code may come with -e, or be none */
    } else if (strcmp(a, "-e") == 0 || strcmp(a, "--eval") == 0 ||
               strcmp(a, "-p") == 0 || strcmp(a, "--print") == 0 ||
               strcmp(a, "-pe") == 0) {
      if (strcmp(a, "-e") != 0 && strcmp(a, "--eval") != 0)
        o->print = 1; /* -p CODE, --print CODE, -pe CODE */
      if (++i >= argc) {
        fprintf(stderr, "luanet: %s requires an argument\n%s", a, usage);
        return *status = 9, 1;
      }
      o->code = argv[i];
    } else if (strcmp(a, "-i") == 0 || strcmp(a, "--interactive") == 0) {
      o->interactive = 1;
    } else if (strcmp(a, "--attach") == 0) {
      if (++i >= argc) {
        fprintf(stderr, "luanet: %s requires an argument\n%s", a, usage);
        return *status = 9, 1;
      }
      o->attach = argv[i];
      o->interactive = 1; /* the REPL, whose lines run at PATH */
    } else if (strcmp(a, "--workers") == 0) {
      if (++i >= argc) {
        fprintf(stderr, "luanet: %s requires an argument\n%s", a, usage);
        return *status = 9, 1;
      }
      o->workers_arg = argv[i];
    } else {
      fprintf(stderr, "luanet: bad option: %s\n%s", a, usage);
      return *status = 9, 1;
    }
  }
  if (o->print && o->code == NULL)
    o->code = ""; /* node -p alone prints undefined */
  if (o->code == NULL && i < argc && strcmp(argv[i], "-") != 0)
    o->script = argv[i++];
  else if (o->code == NULL && i < argc)
    i++, o->stdin_script = 1; /* "-" */
  o->first_arg = i;
  o->workers = lnb_workers_count(o->workers_arg, o->interactive ||
                                 (o->code == NULL && o->script == NULL));
  return o->workers < 0 ? (*status = 9, 1) : 0;
}

/* process.argv: the executable, the script (absolute), the arguments. */
static void push_argv(lua_State *L, char **argv, int argc, options_t *o) {
  char exe[4096], path[4096];
  size_t len = sizeof(exe);
  int n = 1;
  lua_createtable(L, argc, 0);
  lua_pushstring(L, uv_exepath(exe, &len) == 0 ? exe : argv[0]);
  lua_rawseti(L, -2, n++);
  if (o->script != NULL) {
    if (o->script[0] != '/' && getcwd(path, sizeof(path)) != NULL)
      lua_pushfstring(L, "%s/%s", path, o->script);
    else
      lua_pushstring(L, o->script);
    lua_rawseti(L, -2, n++);
  }
  for (int i = o->first_arg; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, n++);
  }
}

/* Calls host[name] with the nargs values on top; leaves nresults. */
static void host_call(lua_State *L, const char *name, int nargs, int nresults) {
  lua_getfield(L, LUA_REGISTRYINDEX, "luanet.host");
  lua_getfield(L, -1, name);
  lua_remove(L, -2);
  lua_insert(L, -nargs - 1);
  lua_call(L, nargs, nresults);
}

/* The end after an uncaught error (on top of L): process._fatal() (which
 * emits 'exit' as Node does), then the error printed. Returns 1 with the
 * exit status pushed. */
static int fatal_exit(lnb_t *b, lua_State *L) {
  int status = 1;
  lua_getfield(L, LUA_REGISTRYINDEX, LNB_TRACE); /* 'exit' may replace it */
  lua_getglobal(L, "process");
  lua_getfield(L, -1, "_fatal");
  lua_remove(L, -2);
  if (lua_pcall(L, 0, 1, 0) == LUA_OK && lua_isinteger(L, -1))
    status = (int)lua_tointeger(L, -1);
  lua_pop(L, 1);
  lua_setfield(L, LUA_REGISTRYINDEX, LNB_TRACE);
  lnb_report(b, L);
  lua_pushinteger(L, status);
  return 1;
}

/* Under the compile error on top of L, the line errors.keywordHint adds
 * for a slip of a Node user (socket:end()), if it has one for it. */
static void print_hint(lua_State *L, const options_t *o) {
  lua_getfield(L, LUA_REGISTRYINDEX, "luanet.errors");
  lua_getfield(L, -1, "keywordHint");
  lua_remove(L, -2);
  lua_pushvalue(L, -2);
  if (o->script != NULL)
    lua_pushfstring(L, "@%s", o->script); /* the chunk's source */
  else if (o->code != NULL)
    lua_pushstring(L, o->code);
  else
    lua_pushnil(L); /* standard input, read already */
  if (lua_pcall(L, 2, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TSTRING)
    fprintf(stderr, "%s\n", lua_tostring(L, -1));
  lua_pop(L, 1);
}

/* lua.c's LUA_INIT_5_4, else LUA_INIT: "@file" runs that file, anything
 * else is run as code, before the script (and after luanet's globals).
 * Returns a Lua status, the error on top of L if it is not LUA_OK. */
static int run_init(lua_State *L) {
  const char *name = "=LUA_INIT_5_4", *init = getenv(name + 1);
  int status;
  if (init == NULL) {
    name = "=LUA_INIT";
    init = getenv(name + 1);
  }
  if (init == NULL)
    return LUA_OK;
  status = init[0] == '@' ? luaL_loadfile(L, init + 1)
                          : luaL_loadbuffer(L, init, strlen(init), name);
  if (status == LUA_OK)
    status = lua_pcall(L, 0, 0, 0);
  return status;
}

static int pmain(lua_State *L) {
  int argc = (int)lua_tointeger(L, 1);
  char **argv = lua_touserdata(L, 2);
  options_t o;
  int status, nargs = 0, fatal, repl, worker_id, workers;
  lnb_t *b;

  if (parse(argc, argv, &o, &status)) {
    lua_pushinteger(L, status);
    return 1;
  }
  if (!lnb_worker_take(&worker_id, &workers)) {
    worker_id = -1;
    if (o.workers > 0) { /* the parent of the workers: no Lua here */
      lua_pushinteger(L, lnb_workers_main(o.workers, argc, argv));
      return 1;
    }
  }
  /* Lua's io.write goes through core.write (lua/host.lua); anything else
   * written with C's stdio must not wait in a buffer either. */
  setvbuf(stdout, NULL, _IONBF, 0);
  luaL_openlibs(L);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_luanet);
  lua_setfield(L, -2, "luanet");
  lua_pushcfunction(L, luaopen_luanet_handles); /* net.handles() */
  lua_setfield(L, -2, "luanet.handles");
  lua_pop(L, 1);
  luaL_requiref(L, "luanet", luaopen_luanet, 0);
  lua_pop(L, 1);
  b = lnb_get(L);

  lua_getglobal(L, "require");
  lua_pushliteral(L, "host");
  lua_call(L, 1, 1);
  lua_setfield(L, LUA_REGISTRYINDEX, "luanet.host");
  push_argv(L, argv, argc, &o);
  if (o.script != NULL)
    lua_pushstring(L, o.script);
  else
    lua_pushnil(L);
  lua_pushboolean(L, o.code != NULL);
  host_call(L, "install", 3, 0);
  if (worker_id >= 0)
    lnb_worker_open(L, b, worker_id, workers);
  if (o.attach != NULL) { /* read by lnb_repl_start (repl.c) */
    lua_pushstring(L, o.attach);
    lua_setfield(L, LUA_REGISTRYINDEX, "luanet.attach");
  }
  lua_gc(L, LUA_GCRESTART); /* stopped by main while the state was built */
  if ((status = run_init(L)) != LUA_OK) {
    fprintf(stderr, "luanet: %s\n", lua_tostring(L, -1));
    lua_pushinteger(L, 1);
    return 1;
  }

  /* With no script on a terminal, or with -i: the REPL, after the script
   * or code if there is one. */
  repl = o.interactive ||
         (o.code == NULL && o.script == NULL && !o.stdin_script &&
          isatty(STDIN_FILENO));
  if (o.print) {
    lua_pushstring(L, o.code);
    host_call(L, "loadPrint", 1, 2); /* the function, or nil and the error */
    status = lua_isnil(L, -2) ? LUA_ERRSYNTAX : LUA_OK;
    lua_remove(L, status == LUA_OK ? -1 : -2);
  } else if (o.code != NULL)
    status = luaL_loadbuffer(L, o.code, strlen(o.code), "=[command line]");
  else if (o.script != NULL || !repl)
    status = luaL_loadfile(L, o.script); /* NULL: standard input */
  else
    status = luaL_loadstring(L, "");
  if (status != LUA_OK) {
    fprintf(stderr, "luanet: %s\n", lua_tostring(L, -1));
    print_hint(L, &o);
    lua_pushinteger(L, 1);
    return 1;
  }
  for (int i = o.first_arg; i < argc; i++, nargs++)
    lua_pushstring(L, argv[i]);

  /* The script runs as a task, so that it may wait (lua/task.lua's main:
   * an error before its first wait is raised here, as ever). */
  lua_getglobal(L, "require");
  lua_pushliteral(L, "task");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "main");
  lua_remove(L, -2);
  lua_insert(L, -nargs - 2); /* under the chunk */
  if (lnb_call(b, nargs + 1) && b->fatal) {
    b->fatal = 0;
    lua_getfield(L, LUA_REGISTRYINDEX, LNB_FATAL);
    fatal = 1;
  } else {
    lnb_worker_up(); /* the parent may start the other workers */
    if (repl && (status = lnb_repl_start(b, L)) != 0)
      fprintf(stderr, "luanet: cannot start the REPL: %s\n",
              uv_strerror(status));
    fatal = lnb_run(b, L); /* pushes the error if there is one */
  }
  if (!fatal) {
    /* 'exit', through the gate: what a listener raises is uncaught
     * (host.emitExit: none if process was never loaded). */
    lua_getfield(L, LUA_REGISTRYINDEX, "luanet.host");
    lua_getfield(L, -1, "emitExit");
    lua_remove(L, -2);
    if (lnb_call(b, 0) && b->fatal) {
      b->fatal = 0;
      lua_getfield(L, LUA_REGISTRYINDEX, LNB_FATAL);
      fatal = 1;
    }
  }
  if (fatal)
    return fatal_exit(b, L);
  /* Emitted now: this call only returns process.exitCode, or 0. */
  lua_getfield(L, LUA_REGISTRYINDEX, "luanet.host");
  lua_getfield(L, -1, "emitExit");
  if (lua_pcall(L, 0, 1, 0) != LUA_OK || !lua_isinteger(L, -1))
    lua_pushinteger(L, 0);
  return 1;
}

int main(int argc, char **argv) {
  lua_State *L = luaL_newstate();
  int status;

  if (L == NULL) {
    fputs("luanet: cannot create a Lua state: not enough memory\n", stderr);
    return 1;
  }
  /* A server makes and drops a socket (a userdata with a finaliser) per
   * connection: Lua's incremental collector, finalising a few at a step,
   * falls behind them and memory grows with every connection; the
   * generational one keeps it flat (scripts/stress/churn) and costs a
   * little less per message (callgrind, scripts/bench/echo.lua). */
  lua_gc(L, LUA_GCGEN, 0, 0);
  /* As lua.c: no collection while the state is built (pmain restarts
   * the collector before the script): at start, nothing made is garbage
   * yet, and the steps cost an empty script 65,000 instructions, 4 %
   * (scripts/bench/RESULTS.md, Start-up). */
  lua_gc(L, LUA_GCSTOP);
  lua_pushcfunction(L, pmain);
  lua_pushinteger(L, argc);
  lua_pushlightuserdata(L, argv);
  if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
    fprintf(stderr, "luanet: %s\n", luaL_tolstring(L, -1, NULL));
    status = 1;
  } else {
    status = (int)lua_tointeger(L, -1);
  }
  fflush(stdout);
  lua_close(L);
  return status;
}
