/* The loop: a libuv loop plus the deferred-call queue that gives the core
 * Node's process.nextTick timing.
 *
 * Every callback that libuv makes into the core, and every call the embedder
 * makes into it from outside a callback, runs inside a scope
 * (ln_loop_enter / ln_loop_leave). When the outermost scope is left, the
 * ticks queued meanwhile run in order, as Node runs its nextTick queue after
 * each callback from native code. So no tick is ever pending while control
 * is inside libuv, and a tick never outlives the object that queued it.
 */
#ifndef LN_LOOP_H
#define LN_LOOP_H

#include <stddef.h>
#include <uv.h>

typedef struct ln_loop_s ln_loop_t;
typedef struct ln_tick_s ln_tick_t;
typedef struct ln_hooks_s ln_hooks_t;

typedef void (*ln_tick_cb)(ln_tick_t *tick);

/* Every handle in an ln loop has as its `data` a pointer to an ln_close_fn
 * (usually a static const one per kind of handle) that closes it and frees
 * what its owner holds. ln_loop_close() uses it to close what is left. The
 * owner itself is found from the handle (the handle is embedded in it). */
typedef void (*ln_close_fn)(uv_handle_t *handle);

/* A deferred call. The memory belongs to the caller (usually it is embedded
 * in the object it concerns); it must stay valid until the callback runs. */
struct ln_tick_s {
  ln_tick_t *next;
  ln_tick_cb cb; /* non-NULL while queued */
};

/* Size of the buffer shared by every read: libuv reads into it, and the
 * data is handed on (or copied into a socket's own buffer) before the next
 * read, so an idle connection holds no read buffer at all. */
#define LN_READ_BUFFER_SIZE 65536

struct ln_loop_s {
  uv_loop_t uv;
  const ln_hooks_t *hooks; /* the embedder's notifications, never NULL */
  void *data;              /* the embedder's */
  ln_tick_t *ticks;        /* FIFO of deferred calls */
  ln_tick_t **ticks_tail;
  unsigned depth;          /* nesting of scopes */
  int rbuf_busy;           /* rbuf is handed out to a read in progress */
  char *tbuf;              /* decoded text on its way to the embedder */
  size_t tcap;             /* (setEncoding); grown as needed, kept */
  int tbuf_busy;
  int own_fds[8];          /* descriptors libuv opened in ln_loop_init */
  int own_count;
  char rbuf[LN_READ_BUFFER_SIZE];
};

/* Initialises loop (caller-owned memory) with its own uv loop. hooks must
 * outlive the loop. Returns 0 or a libuv error. */
int ln_loop_init(ln_loop_t *loop, const ln_hooks_t *hooks, void *data);

/* Whether fd belongs to the loop: libuv's own descriptors (its epoll,
 * wakeup and signal descriptors, the process-wide lock pipe opened by the
 * first loop) or one a handle of the loop holds. Such a descriptor must
 * not be wrapped again (net.Socket({ fd })): closing it would break the
 * loop. */
int ln_loop_owns_fd(ln_loop_t *loop, int fd);

/* Closes every handle still open, runs the ticks still queued and the loop
 * until every close callback and request has run (and what they queue in
 * turn), then closes the uv loop: a released socket or server frees what it
 * holds there. Notifications to the embedder are suppressed from here on
 * (loop->hooks is swapped for silent ones); the embedder takes out first
 * any tick of its own that would call into it. */
void ln_loop_close(ln_loop_t *loop);

/* Closes every handle that has a closer (sockets, servers, timers...),
 * leaving the loop usable; run it to let the closes finish. Handles with
 * no closer (the embedder's own machinery) stay open. */
void ln_loop_close_all(ln_loop_t *loop);

/* Opens and closes a callback scope. Leaving the outermost scope runs the
 * queued ticks, including those queued by the ticks themselves. */
void ln_loop_enter(ln_loop_t *loop);
void ln_loop_leave(ln_loop_t *loop);

/* Queues cb(tick) to run when the outermost scope is left. A tick that is
 * already queued is left where it is (its cb is not replaced). */
void ln_loop_defer(ln_loop_t *loop, ln_tick_t *tick, ln_tick_cb cb);

/* Runs the queued ticks now (as leaving a scope would). */
void ln_loop_run_ticks(ln_loop_t *loop);

/* Runs the uv loop until nothing referenced is left or ln_loop_stop() is
 * called; ticks run after every callback. Returns non-zero when stopped
 * with work left. */
int ln_loop_run(ln_loop_t *loop);
void ln_loop_stop(ln_loop_t *loop);

/* Milliseconds of the loop's clock (uv_now). */
static inline uint64_t ln_loop_now(ln_loop_t *loop) {
  return uv_now(&loop->uv);
}

#endif
