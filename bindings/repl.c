/* The REPL of the luanet host: `luanet` on a terminal, or `luanet -i`.
 * lua/repl.lua evaluates; this file reads. On a terminal, libedit's
 * readline callback interface takes a key at a time from a libuv poll of
 * standard input, so the loop never stops at the prompt: servers accept,
 * listeners run and timers fire while a line is being typed. What the
 * script writes meanwhile (lnb_write) goes above the prompt, which is then
 * drawn again with the line as it was. Without a terminal, lines are fed
 * to the session as they arrive and it writes its own prompts. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <editline/readline.h>

#include "luanet.h"

typedef struct lnb_repl_s lnb_repl_t;

struct lnb_repl_s {
  lnb_t *b;
  int session;      /* registry ref of the REPLServer */
  int tty;          /* reading a terminal through libedit */
  int shown;        /* the prompt and the line are on the screen */
  int interrupted;  /* the last key was a Ctrl-C on an empty line */
  int done;         /* .exit, Ctrl-D, or the end of the input */
  int line_read;    /* libedit gave a line: its handler is to be reset */
  int typed;        /* keys were read since the prompt was drawn (this
                       libedit does not keep rl_end up to date) */
  int polling;      /* poll is open */
  int refs;         /* open handles and requests: freed at 0 */
  uv_poll_t poll;   /* standard input, when it can be polled */
  uv_signal_t sigint; /* Ctrl-C, on a terminal */
  uv_fs_t req;      /* standard input, when it is a file */
  char *pending;    /* input not yet fed: pending[pending_start..len) */
  size_t pending_start, pending_len, pending_cap;
  size_t pending_scanned; /* pending[pending_start..scanned) has no \n */
  char history[4096]; /* the history file, or "" for none */
  char prompt[256];
  char buf[65536];  /* what one read of standard input gives */
};

/* libedit's callbacks take no user data: the one REPL of the process. */
static lnb_repl_t *current;

/* The terminal as it was before the REPL, put back when it ends. */
static struct termios saved_terminal;

/* Calls session:method(...) with the nargs values on top of b->L, and
 * leaves nresults values (nils when it raised, which is uncaught). */
static void session_call(lnb_repl_t *r, const char *method, int nargs,
                         int nresults) {
  lua_State *L = r->b->L;
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->session);
  lua_getfield(L, -1, method);
  lua_insert(L, -nargs - 2); /* method, session, args */
  lua_insert(L, -nargs - 1);
  lua_pushcfunction(L, lnb_msgh);
  lua_insert(L, -nargs - 3);
  if (lua_pcall(L, nargs + 1, nresults, -nargs - 3) != LUA_OK) {
    lnb_uncaught(r->b, L);
    lua_pop(L, 1);
    for (int i = 0; i < nresults; i++)
      lua_pushnil(L);
    return;
  }
  lua_remove(L, -nresults - 1);
}

static int session_closed(lnb_repl_t *r) {
  lua_State *L = r->b->L;
  int closed;
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->session);
  lua_getfield(L, -1, "closed");
  closed = lua_toboolean(L, -1);
  lua_pop(L, 2);
  return closed;
}

/* Copies the prompt for the next line (`> `, `... `) into r->prompt. */
static void update_prompt(lnb_repl_t *r) {
  lua_State *L = r->b->L;
  const char *p;
  session_call(r, "getPrompt", 0, 1);
  p = lua_tostring(L, -1);
  snprintf(r->prompt, sizeof(r->prompt), "%s", p != NULL ? p : "> ");
  lua_pop(L, 1);
  if (r->tty)
    rl_set_prompt(r->prompt);
}

/* ---- output above the prompt -------------------------------------------- */

static void hide(lnb_repl_t *r) {
  struct winsize ws;
  int rows = 0;
  if (r == NULL || !r->tty || !r->shown)
    return;
  /* Back to where the prompt starts, then clear to the end of the screen:
   * a long line wraps over several rows. */
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    rows = ((int)strlen(r->prompt) + rl_point) / ws.ws_col;
  if (rows > 0)
    fprintf(rl_outstream, "\033[%dA", rows);
  fputs("\r\033[J", rl_outstream);
  fflush(rl_outstream);
  r->shown = 0;
}

static void show(lnb_repl_t *r, int line_start) {
  if (r == NULL || !r->tty || r->shown || r->done || r->line_read)
    return; /* (while a line is evaluated, the prompt waits for its end) */
  if (!line_start) /* output that did not end its line: the prompt below */
    fputs("\n", rl_outstream);
  rl_forced_update_display();
  r->shown = 1;
}

static void around_write(lnb_repl_t *r, int done, int line_start) {
  if (done)
    show(r, line_start);
  else
    hide(r);
}

