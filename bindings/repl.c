/* The REPL of the luanet host: `luanet` on a terminal, or `luanet -i`.
 * lua/repl.lua evaluates; this file reads. On a terminal, libedit edits
 * the line in its unbuffered mode, given a key at a time from what a
 * libuv poll of standard input read, so the loop never stops at the
 * prompt: servers accept, listeners run and timers fire while a line is
 * being typed. What the script writes meanwhile (lnb_write) goes above
 * the prompt, which is then drawn again with the line as it was. A paste
 * (between the marks of the terminal's bracketed paste mode) goes into
 * the line whole, and each of its line breaks enters a line. Without a
 * terminal, lines are fed to the session as they arrive and it writes its
 * own prompts.
 *
 * This is libedit's own interface, not its readline wrapper: after every
 * key, the wrapper's rl_callback_read_char() writes a NUL at
 * rl_line_buffer[rl_end], and rl_line_buffer is moved only when the line
 * buffer grows, not when the narrow copy of the line it points into is
 * reallocated; past about 1,000 bytes it pointed into freed memory, and a
 * long paste corrupted the heap (valgrind: invalid write in
 * rl_callback_read_char).
 *
 * This file holds the session's side and input without a terminal;
 * repl_tty.c the terminal, through libedit. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repl_internal.h"

/* Calls session:method(...) with the nargs values on top of b->L, and
 * leaves nresults values (nils when it raised, which is uncaught). */
void repl_call(lnb_repl_t *r, const char *method, int nargs,
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

int repl_closed(lnb_repl_t *r) {
  lua_State *L = r->b->L;
  int closed;
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->session);
  lua_getfield(L, -1, "closed");
  closed = lua_toboolean(L, -1);
  lua_pop(L, 2);
  return closed;
}

/* Whether the line the session was given waits (lua/repl.lua's busy). */
int repl_busy(lnb_repl_t *r) {
  lua_State *L = r->b->L;
  int busy;
  lua_rawgeti(L, LUA_REGISTRYINDEX, r->session);
  busy = lua_getfield(L, -1, "busy") != LUA_TNIL;
  lua_pop(L, 2);
  return busy;
}

/* Copies the prompt for the next line (`> `, `... `) into r->prompt. */
void repl_update_prompt(lnb_repl_t *r) {
  lua_State *L = r->b->L;
  const char *p;
  repl_call(r, "getPrompt", 0, 1);
  p = lua_tostring(L, -1);
  snprintf(r->prompt, sizeof(r->prompt), "%s", p != NULL ? p : "> ");
  lua_pop(L, 1);
}

/* Grows the buffer *p of *cap bytes to hold len + more; 0, or -1 when
 * there is no memory for it. */
int repl_grow(char **p, size_t *cap, size_t len, size_t more) {
  size_t want = *cap;
  char *q;
  if (more <= want - len)
    return 0;
  while (more > want - len) {
    if (want > SIZE_MAX / 2)
      return -1;
    want = want < 4096 ? 4096 : want * 2;
  }
  if ((q = realloc(*p, want)) == NULL)
    return -1;
  *p = q;
  *cap = want;
  return 0;
}

/* Makes room in r->pending for len more bytes, dropping what was used.
 * Returns 0, or -1 when there is no memory for it. */
int repl_reserve(lnb_repl_t *r, size_t len) {
  if (r->pending_start > 0) {
    r->pending_len -= r->pending_start;
    r->pending_scanned = r->pending_scanned > r->pending_start
                             ? r->pending_scanned - r->pending_start
                             : 0;
    memmove(r->pending, r->pending + r->pending_start, r->pending_len);
    r->pending_start = 0;
  }
  return repl_grow(&r->pending, &r->pending_cap, r->pending_len, len);
}

static void around_write(lnb_repl_t *r, int done, int line_start) {
  if (done)
    repl_show(r, line_start);
  else
    repl_hide(r);
}

/* ---- the end ------------------------------------------------------------ */

