/* The REPL on a terminal (repl.c has the rest): libedit edits the line in
 * its unbuffered mode, given a key at a time from what a libuv poll of
 * standard input read; what the script writes goes above the prompt
 * (repl_hide, repl_show); a bracketed paste goes into the line whole;
 * Tab asks the session for completions, Ctrl-C interrupts, Ctrl-] leaves
 * raw mode. */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "repl_internal.h"

/* The REPL on the terminal, for the exit handler that restores it. */
static lnb_repl_t *current;

/* The terminal as it was before the REPL, put back when it ends. */
static struct termios saved_terminal;

/* ---- output above the prompt -------------------------------------------- */

void repl_hide(lnb_repl_t *r) {
  struct winsize ws;
  int rows = 0;
  if (r == NULL || !r->tty || !r->shown)
    return;
  /* Back to where the prompt starts, then clear to the end of the screen:
   * a long line wraps over several rows. */
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
    const LineInfoW *li = el_wline(r->el);
    size_t at = strlen(r->prompt) + (size_t)(li->cursor - li->buffer);
    rows = (int)(at / ws.ws_col < ws.ws_row ? at / ws.ws_col : ws.ws_row);
  }
  if (rows > 0)
    fprintf(stdout, "\033[%dA", rows);
  fputs("\r\033[J", stdout);
  fflush(stdout);
  r->shown = 0;
}

void repl_show(lnb_repl_t *r, int line_start) {
  if (r == NULL || !r->tty || r->shown || r->done || r->line_read)
    return; /* (while a line is evaluated, the prompt waits for its end) */
  if (!line_start) /* output that did not end its line: the prompt below */
    fputs("\n", stdout);
  el_set(r->el, EL_REFRESH);
  r->shown = 1;
}

/* Puts the terminal back as it was, whatever way the process ends. */
void repl_restore_terminal(void) {
  if (current != NULL) {
    el_set(current->el, EL_UNBUFFERED, 0);
    fputs("\033[?2004l", stdout); /* bracketed paste off */
    fflush(stdout);
    tcsetattr(STDIN_FILENO, TCSANOW, &saved_terminal);
    current = NULL;
  }
}

/* ---- UTF-8 and libedit's wide characters -------------------------------- */

/* The character at s (n > 0 bytes) into *wc; returns its length, or 0 if
 * more bytes are needed to know it. A byte that does not start a UTF-8
 * character of its own is U+FFFD, as Node decodes it. */
static size_t utf8_decode(const unsigned char *s, size_t n, wchar_t *wc) {
  static const unsigned char min2[] = {0, 0, 0xA0, 0x90}; /* no overlong */
  unsigned c = s[0], len, cp;
  *wc = 0xFFFD;
  if (c < 0x80) {
    *wc = (wchar_t)c;
    return 1;
  }
  len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (len == 0 || c > 0xF4)
    return 1;
  cp = c & (0x3F >> (len - 1));
  for (unsigned i = 1; i < len; i++) {
    unsigned lo = 0x80, hi = 0xBF;
    if (i >= n)
      return 0;
    if (i == 1 && len > 2) { /* the second byte rules out the invalid */
      lo = (c == 0xE0 || c == 0xF0) ? min2[len - 1] : 0x80;
      hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    }
    if (s[i] < lo || s[i] > hi)
      return i; /* U+FFFD for what was read of it */
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  *wc = (wchar_t)cp;
  return len;
}

/* Appends the UTF-8 of the n wide characters at w to the Lua buffer. */
static void utf8_encode(luaL_Buffer *lb, const wchar_t *w, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned long c = (unsigned long)w[i];
    char s[4];
    size_t len = 1;
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
      c = 0xFFFD;
    if (c < 0x80) {
      s[0] = (char)c;
    } else if (c < 0x800) {
      s[0] = (char)(0xC0 | c >> 6), len = 2;
    } else if (c < 0x10000) {
      s[0] = (char)(0xE0 | c >> 12), len = 3;
    } else {
      s[0] = (char)(0xF0 | c >> 18), len = 4;
    }
    for (size_t k = 1; k < len; k++)
      s[k] = (char)(0x80 | ((c >> (6 * (len - 1 - k))) & 0x3F));
    luaL_addlstring(lb, s, len);
  }
}