/* ---- the end ---------------------------------------------------------------- */

/* One of r's handles or requests is done; the last one frees r. */
static void release(lnb_repl_t *r) {
  if (--r->refs > 0)
    return;
  luaL_unref(r->b->L, LUA_REGISTRYINDEX, r->session);
  free(r->pending);
  free(r);
}

static lnb_repl_t *owner(uv_handle_t *handle) {
  size_t offset = handle->type == UV_POLL ? offsetof(lnb_repl_t, poll)
                                          : offsetof(lnb_repl_t, sigint);
  return (lnb_repl_t *)((char *)handle - offset);
}

static void on_closed(uv_handle_t *handle) {
  release(owner(handle));
}

static void stop(lnb_repl_t *r, int hard);

/* The loop's closer, at the state's end: the REPL stops. */
static void closer(uv_handle_t *handle) {
  stop(owner(handle), 0);
}
static const ln_close_fn close_fn = closer;

/* Puts the terminal back as it was, whatever way the process ends. */
static void restore_terminal(void) {
  if (current != NULL) {
    rl_callback_handler_remove();
    tcsetattr(STDIN_FILENO, TCSANOW, &saved_terminal);
    current = NULL;
  }
}

/* Stops reading. hard: the session was left (.exit, Ctrl-D, Ctrl-C
 * twice), and the process ends now, as Node's REPL exits; otherwise (the
 * input ended) the loop goes on until nothing is left. */
static void stop(lnb_repl_t *r, int hard) {
  if (r->done)
    return;
  r->done = 1;
  r->b->repl = NULL;
  r->b->keep_going = 0;
  if (r->tty)
    restore_terminal();
  if (r->polling)
    uv_close((uv_handle_t *)&r->poll, on_closed);
  if (r->tty)
    uv_close((uv_handle_t *)&r->sigint, on_closed);
  if (hard)
    ln_loop_stop(&r->b->loop);
}

/* ---- a terminal, through libedit ---------------------------------------- */

static void save_history(lnb_repl_t *r, const char *line) {
  if (r->history[0] == '\0' || line[0] == '\0')
    return;
  add_history(line);
  write_history(r->history);
}

/* libedit hands a line over in the terminal's cooked mode, where keys
 * typed ahead while the line is evaluated would be echoed where the
 * prompt is about to be drawn; they wait unechoed for libedit instead. */
static void quiet_terminal(void) {
  struct termios t;
  if (tcgetattr(STDIN_FILENO, &t) == 0 && (t.c_lflag & ECHO)) {
    t.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(STDIN_FILENO, TCSANOW, &t);
  }
}

/* libedit's line handler: line is a whole line (ours to free), or NULL
 * for Ctrl-D on an empty line. */
static void on_line(char *line) {
  lnb_repl_t *r = current;
  lua_State *L;
  if (r == NULL) {
    free(line);
    return;
  }
  L = r->b->L;
  /* This libedit leaves its line state half reset after a line in
   * callback mode; removing the handler here and installing it again
   * after rl_callback_read_char returns starts the next line cleanly. */
  rl_callback_handler_remove();
  quiet_terminal();
  r->line_read = 1;
  r->shown = 0;
  r->interrupted = 0;
  if (line == NULL) {
    int editing;
    fputs("\n", rl_outstream);
    fflush(rl_outstream);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->session);
    editing = lua_getfield(L, -1, "editor") != LUA_TNIL;
    lua_pop(L, 2);
    if (!editing) {
      stop(r, 1);
      return;
    }
    session_call(r, "_finishEditor", 0, 0);
  } else {
    save_history(r, line);
    lua_pushstring(L, line);
    free(line);
    session_call(r, "_line", 1, 0);
  }
  if (session_closed(r)) {
    stop(r, 1);
    return;
  }
  update_prompt(r);
}

static void on_key(uv_poll_t *poll, int status, int events) {
  lnb_repl_t *r = owner((uv_handle_t *)poll);
  (void)events;
  if (status < 0) {
    stop(r, 0);
    return;
  }
  ln_loop_enter(&r->b->loop);
  r->typed = 1;
  rl_callback_read_char();
  if (r->line_read && !r->done) {
    r->line_read = 0;
    r->typed = 0;
    rl_callback_handler_install(r->prompt, on_line); /* draws the prompt */
    r->shown = 1;
  }
  ln_loop_leave(&r->b->loop);
}

/* Ctrl-C: drops the line being typed, or the unfinished chunk; a second
 * one on an empty line leaves, as in Node. */