/* One of r's handles or requests is done; the last one frees r. */
void repl_release(lnb_repl_t *r) {
  if (--r->refs > 0)
    return;
  lua_rawgeti(r->b->L, LUA_REGISTRYINDEX, r->session);
  lua_pushnil(r->b->L);
  lua_setfield(r->b->L, -2, "_onIdle"); /* r is gone */
  lua_pushnil(r->b->L);
  lua_setfield(r->b->L, -2, "_completed");
  lua_pop(r->b->L, 1);
  luaL_unref(r->b->L, LUA_REGISTRYINDEX, r->session);
  if (r->el != NULL)
    el_end(r->el);
  if (r->hist != NULL)
    history_end(r->hist);
  free(r->pending);
  free(r->paste);
  free(r);
}

lnb_repl_t *repl_owner(uv_handle_t *handle) {
  size_t offset = handle->type == UV_POLL ? offsetof(lnb_repl_t, poll)
                                          : offsetof(lnb_repl_t, sigint);
  return (lnb_repl_t *)((char *)handle - offset);
}

static void on_closed(uv_handle_t *handle) {
  repl_release(repl_owner(handle));
}

/* The loop's closer, at the state's end: the REPL stops. */
static void closer(uv_handle_t *handle) {
  repl_stop(repl_owner(handle), 0);
}
const ln_close_fn repl_close_fn = closer;

/* Stops reading. hard: the session was left (.exit, Ctrl-D, Ctrl-C
 * twice), and the process ends now, as Node's REPL exits; otherwise (the
 * input ended) the loop goes on until nothing is left. */
void repl_stop(lnb_repl_t *r, int hard) {
  if (r->done)
    return;
  r->done = 1;
  r->b->repl = NULL;
  r->b->keep_going = 0;
  if (r->tty)
    repl_restore_terminal();
  if (r->polling)
    uv_close((uv_handle_t *)&r->poll, on_closed);
  if (r->tty)
    uv_close((uv_handle_t *)&r->sigint, on_closed);
  if (hard)
    ln_loop_stop(&r->b->loop);
}

/* ---- anything else: lines as they come ---------------------------------- */

/* Feeds the whole lines of what was read to the session, one at a time.
 * A line is copied out of r->pending before the session sees it, and
 * r->pending is looked at afresh after: whatever the line does, nothing
 * here points into memory that it may have moved or freed. Each byte is
 * searched for a newline once, so a long line arriving in pieces costs
 * its length, not its length times the pieces. The caller holds r. */
static void feed(lnb_repl_t *r, const char *data, size_t len) {
  lua_State *L = r->b->L;
  if (repl_reserve(r, len) != 0) {
    fputs("luanet: out of memory for the REPL's input\n", stderr);
    repl_stop(r, 0);
    return;
  }
  memcpy(r->pending + r->pending_len, data, len);
  r->pending_len += len;
  while (!r->done && !r->waiting) {
    const char *start = r->pending + r->pending_start;
    const char *nl = memchr(r->pending + r->pending_scanned, '\n',
                            r->pending_len - r->pending_scanned);
    if (nl == NULL) {
      r->pending_scanned = r->pending_len;
      break;
    }
    lua_pushlstring(L, start, (size_t)(nl - start));
    r->pending_start = r->pending_scanned = (size_t)(nl - r->pending) + 1;
    repl_call(r, "_line", 1, 0);
    if (repl_closed(r))
      repl_stop(r, 1);
    else if (repl_busy(r))
      r->waiting = 1; /* the next lines wait for its end */
    else
      repl_call(r, "displayPrompt", 0, 0);
  }
}

static void end_of_input(lnb_repl_t *r) {
  if (r->waiting) { /* after the lines that wait for the line running */
    if (!r->input_ended) { /* r stays until then: resume_input lets go */
      r->input_ended = 1;
      r->refs++;
    }
    return;
  }
  if (r->pending_len > r->pending_start && !r->done)
    feed(r, "\n", 1); /* a last line without its newline */
  if (!r->done) {
    repl_call(r, "_finishEditor", 0, 0);
    fputs("\n", stdout);
    fflush(stdout);
    repl_stop(r, 0);
  }
}