/* Pushes the n wide characters at w as a UTF-8 string. */
static void push_wide(lua_State *L, const wchar_t *w, size_t n) {
  luaL_Buffer lb;
  luaL_buffinit(L, &lb);
  utf8_encode(&lb, w, n);
  luaL_pushresult(&lb);
}

/* Inserts the len bytes of UTF-8 at s into the line at the cursor, as
 * typed text but without any key's meaning (a Tab is a tab). NULs are
 * left out. Returns 0, or -1 when there is no memory for it. */
static int insert_text(lnb_repl_t *r, const char *s, size_t len) {
  wchar_t *w;
  size_t n = 0, i = 0;
  if (len == 0)
    return 0;
  if (len > SIZE_MAX / sizeof(wchar_t) - 1 ||
      (w = malloc((len + 1) * sizeof(wchar_t))) == NULL)
    return -1;
  while (i < len) {
    size_t k = utf8_decode((const unsigned char *)s + i, len - i, &w[n]);
    i += k > 0 ? k : len - i; /* cut short at the end: U+FFFD */
    if (w[n] != 0)
      n++;
  }
  w[n] = 0;
  if (n > 0 && el_winsertstr(r->el, w) != 0)
    n = 0; /* (libedit could not grow its line) */
  free(w);
  return n > 0 || len == 0 ? 0 : -1;
}

/* ---- a terminal, through libedit ---------------------------------------- */

/* Bracketed paste: the terminal sends a paste between these. */
#define PASTE_START "\033[200~"
#define PASTE_END "\033[201~"
#define MARK_LEN 6

/* Lines longer than this are not kept in the history (its file is
 * written again after each line). */
#define HISTORY_LINE_MAX 65536

static lnb_repl_t *from_el(EditLine *el) {
  void *r = NULL;
  el_get(el, EL_CLIENTDATA, &r);
  return r;
}

static char *prompt_of(EditLine *el) {
  return from_el(el)->prompt;
}

/* Reads what standard input has into r->pending; with wait, waits for it
 * first. Returns the bytes read, 0 at the end of the input, or -1 with
 * errno (EAGAIN: nothing was there). */
static ssize_t read_input(lnb_repl_t *r, int wait) {
  ssize_t n;
  for (;;) {
    n = read(STDIN_FILENO, r->buf, sizeof(r->buf));
    if (n >= 0)
      break;
    if (errno == EINTR)
      continue;
    if (errno == EAGAIN && wait) { /* a non-blocking descriptor */
      struct pollfd p = {STDIN_FILENO, POLLIN, 0};
      poll(&p, 1, -1);
      continue;
    }
    return -1;
  }
  if (n > 0 && repl_reserve(r, (size_t)n) != 0) {
    errno = ENOMEM;
    return -1;
  }
  if (n > 0) {
    memcpy(r->pending + r->pending_len, r->buf, (size_t)n);
    r->pending_len += (size_t)n;
  }
  return n;
}

/* libedit's reader: the next character of the keys read, decoded from
 * UTF-8. When libedit wants more than was read (the rest of a key's
 * sequence), waits for it, as libedit's own reader does. Returns 1, or 0
 * at the end of the input. */
static int read_key(EditLine *el, wchar_t *wc) {
  lnb_repl_t *r = from_el(el);
  for (;;) {
    size_t n = r->pending_len - r->pending_start, k = 0;
    if (n > 0)
      k = utf8_decode((unsigned char *)r->pending + r->pending_start, n, wc);
    if (k > 0) {
      r->pending_start += k;
      if (*wc != '\t')
        r->tabbed = 0;
      return 1;
    }
    if (read_input(r, 1) <= 0) {
      r->ended = 1;
      return 0;
    }
  }
}