static void on_sigint(uv_signal_t *handle, int signum) {
  lnb_repl_t *r = owner((uv_handle_t *)handle);
  lua_State *L = r->b->L;
  int had = r->typed;
  (void)signum;
  r->typed = 0;
  session_call(r, "_interrupt", 0, 1);
  had = had || lua_toboolean(L, -1);
  lua_pop(L, 1);
  fputs("\n", rl_outstream);
  if (!had && r->interrupted) {
    stop(r, 1);
    return;
  }
  r->interrupted = !had;
  if (!had)
    fputs("(To exit, press Ctrl+C again or Ctrl+D or type .exit)\n",
          rl_outstream);
  /* A new handler starts an empty line (this libedit's rl_replace_line
   * cannot empty one) and draws the prompt. */
  rl_callback_handler_remove();
  update_prompt(r);
  rl_callback_handler_install(r->prompt, on_line);
  r->shown = 1;
}

/* libedit's completer: the session's completions of the word before the
 * cursor (`net.cr` gives net.createConnection and net.createServer). */
static char **completions;
static int completion_count, completion_next;

static char *next_completion(const char *text, int state) {
  (void)text;
  if (state == 0)
    completion_next = 0;
  if (completion_next < completion_count)
    return strdup(completions[completion_next++]);
  return NULL;
}

static void free_completions(void) {
  for (int i = 0; i < completion_count; i++)
    free(completions[i]);
  free(completions);
  completions = NULL;
  completion_count = 0;
}

