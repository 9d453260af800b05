#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loop.h"
#include "ln.h"

#define OWN_MAX ((int)(sizeof(((ln_loop_t *)0)->own_fds) / sizeof(int)))

int ln_loop_init(ln_loop_t *loop, const ln_hooks_t *hooks, void *data) {
  int free_fds[OWN_MAX], n = 0, err;

  memset(loop, 0, offsetof(ln_loop_t, rbuf));
  loop->hooks = hooks;
  loop->data = data;
  loop->ticks_tail = &loop->ticks;
  /* Descriptors are allocated lowest first: those among the lowest free
   * ones that are open after uv_loop_init are libuv's (some, like the
   * signal lock pipe, are found nowhere in the loop's fields). */
  if ((free_fds[0] = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
    for (n = 1; n < OWN_MAX; n++)
      if ((free_fds[n] = fcntl(free_fds[0], F_DUPFD_CLOEXEC, 0)) < 0)
        break;
  for (int i = 0; i < n; i++)
    close(free_fds[i]);
  if ((err = uv_loop_init(&loop->uv)) != 0)
    return err;
  for (int i = 0; i < n; i++)
    if (fcntl(free_fds[i], F_GETFD) >= 0)
      loop->own_fds[loop->own_count++] = free_fds[i];
  return 0;
}

typedef struct {
  int fd, found;
} fd_search_t;

static void find_fd(uv_handle_t *handle, void *arg) {
  fd_search_t *search = arg;
  uv_os_fd_t fd;
  if (!uv_is_closing(handle) && uv_fileno(handle, &fd) == 0 &&
      fd == search->fd)
    search->found = 1;
}

int ln_loop_owns_fd(ln_loop_t *loop, int fd) {
  uv_loop_t *uv = &loop->uv;
  fd_search_t search = {fd, 0};

  if (fd < 0)
    return 0;
  for (int i = 0; i < loop->own_count; i++)
    if (loop->own_fds[i] == fd)
      return 1;
  /* libuv's private fields, stable across 1.x on Unix. */
  if (fd == uv_backend_fd(uv) || fd == uv->signal_pipefd[0] ||
      fd == uv->signal_pipefd[1] || fd == uv->async_wfd ||
      ((unsigned)fd < uv->nwatchers && uv->watchers[fd] != NULL))
    return 1;
  uv_walk(uv, find_fd, &search);
  return search.found;
}

void ln_loop_defer(ln_loop_t *loop, ln_tick_t *tick, ln_tick_cb cb) {
  if (tick->cb != NULL)
    return;
  tick->cb = cb;
  tick->next = NULL;
  *loop->ticks_tail = tick;
  loop->ticks_tail = &tick->next;
}

void ln_loop_run_ticks(ln_loop_t *loop) {
  loop->depth++;
  while (loop->ticks != NULL) {
    ln_tick_t *tick = loop->ticks;
    ln_tick_cb cb = tick->cb;
    loop->ticks = tick->next;
    if (loop->ticks == NULL)
      loop->ticks_tail = &loop->ticks;
    tick->next = NULL;
    tick->cb = NULL; /* may be queued again from cb */
    cb(tick);
  }
  loop->depth--;
}

void ln_loop_enter(ln_loop_t *loop) {
  loop->depth++;
}

void ln_loop_leave(ln_loop_t *loop) {
  if (--loop->depth == 0 && loop->ticks != NULL)
    ln_loop_run_ticks(loop);
}

int ln_loop_run(ln_loop_t *loop) {
  ln_loop_enter(loop);
  ln_loop_leave(loop);
  return uv_run(&loop->uv, UV_RUN_DEFAULT);
}

void ln_loop_stop(ln_loop_t *loop) {
  uv_stop(&loop->uv);
}

static void silent_socket_event(ln_socket_t *s, ln_socket_event_t ev,
                                const ln_event_t *e) {
  (void)s, (void)ev, (void)e;
}

static void silent_server_event(ln_server_t *s, ln_server_event_t ev,
                                const ln_event_t *e) {
  (void)s, (void)ev, (void)e;
}

static ln_socket_t *silent_socket_new(ln_server_t *s) {
  (void)s;
  return NULL;
}

static const ln_hooks_t silent_hooks = {
    silent_socket_event, silent_server_event, silent_socket_new};

static void close_walk_cb(uv_handle_t *handle, void *all) {
  const ln_close_fn *close = handle->data;
  if (uv_is_closing(handle))
    return;
  if (close != NULL)
    (*close)(handle);
  else if (all != NULL)
    uv_close(handle, NULL);
}

void ln_loop_close_all(ln_loop_t *loop) {
  ln_loop_enter(loop);
  uv_walk(&loop->uv, close_walk_cb, NULL);
  ln_loop_leave(loop);
}

void ln_loop_close(ln_loop_t *loop) {
  loop->hooks = &silent_hooks;
  /* What was scheduled still runs, told to no one: a released object's
   * last tick or close callback is where it frees what it holds (a
   * socket's timeout, writes and pipe in ln__more; the writes done but
   * not yet reported). Running them may close or open more (a socket's
   * tick can queue another): round again until nothing is left. */
  do {
    uv_walk(&loop->uv, close_walk_cb, loop);
    ln_loop_run_ticks(loop);
    while (uv_run(&loop->uv, UV_RUN_DEFAULT) != 0)
      ;
  } while (loop->ticks != NULL || uv_loop_close(&loop->uv) == UV_EBUSY);
  free(loop->tbuf);
  loop->tbuf = NULL;
  loop->tcap = 0;
}