static void save_history(lnb_repl_t *r, const char *line, size_t len) {
  HistEvent ev;
  if (r->history[0] == '\0' || len == 0 || len > HISTORY_LINE_MAX ||
      strlen(line) != len)
    return;
  history(r->hist, &ev, H_ENTER, line);
  history(r->hist, &ev, H_SAVE, r->history);
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

/* A line from libedit: the n wide characters at line, or NULL for Ctrl-D
 * on an empty line. */
static void on_line(lnb_repl_t *r, const wchar_t *line, size_t n) {
  lua_State *L = r->b->L;
  if (line != NULL) /* (libedit's buffer, while it has it) */
    push_wide(L, line, n);
  /* Out of libedit's raw mode until the next line starts (next_line). */
  el_set(r->el, EL_UNBUFFERED, 0);
  quiet_terminal();
  r->line_read = 1;
  r->shown = 0;
  r->interrupted = 0;
  if (line == NULL) {
    int editing;
    fputs("\n", stdout);
    fflush(stdout);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->session);
    editing = lua_getfield(L, -1, "editor") != LUA_TNIL;
    lua_pop(L, 2);
    if (!editing) {
      repl_stop(r, 1);
      return;
    }
    repl_call(r, "_finishEditor", 0, 0);
  } else {
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    save_history(r, s, len);
    repl_call(r, "_line", 1, 0);
  }
  if (repl_closed(r)) {
    repl_stop(r, 1);
    return;
  }
  if (repl_busy(r)) { /* the prompt comes back when the line ends */
    r->waiting = 1;
    return;
  }
  repl_update_prompt(r);
}

/* Starts the next line after one was read: an empty line, and the
 * prompt drawn. */
void repl_next_line(lnb_repl_t *r) {
  if (!r->line_read || r->done || r->waiting)
    return;
  r->line_read = 0;
  r->typed = 0;
  el_set(r->el, EL_UNBUFFERED, 1);
  r->shown = 1;
}

/* Gives libedit one key (or key sequence) of what was read; takes the
 * line when that ended it. */
static void edit_key(lnb_repl_t *r) {
  int count = 0;
  const wchar_t *line = el_wgets(r->el, &count);
  if (r->ended) {
    repl_stop(r, 0);
    return;
  }
  if (line == NULL || count <= 0)
    return;
  if (line[count - 1] == '\n' || line[count - 1] == '\r')
    on_line(r, line, (size_t)count - 1);
  else if (count == 1 && line[0] == 4) /* Ctrl-D on an empty line */
    on_line(r, NULL, 0);
}

/* A bracketed paste: its text goes into the line at the cursor, and each
 * of its line breaks (CR, LF or CRLF) enters the line as Enter does. The
 * text is r's no more while lines run. */
void repl_paste(lnb_repl_t *r) {
  char *s = r->paste;
  size_t len = r->paste_len, i = 0;
  r->paste = NULL;
  r->paste_len = r->paste_cap = 0;
  r->typed = 1;
  while (!r->done) {
    size_t j = i;
    while (j < len && s[j] != '\r' && s[j] != '\n')
      j++;
    if (j > i) {
      repl_hide(r);
      if (insert_text(r, s + i, j - i) != 0)
        fputs("\nluanet: out of memory for the pasted text\n", stdout);
      repl_show(r, 1);
    }
    if (j == len)
      break;
    i = j + (s[j] == '\r' && j + 1 < len && s[j + 1] == '\n' ? 2 : 1);
    el_wpush(r->el, L"\r"); /* Enter */
    edit_key(r);
    if (r->waiting && i < len) { /* the rest after the line's end */
      if (repl_grow(&r->paste, &r->paste_cap, 0, len - i) == 0) {
        memcpy(r->paste, s + i, len - i);
        r->paste_len = len - i;
      }
      break;
    }
    repl_next_line(r);
  }
  free(s);
}

/* Where the end mark is in s (n bytes), or NULL. */
static const char *find_end_mark(const char *s, size_t n) {
  const char *p = s, *end = s + n;
  while ((p = memchr(p, '\033', (size_t)(end - p))) != NULL) {
    if ((size_t)(end - p) >= MARK_LEN && memcmp(p, PASTE_END, MARK_LEN) == 0)
      return p;
    p++;
  }
  return NULL;
}

/* How many bytes at the end of s (n bytes) could begin the mark. */
static size_t mark_begun(const char *s, size_t n, const char *mark) {
  for (size_t k = n < MARK_LEN - 1 ? n : MARK_LEN - 1; k > 0; k--)
    if (memcmp(s + n - k, mark, k) == 0)
      return k;
  return 0;
}

/* Uses what was read: the keys go to libedit one at a time, a bracketed
 * paste into the line whole. Stops at what may be a mark not read whole
 * yet (a lone Esc waits for the next key, as libedit would). */