static char **complete(const char *text, int start, int end) {
  lnb_repl_t *r = current;
  lua_State *L;
  int n;
  (void)start, (void)end;
  rl_attempted_completion_over = 1; /* never file names */
  free_completions();
  if (r == NULL)
    return NULL;
  L = r->b->L;
  lua_pushstring(L, text);
  session_call(r, "complete", 1, 1);
  n = lua_istable(L, -1) ? (int)lua_rawlen(L, -1) : 0;
  if (n > 0 && (completions = calloc((size_t)n, sizeof(char *))) != NULL) {
    for (int i = 1; i <= n; i++) {
      if (lua_rawgeti(L, -1, i) == LUA_TSTRING)
        completions[completion_count++] = strdup(lua_tostring(L, -1));
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  return completion_count > 0 ? rl_completion_matches(text, next_completion)
                              : NULL;
}

/* The history file: $LUANET_REPL_HISTORY, or ~/.luanet_history; an empty
 * variable turns history off. */
static void find_history(lnb_repl_t *r) {
  const char *path = getenv("LUANET_REPL_HISTORY");
  char home[2048];
  size_t len = sizeof(home);
  r->history[0] = '\0';
  if (path != NULL)
    snprintf(r->history, sizeof(r->history), "%s", path);
  else if (uv_os_homedir(home, &len) == 0)
    snprintf(r->history, sizeof(r->history), "%s/.luanet_history", home);
}

static int start_terminal(lnb_repl_t *r) {
  int err;
  if (tcgetattr(STDIN_FILENO, &saved_terminal) != 0)
    return uv_translate_sys_error(errno);
  rl_readline_name = "luanet";
  rl_catch_signals = 0;
  rl_attempted_completion_function = complete;
  /* Words end at these, so `net.cr` and `socket:se` are one word each. */
  rl_basic_word_break_characters = " \t\n\"'`@$><=;|&{(,+-*/%^#~[]";
  rl_completion_append_character = '\0';
  using_history();
  stifle_history(1000);
  find_history(r);
  if (r->history[0] != '\0')
    read_history(r->history);
  if ((err = uv_poll_init(&r->b->loop.uv, &r->poll, STDIN_FILENO)) != 0)
    return err;
  r->poll.data = (void *)&close_fn;
  r->polling = 1;
  r->refs++;
  uv_signal_init(&r->b->loop.uv, &r->sigint);
  r->sigint.data = (void *)&close_fn;
  r->refs++;
  uv_signal_start(&r->sigint, on_sigint, SIGINT);
  uv_unref((uv_handle_t *)&r->sigint);
  current = r;
  atexit(restore_terminal);
  update_prompt(r);
  rl_callback_handler_install(r->prompt, on_line);
  r->shown = 1;
  return uv_poll_start(&r->poll, UV_READABLE, on_key);
}

/* ---- anything else: lines as they come ------------------------------------ */

/* Makes room in r->pending for len more bytes, dropping what was fed.
 * Returns 0, or -1 when there is no memory for it. */
static int reserve(lnb_repl_t *r, size_t len) {
  size_t cap = r->pending_cap;
  char *p;
  if (r->pending_start > 0) {
    r->pending_len -= r->pending_start;
    r->pending_scanned -= r->pending_start;
    memmove(r->pending, r->pending + r->pending_start, r->pending_len);
    r->pending_start = 0;
  }
  if (len <= cap - r->pending_len)
    return 0;
  while (len > cap - r->pending_len) {
    if (cap > SIZE_MAX / 2)
      return -1;
    cap = cap < 4096 ? 4096 : cap * 2;
  }
  if ((p = realloc(r->pending, cap)) == NULL)
    return -1;
  r->pending = p;
  r->pending_cap = cap;
  return 0;
}

/* Feeds the whole lines of what was read to the session, one at a time.
 * A line is copied out of r->pending before the session sees it, and
 * r->pending is looked at afresh after: whatever the line does, nothing
 * here points into memory that it may have moved or freed. Each byte is
 * searched for a newline once, so a long line arriving in pieces costs
 * its length, not its length times the pieces. The caller holds r. */
static void feed(lnb_repl_t *r, const char *data, size_t len) {
  lua_State *L = r->b->L;
  if (reserve(r, len) != 0) {
    fputs("luanet: out of memory for the REPL's input\n", stderr);
    stop(r, 0);
    return;
  }
  memcpy(r->pending + r->pending_len, data, len);
  r->pending_len += len;
  while (!r->done) {
    const char *start = r->pending + r->pending_start;
    const char *nl = memchr(r->pending + r->pending_scanned, '\n',
                            r->pending_len - r->pending_scanned);
    if (nl == NULL) {
      r->pending_scanned = r->pending_len;
      break;
    }
    lua_pushlstring(L, start, (size_t)(nl - start));
    r->pending_start = r->pending_scanned = (size_t)(nl - r->pending) + 1;
    session_call(r, "_line", 1, 0);
    if (session_closed(r))
      stop(r, 1);
    else
      session_call(r, "displayPrompt", 0, 0);
  }
}

static void end_of_input(lnb_repl_t *r) {
  if (r->pending_len > r->pending_start && !r->done)
    feed(r, "\n", 1); /* a last line without its newline */
  if (!r->done) {
    session_call(r, "_finishEditor", 0, 0);
    fputs("\n", stdout);
    fflush(stdout);
    stop(r, 0);
  }
}

static void on_readable(uv_poll_t *poll, int status, int events) {
  lnb_repl_t *r = owner((uv_handle_t *)poll);
  ssize_t n;
  (void)events;
  r->refs++; /* r outlives what the lines do */
  ln_loop_enter(&r->b->loop);
  n = status < 0 ? -1 : read(STDIN_FILENO, r->buf, sizeof(r->buf));
  if (n > 0)
    feed(r, r->buf, (size_t)n);
  else if (n == 0 || (errno != EAGAIN && errno != EINTR))
    end_of_input(r);
  ln_loop_leave(&r->b->loop);
  release(r);
}

static void read_file(lnb_repl_t *r);

static void on_file_read(uv_fs_t *req) {
  lnb_repl_t *r = req->data;
  ssize_t n = req->result;
  uv_fs_req_cleanup(req);
  ln_loop_enter(&r->b->loop);
  if (n > 0)
    feed(r, r->buf, (size_t)n);
  if (n <= 0)
    end_of_input(r);
  else if (!r->done)
    read_file(r);
  ln_loop_leave(&r->b->loop);
  release(r);
}

static void read_file(lnb_repl_t *r) {
  uv_buf_t buf = uv_buf_init(r->buf, sizeof(r->buf));
  r->req.data = r;
  if (uv_fs_read(&r->b->loop.uv, &r->req, STDIN_FILENO, &buf, 1, -1,
                 on_file_read) == 0)
    r->refs++;
  else
    end_of_input(r);
}

/* ---- starting ------------------------------------------------------------------ */

int lnb_repl_start(lnb_t *b, lua_State *L) {
  lnb_repl_t *r = calloc(1, sizeof(*r));
  int err = 0;
  if (r == NULL)
    return UV_ENOMEM;
  r->b = b;
  r->tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  lua_getglobal(L, "require");
  lua_pushliteral(L, "repl");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "start");
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "> ");
  lua_setfield(L, -2, "prompt");
  lua_call(L, 1, 1);
  r->session = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pop(L, 1);
  b->repl = r;
  b->around_write = around_write;
  b->keep_going = 1;
  if (r->tty) {
    err = start_terminal(r);
  } else {
    session_call(r, "displayPrompt", 0, 0);
    if (uv_poll_init(&b->loop.uv, &r->poll, STDIN_FILENO) == 0) {
      r->poll.data = (void *)&close_fn;
      r->polling = 1;
      r->refs++;
      err = uv_poll_start(&r->poll, UV_READABLE, on_readable);
    } else {
      read_file(r); /* a regular file cannot be polled */
    }
  }
  return err;
}
