/* What bindings/repl.c (the session's side, input without a terminal)
 * and bindings/repl_tty.c (the terminal, through libedit) share: the
 * REPL's record and the functions each calls in the other. */
#ifndef LNB_REPL_INTERNAL_H
#define LNB_REPL_INTERNAL_H

#include <histedit.h>

#include "luanet.h"

typedef struct lnb_repl_s lnb_repl_t;

struct lnb_repl_s {
  lnb_t *b;
  int session;      /* registry ref of the REPLServer */
  int tty;          /* reading a terminal through libedit */
  int shown;        /* the prompt and the line are on the screen */
  int interrupted;  /* the last key was a Ctrl-C on an empty line */
  int done;         /* .exit, Ctrl-D, or the end of the input */
  int line_read;    /* libedit gave a line: a new one is to be started */
  int typed;        /* keys were read since the prompt was drawn */
  int tabbed;       /* the last key was a Tab: another one lists */
  int tab_listing;  /* the Tab pressed was a second one */
  int pasting;      /* between the marks of a bracketed paste */
  int ended;        /* the terminal's input ended inside libedit */
  int polling;      /* poll is open */
  int waiting;      /* the line entered waits (a task): input waits too */
  int input_ended;  /* without a terminal: the input ended meanwhile */
  int refs;         /* open handles and requests, calls under way */
  uv_poll_t poll;   /* standard input, when it can be polled */
  uv_signal_t sigint; /* Ctrl-C, on a terminal */
  uv_fs_t req;      /* standard input, when it is a file */
  ln_tick_t idle;   /* the line that waited has ended */
  EditLine *el;     /* the line editor, on a terminal */
  History *hist;
  /* What was read and not yet used: pending[pending_start..len). Without
   * a terminal, input that is not yet a whole line; on one, keys that
   * libedit has not taken yet. */
  char *pending;
  size_t pending_start, pending_len, pending_cap;
  size_t pending_scanned; /* pending[pending_start..scanned) has no \n */
  char *paste;      /* the bracketed paste so far */
  size_t paste_len, paste_cap;
  char history[4096]; /* the history file, or "" for none */
  char prompt[256];
  char buf[65536];  /* what one read of standard input gives */
};

/* ---- repl.c ------------------------------------------------------------- */

/* Calls session:method(...) with the nargs values on top of b->L, and
 * leaves nresults values (nils when it raised, which is uncaught). */
void repl_call(lnb_repl_t *r, const char *method, int nargs, int nresults);
/* Whether the session was closed; whether its line waits (busy). */
int repl_closed(lnb_repl_t *r);
int repl_busy(lnb_repl_t *r);
/* Copies the prompt for the next line (`> `, `... `) into r->prompt. */
void repl_update_prompt(lnb_repl_t *r);
/* Grows the buffer *p of *cap bytes to hold len + more; 0, or -1 when
 * there is no memory for it. */
int repl_grow(char **p, size_t *cap, size_t len, size_t more);
/* Makes room in r->pending for len more bytes, dropping what was used.
 * Returns 0, or -1 when there is no memory for it. */
int repl_reserve(lnb_repl_t *r, size_t len);
/* One of r's handles or requests is done; the last one frees r. */
void repl_release(lnb_repl_t *r);
/* The record of r's poll or signal handle. */
lnb_repl_t *repl_owner(uv_handle_t *handle);
/* Stops reading; hard: the process ends now (.exit, Ctrl-D). */
void repl_stop(lnb_repl_t *r, int hard);
/* The closer of r's handles (core/loop.h's ln_close_fn). */
extern const ln_close_fn repl_close_fn;

/* ---- repl_tty.c --------------------------------------------------------- */

/* Takes the prompt and the line off the screen, before output. */
void repl_hide(lnb_repl_t *r);
/* Draws them again after output (line_start: the output ended its line). */
void repl_show(lnb_repl_t *r, int line_start);
/* Puts the terminal back as it was before the REPL. */
void repl_restore_terminal(void);
/* Starts libedit on the terminal; 0 or a libuv error. */
int repl_start_terminal(lnb_repl_t *r);
/* Starts the next line after one was read. */
void repl_next_line(lnb_repl_t *r);
/* Puts the bracketed paste kept in r into the line. */
void repl_paste(lnb_repl_t *r);
/* Uses the keys read and not yet used. */
void repl_use_input(lnb_repl_t *r);
/* session._completed(word, list), a Lua C function with r as upvalue 1. */
int repl_completed(lua_State *L);

#endif