void repl_use_input(lnb_repl_t *r) {
  while (!r->done && !r->waiting && r->pending_start < r->pending_len) {
    const char *s = r->pending + r->pending_start;
    size_t n = r->pending_len - r->pending_start;
    if (r->pasting) {
      const char *end = find_end_mark(s, n);
      size_t take = end != NULL ? (size_t)(end - s)
                                : n - mark_begun(s, n, PASTE_END);
      if (repl_grow(&r->paste, &r->paste_cap, r->paste_len, take) != 0) {
        fputs("\nluanet: out of memory for the pasted text\n", stdout);
        r->paste_len = 0; /* what is left is typed */
        r->pasting = 0;
        continue;
      }
      memcpy(r->paste + r->paste_len, s, take);
      r->paste_len += take;
      r->pending_start += take;
      if (end == NULL)
        return; /* the rest comes with the next read */
      r->pending_start += MARK_LEN;
      r->pasting = 0;
      repl_paste(r);
    } else if (n >= MARK_LEN && memcmp(s, PASTE_START, MARK_LEN) == 0) {
      r->pending_start += MARK_LEN;
      r->pasting = 1;
    } else if (n < MARK_LEN && memcmp(s, PASTE_START, n) == 0) {
      return; /* a mark, or a key sequence, not read whole: the loop waits
                 for the rest where libedit would stop it */
    } else {
      r->typed = 1;
      edit_key(r);
      repl_next_line(r);
    }
  }
}

static void on_key(uv_poll_t *poll, int status, int events) {
  lnb_repl_t *r = repl_owner((uv_handle_t *)poll);
  ssize_t n = status < 0 ? -1 : read_input(r, 0);
  (void)events;
  r->refs++; /* r outlives what the lines do */
  ln_loop_enter(&r->b->loop);
  if (n == 0 || (n < 0 && (status < 0 || errno != EAGAIN)))
    repl_stop(r, 0); /* the terminal is gone */
  else
    repl_use_input(r);
  ln_loop_leave(&r->b->loop);
  repl_release(r);
}

/* Ctrl-C: drops the line being typed, or the unfinished chunk; a second
 * one on an empty line leaves, as in Node. */
static void on_sigint(uv_signal_t *handle, int signum) {
  lnb_repl_t *r = repl_owner((uv_handle_t *)handle);
  lua_State *L = r->b->L;
  int had = r->typed;
  (void)signum;
  if (r->waiting) { /* cancels the line that waits; its end brings the
                       prompt back (resume_input) */
    r->refs++;
    ln_loop_enter(&r->b->loop);
    fputs("\n", stdout);
    repl_call(r, "_interrupt", 0, 0);
    ln_loop_leave(&r->b->loop);
    repl_release(r);
    return;
  }
  r->typed = 0;
  r->pasting = 0; /* a paste whose end never came */
  r->paste_len = 0;
  repl_call(r, "_interrupt", 0, 1);
  had = had || lua_toboolean(L, -1);
  lua_pop(L, 1);
  fputs("\n", stdout);
  if (!had && r->interrupted) {
    repl_stop(r, 1);
    return;
  }
  r->interrupted = !had;
  if (!had)
    fputs("(To exit, press Ctrl+C again or Ctrl+D or type .exit)\n", stdout);
  /* Leaving libedit's unbuffered mode and entering it again starts an
   * empty line and draws the prompt. */
  el_set(r->el, EL_UNBUFFERED, 0);
  repl_update_prompt(r);
  el_set(r->el, EL_UNBUFFERED, 1);
  r->shown = 1;
}

/* ---- completion --------------------------------------------------------- */

/* Words end at these, so `net.cr` and `socket:se` are one word each. */
static const wchar_t word_breaks[] = L" \t\n\"'`@$><=;|&{(,+-*/%^#~[]";

/* Prints the completions (a list on top of L) in columns below the line. */
static void list_completions(lua_State *L, int n) {
  struct winsize ws;
  size_t width = 0, cols;
  int rows;
  for (int i = 1; i <= n; i++) {
    size_t len;
    lua_rawgeti(L, -1, i);
    lua_tolstring(L, -1, &len);
    width = len > width ? len : width;
    lua_pop(L, 1);
  }
  width += 2;
  cols = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > width
             ? ws.ws_col / width
             : 1;
  rows = (int)(((size_t)n + cols - 1) / cols);
  fputs("\n", stdout);
  for (int row = 0; row < rows; row++) {
    for (int i = row + 1; i <= n; i += rows) {
      lua_rawgeti(L, -1, i);
      if (i + rows <= n)
        fprintf(stdout, "%-*s", (int)width, lua_tostring(L, -1));
      else
        fputs(lua_tostring(L, -1), stdout);
      lua_pop(L, 1);
    }
    fputs("\n", stdout);
  }
}