static void on_readable(uv_poll_t *poll, int status, int events) {
  lnb_repl_t *r = repl_owner((uv_handle_t *)poll);
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
  repl_release(r);
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
  repl_release(r);
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

/* ---- a line that waits ---------------------------------------------------- */

/* The line that waited has ended (a tick after session_idle): the prompt,
 * then the input that came meanwhile. */
static void resume_input(ln_tick_t *tick) {
  lnb_repl_t *r =
      (lnb_repl_t *)((char *)tick - offsetof(lnb_repl_t, idle));
  if (r->b->closing) { /* lua_close closes the loop: no prompt now */
    repl_release(r);
    return;
  }
  if (!r->waiting && !r->done) { /* the session changed meanwhile */
    if (repl_closed(r)) {
      repl_stop(r, 1);
    } else if (r->tty && r->shown) { /* its prompt, say */
      repl_hide(r);
      repl_update_prompt(r);
      repl_show(r, 1);
    }
  } else if (r->waiting && !r->done) {
    r->waiting = 0;
    if (repl_closed(r)) {
      repl_stop(r, 1);
    } else if (r->tty) {
      repl_update_prompt(r);
      repl_next_line(r);
      if (r->paste_len > 0 && !r->pasting)
        repl_paste(r);
      repl_use_input(r);
    } else {
      repl_call(r, "displayPrompt", 0, 0);
      feed(r, "", 0);
      if (r->input_ended && !r->waiting && !r->done) {
        r->input_ended = 0;
        end_of_input(r);
        repl_release(r); /* end_of_input's hold */
      }
    }
  }
  if (r->input_ended && r->done) { /* closed meanwhile (.exit) */
    r->input_ended = 0;
    repl_release(r);
  }
  repl_release(r);
}

/* session._onIdle(): lua/repl.lua's word that the line that waited has
 * ended. What follows waits for the callback that ended it to return. */
static int session_idle(lua_State *L) {
  lnb_repl_t *r = lua_touserdata(L, lua_upvalueindex(1));
  if (r->idle.cb == NULL) {
    r->refs++;
    ln_loop_defer(&r->b->loop, &r->idle, resume_input);
  }
  return 0;
}

/* ---- starting ----------------------------------------------------------- */

int lnb_repl_start(lnb_t *b, lua_State *L) {
  lnb_repl_t *r = calloc(1, sizeof(*r));
  int err = 0;
  if (r == NULL)
    return UV_ENOMEM;
  r->b = b;
  r->tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  if (lua_getfield(L, LUA_REGISTRYINDEX, "luanet.attach") == LUA_TSTRING) {
    /* luanet --attach PATH: the lines run in a script's REPL */
    lua_getglobal(L, "require");
    lua_pushliteral(L, "repl_attach");
    lua_call(L, 1, 1);
    lua_getfield(L, -1, "connect");
    lua_pushvalue(L, -3);
    lua_call(L, 1, 1);
    lua_remove(L, -3); /* the path */
  } else {
    lua_pop(L, 1);
    lua_getglobal(L, "require");
    lua_pushliteral(L, "repl");
    lua_call(L, 1, 1);
    lua_getfield(L, -1, "start");
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "> ");
    lua_setfield(L, -2, "prompt");
    lua_call(L, 1, 1);
  }
  lua_pushlightuserdata(L, r);
  lua_pushcclosure(L, session_idle, 1);
  lua_setfield(L, -2, "_onIdle");
  lua_pushlightuserdata(L, r);
  lua_pushcclosure(L, repl_completed, 1);
  lua_setfield(L, -2, "_completed");
  r->session = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pop(L, 1);
  b->repl = r;
  b->around_write = around_write;
  b->keep_going = 1;
  if (r->tty) {
    err = repl_start_terminal(r);
  } else {
    repl_call(r, "displayPrompt", 0, 0);
    if (uv_poll_init(&b->loop.uv, &r->poll, STDIN_FILENO) == 0) {
      r->poll.data = (void *)&repl_close_fn;
      r->polling = 1;
      r->refs++;
      err = uv_poll_start(&r->poll, UV_READABLE, on_readable);
    } else {
      read_file(r); /* a regular file cannot be polled */
    }
  }
  return err;
}