/* The start of the word before the cursor of li. */
static const wchar_t *word_start(const LineInfoW *li) {
  const wchar_t *start = li->cursor;
  while (start > li->buffer && wcschr(word_breaks, start[-1]) == NULL)
    start--;
  return start;
}

/* Completes the word before the cursor (word_len bytes of UTF-8) with the
 * list of completions on top of L (popped): the part they all share is
 * put in; when there is nothing to add and list is set, they are listed.
 * Returns libedit's CC_ code. */
static unsigned char apply_completions(lnb_repl_t *r, size_t word_len,
                                       int list) {
  lua_State *L = r->b->L;
  EditLine *el = r->el;
  const LineInfoW *li = el_wline(el);
  const wchar_t *start = word_start(li);
  unsigned char result = CC_ERROR; /* a beep */
  size_t common = 0;
  int n = lua_istable(L, -1) ? (int)lua_rawlen(L, -1) : 0;
  for (int i = 1; i <= n; i++) { /* the part all of them share */
    size_t len, k = 0;
    const char *s, *first;
    lua_rawgeti(L, -1, i);
    lua_rawgeti(L, -2, 1);
    s = lua_tolstring(L, -2, &len);
    first = lua_tostring(L, -1);
    if (s == NULL || first == NULL) {
      lua_pop(L, 2);
      n = 0;
      break;
    }
    while (k < len && (i == 1 || k < common) && s[k] == first[k])
      k++;
    common = k;
    lua_pop(L, 2);
  }
  while (common > 0 && n > 0) { /* not inside a UTF-8 character */
    lua_rawgeti(L, -1, 1);
    if ((lua_tostring(L, -1)[common] & 0xC0) != 0x80) {
      lua_pop(L, 1);
      break;
    }
    lua_pop(L, 1);
    common--;
  }
  if (n > 0 && common > word_len) {
    lua_rawgeti(L, -1, 1);
    el_deletestr(el, (int)(li->cursor - start));
    if (insert_text(r, lua_tostring(L, -1), common) == 0)
      result = CC_REFRESH;
    lua_pop(L, 1);
  } else if (n > 1 && list) {
    list_completions(L, n);
    result = CC_REDISPLAY;
  }
  lua_pop(L, 1);
  return result;
}

/* Tab: completes the word before the cursor with the session's
 * completions (`net.cr` gives net.create, the part they share); when
 * there is nothing to add, a second Tab lists them. A session that
 * answers later (an attached one: nil now) calls session._completed. */
static unsigned char complete_key(EditLine *el, int ch) {
  lnb_repl_t *r = from_el(el);
  lua_State *L = r->b->L;
  const LineInfoW *li = el_wline(el);
  const wchar_t *start = word_start(li);
  size_t word_len;
  int tabbed = r->tabbed;
  (void)ch;
  r->tabbed = 1;
  r->tab_listing = tabbed;
  push_wide(L, start, (size_t)(li->cursor - start));
  lua_tolstring(L, -1, &word_len);
  repl_call(r, "complete", 1, 1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return CC_NORM; /* (the answer comes later) */
  }
  return apply_completions(r, word_len, tabbed);
}

/* session._completed(word, list): the answer of a session that completes
 * later. Applied when the line still ends in word at the cursor. */
int repl_completed(lua_State *L) {
  lnb_repl_t *r = lua_touserdata(L, lua_upvalueindex(1));
  size_t word_len, now_len;
  const char *word = luaL_checklstring(L, 1, &word_len);
  const LineInfoW *li;
  const wchar_t *start;
  luaL_checktype(L, 2, LUA_TTABLE);
  if (!r->tty || r->done || r->line_read || r->waiting)
    return 0;
  li = el_wline(r->el);
  start = word_start(li);
  push_wide(L, start, (size_t)(li->cursor - start));
  if (strcmp(lua_tolstring(L, -1, &now_len), word) != 0 ||
      now_len != word_len)
    return 0;
  lua_pop(L, 1);
  repl_hide(r);
  lua_pushvalue(L, 2);
  apply_completions(r, word_len, r->tab_listing);
  repl_show(r, 1);
  return 0;
}

/* Ctrl-]: leaves raw mode (lua/repl_net.lua), as telnet's escape key;
 * elsewhere a beep. */
static unsigned char raw_off_key(EditLine *el, int ch) {
  lnb_repl_t *r = from_el(el);
  lua_State *L = r->b->L;
  int left;
  (void)ch;
  repl_call(r, "_leaveRaw", 0, 1);
  left = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (!left)
    return CC_ERROR;
  repl_update_prompt(r);
  return CC_REDISPLAY;
}

/* ---- the terminal's start ----------------------------------------------- */

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

/* The keys libedit's readline wrapper adds to its emacs bindings. */
static const char *const bindings[][2] = {
    {"^R", "em-inc-search-prev"},      {"\\e[1~", "ed-move-to-beg"},
    {"\\e[4~", "ed-move-to-end"},      {"\\e[7~", "ed-move-to-beg"},
    {"\\e[8~", "ed-move-to-end"},      {"\\e[H", "ed-move-to-beg"},
    {"\\e[F", "ed-move-to-end"},       {"\\e[3~", "ed-delete-next-char"},
    {"\\e[2~", "em-toggle-overwrite"}, {"\\e[1;5C", "em-next-word"},
    {"\\e[1;5D", "ed-prev-word"},      {"\\e[5C", "em-next-word"},
    {"\\e[5D", "ed-prev-word"},        {"\\e\\e[C", "em-next-word"},
    {"\\e\\e[D", "ed-prev-word"},
};

int repl_start_terminal(lnb_repl_t *r) {
  HistEvent ev;
  int err;
  if (tcgetattr(STDIN_FILENO, &saved_terminal) != 0)
    return uv_translate_sys_error(errno);
  /* libedit shows characters as the locale encodes them; the terminal
   * speaks UTF-8, as Node assumes. Only LC_CTYPE, whose single-byte
   * classes (Lua's patterns) are the same in every UTF-8 locale. */
  if (setlocale(LC_CTYPE, "") == NULL ||
      strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
    setlocale(LC_CTYPE, "C.UTF-8");
  if ((r->el = el_init("luanet", stdin, stdout, stderr)) == NULL ||
      (r->hist = history_init()) == NULL)
    return UV_ENOMEM;
  el_set(r->el, EL_CLIENTDATA, (void *)r);
  el_set(r->el, EL_EDITOR, "emacs");
  el_set(r->el, EL_PROMPT, prompt_of);
  el_set(r->el, EL_GETCFN, read_key);
  history(r->hist, &ev, H_SETSIZE, 1000);
  find_history(r);
  if (r->history[0] != '\0')
    history(r->hist, &ev, H_LOAD, r->history);
  el_set(r->el, EL_HIST, history, r->hist);
  /* (the wide form: the narrow one copies the names, and never frees
   * them) */
  el_wset(r->el, EL_ADDFN, L"luanet-complete", L"Complete the word",
          complete_key);
  el_set(r->el, EL_BIND, "^I", "luanet-complete", NULL);
  el_wset(r->el, EL_ADDFN, L"luanet-raw-off", L"Leave raw mode", raw_off_key);
  el_set(r->el, EL_BIND, "^]", "luanet-raw-off", NULL);
  for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
    el_set(r->el, EL_BIND, bindings[i][0], bindings[i][1], NULL);
  el_source(r->el, NULL); /* ~/.editrc */
  if ((err = uv_poll_init(&r->b->loop.uv, &r->poll, STDIN_FILENO)) != 0)
    return err;
  r->poll.data = (void *)&repl_close_fn;
  r->polling = 1;
  r->refs++;
  uv_signal_init(&r->b->loop.uv, &r->sigint);
  r->sigint.data = (void *)&repl_close_fn;
  r->refs++;
  uv_signal_start(&r->sigint, on_sigint, SIGINT);
  uv_unref((uv_handle_t *)&r->sigint);
  current = r;
  atexit(repl_restore_terminal);
  fputs("\033[?2004h", stdout); /* bracketed paste on */
  repl_update_prompt(r);
  el_set(r->el, EL_UNBUFFERED, 1); /* raw mode, and the prompt drawn */
  r->shown = 1;
  return uv_poll_start(&r->poll, UV_READABLE, on_key);
}
