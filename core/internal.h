/* What the core's files share and the embedder does not see. */
#ifndef LN_INTERNAL_H
#define LN_INTERNAL_H

#include <stddef.h>

#include "decoder.h"
#include "ln.h"

#define ln__container_of(ptr, type, member)                                    \
  ((type *)((char *)(ptr) - offsetof(type, member)))

/* A write: the request, the embedder's token, and the bytes libuv could not
 * take at once: copied into data, so the caller's buffer is free when write
 * returns, or (a pinned write) the caller's own, kept by the caller until
 * the token is reported. */
typedef struct ln__write_s {
  uv_write_t req;
  struct ln__write_s *next;
  void *token;   /* the embedder's req, or NULL */
  char *base;    /* the bytes still to send: in data, or the caller's */
  size_t len;    /* how many */
  size_t counted; /* bytes counted in writable_length: the whole chunk
                     until it is all sent, as Node's state.length */
  int status;    /* for a write completed before its notification; or
                    HELD (writeq.c) while cork() holds it in more->queued */
  char data[];
} ln__write_t;

/* The most one uv_buf_t carries (its length is an unsigned int): longer
 * writes go to libuv in several buffers. */
#define LN__BUF_MAX ((size_t)1 << 30)

/* The first piece of len bytes at data that one uv_buf_t can carry. */
static inline uv_buf_t ln__buf(const char *data, size_t len) {
  return uv_buf_init((char *)data,
                     (unsigned)(len < LN__BUF_MAX ? len : LN__BUF_MAX));
}

/* The fields of a socket that an idle accepted connection never uses,
 * allocated (zeroed) the first time one is needed and freed when the
 * embedder lets go of the socket: every connection would otherwise carry
 * them (issue 14: memory per idle connection). */
typedef struct ln__more_s {
  struct ln__connect_s *connect; /* while connecting */
  struct ln__timeout_s *timeout; /* after ln_socket_set_timeout() */
  struct ln__file_s *file;       /* reading a file (ln_socket_open_stdio) */
  ln_wlist_t queued;             /* written before the connection was made */
  ln_wlist_t ending;             /* end() tokens, told at FINISH or CLOSE */
  char *rbuf;                    /* read but not yet delivered: the bytes */
  size_t rpos, rlen, rcap;       /* from rpos to rlen (ln_socket_take) */
  size_t need;                   /* a reader waits for this many bytes */
  uint32_t keepalive_delay;      /* seconds, applied on connect */
  struct ln__pipe_s *pipe;       /* piping what it reads (core/pipe.c) */
  struct ln__pipe_s *feeds;      /* the pipes writing to it */
  const char *error_syscall;     /* the call that failed, for s->error */
  ln_decoder_t decoder;          /* after ln_socket_set_encoding() */
} ln__more_t;

/* s->more, allocated if it was not yet. NULL when out of memory. */
ln__more_t *ln__more(ln_socket_t *s);

/* The connection attempt of s, or NULL. */
static inline struct ln__connect_s *ln__connecting(const ln_socket_t *s) {
  return s->more != NULL ? s->more->connect : NULL;
}

/* Whether s has writes queued while connecting; end() tokens. */
static inline int ln__has_queued(const ln_socket_t *s) {
  return s->more != NULL && s->more->queued.last != NULL;
}
static inline int ln__has_ending(const ln_socket_t *s) {
  return s->more != NULL && s->more->ending.last != NULL;
}

/* Allocates a write of len bytes, copied from data unless pinned (then
 * base points at data). NULL when out of memory. */
ln__write_t *ln__write_new(const char *data, size_t len, void *token,
                           int pinned);

/* Appends w to list. */
void ln__wlist_push(ln_wlist_t *list, ln__write_t *w);

/* Detaches and returns the whole of list, first write first. */
ln__write_t *ln__wlist_take(ln_wlist_t *list);

/* Opens s on a connection accepted from server's listening stream;
 * check_peer: a peer on the server's blockList is closed at once (not for
 * a connection behind a load balancer, whose client the header names).
 * Returns 0 or a libuv error (s is then not open). */
int ln__socket_accept(ln_socket_t *s, ln_server_t *server,
                      uv_stream_t *listener, int check_peer);

/* Starts s reading (unless paused) once the embedder has it. */
void ln__socket_start(ln_socket_t *s);

/* A connection accepted by server was destroyed. */
void ln__server_connection_ended(ln_server_t *server);

/* Closes a handle with its owner's closer, or plainly if it has none. */
void ln__close_handle(uv_handle_t *handle);

/* ---- sockets: what socket.c, read.c, writeq.c and connect.c share ---- */

/* The socket's flags (s->flags) */
#define SF_HANDLE 0x000001       /* s->h is initialised and must be closed */
#define SF_PIPE 0x000002         /* s->h is a uv_pipe_t */
#define SF_READING 0x000004      /* uv_read_start is in effect */
#define SF_FLOWING 0x000008      /* deliver data as it arrives */
#define SF_PAUSED 0x000010       /* pause(): read nothing */
#define SF_EOF 0x000020          /* the peer's FIN was read */
#define SF_END_EMITTED 0x000040  /* END delivered: no longer readable */
#define SF_ENDING 0x000080       /* end() called: no longer writable */
#define SF_SHUTDOWN 0x000100     /* uv_shutdown issued */
#define SF_FINISHED 0x000200     /* FINISH delivered */
#define SF_NEED_DRAIN 0x000400   /* write() said "full" */
#define SF_HALF_OPEN 0x000800    /* allowHalfOpen */
#define SF_HAD_ERROR 0x001000    /* destroyed with an error */
#define SF_UNREF 0x002000        /* does not keep the loop alive */
#define SF_NOT_READABLE 0x004000 /* { readable: false } */
#define SF_NOT_WRITABLE 0x008000 /* { writable: false } */
#define SF_RESET 0x010000        /* close with RST */
#define SF_NODELAY 0x020000      /* TCP_NODELAY, to apply once connected */
#define SF_KEEPALIVE 0x040000    /* SO_KEEPALIVE, to apply once connected */
#define SF_RELEASED 0x080000     /* the embedder let go: notify nothing */
#define SF_REOPEN 0x100000       /* closing only to try the next address */
#define SF_DECODING 0x200000     /* setEncoding(): DATA carries text */
#define SF_HOLD 0x400000         /* more notifications follow: active */
#define SF_PEER_KNOWN 0x800000   /* s->peer holds the peer's name */
#define SF_WANT_READABLE 0x2000000 /* READABLE for data kept, and at EOF */
#define SF_TICKING 0x4000000     /* in on_tick: work deferred now is done
                                    there, not queued again */
#define SF_READ_STARTED 0x1000000 /* reading began: pause() no longer stops
                                    it before the high-water mark */
#define SF_PIPE_HELD 0x8000000 /* a pipe's destination is full: reading
                                 waits for its drain (core/pipe.c) */

/* s->pending: what the next tick does, in this order. */
#define SP_CONNECT 0x01   /* connect to a numeric address */
#define SP_CONNECTED 0x02 /* a Unix connect that completed at once */
#define SP_FLOW 0x04      /* deliver buffered data, then END */
#define SP_WRITTEN 0x08   /* DRAIN, then WRITE for each finished write;
                             after destroy, fails the writes cork() held */
#define SP_FINISH 0x10    /* FINISH for a shutdown that completed at once */
#define SP_ENDW 0x20      /* end() after END without allowHalfOpen */
#define SP_ERROR 0x40     /* ERROR for s->error */
#define SP_CLOSE 0x80     /* CLOSE for a socket that had no handle */
#define SP_ENDCB 0x100    /* WRITE for end() requests, before ERROR */

static inline int ln__is_destroyed(const ln_socket_t *s) {
  return s->state >= LN_SOCKET_CLOSING;
}

/* socket.c */
/* Tells the embedder (nothing once it let go of s). e may be NULL. */
void ln__notify(ln_socket_t *s, ln_socket_event_t ev, const ln_event_t *e);
/* Queues work (SP_* bits) for s's next tick. */
void ln__defer(ln_socket_t *s, unsigned what);
/* Closes s (Node's destroy): ERROR for err (if not 0) on the next tick,
 * then CLOSE once libuv closed the handle. syscall names the failing
 * call for the error. Does nothing if already destroyed. */
void ln__destroy(ln_socket_t *s, int err, const char *syscall);
/* Records activity: the idle timeout starts again (Node's _unrefTimer). */
void ln__touch(ln_socket_t *s);
/* Initialises s->h as a pipe or TCP handle. Returns 0 or a libuv error. */
int ln__init_handle(ln_socket_t *s, int pipe);
/* Applies TCP_NODELAY and SO_KEEPALIVE as set before connecting. */
void ln__apply_options(ln_socket_t *s);
/* The close callback of s's handle. */
void ln__on_close(uv_handle_t *handle);

/* read.c */
/* Starts or stops reading from the kernel as the state wants. */
void ln__update_reading(ln_socket_t *s);
/* Node's read(0) once connected or accepted: reading starts, unless the
 * socket was paused before (then it starts at resume()). */
void ln__start_reading(ln_socket_t *s);
/* A socket over a file descriptor that is no socket (standard input from
 * a file or a device): open sets up the reads; release lets go of them
 * (a read in flight ends on its own). */
int ln__file_open(ln_socket_t *s, int fd);
void ln__file_release(ln_socket_t *s);
/* Delivers what is buffered, then END if the peer ended. */
void ln__flow(ln_socket_t *s);

/* writeq.c */
/* Reports w (finished at once, or failed) on the next tick. */
void ln__write_done(ln_socket_t *s, ln__write_t *w, int status);
/* Sends w, queued while connecting. */
void ln__send_write(ln_socket_t *s, ln__write_t *w);
/* DRAIN, then WRITE for each write done (the SP_WRITTEN tick). */
void ln__written(ln_socket_t *s);
/* FINISH, once end() was flushed and the FIN sent. */
void ln__finish(ln_socket_t *s);
/* Issues the shutdown of end() (FINISH follows). */
void ln__shutdown(ln_socket_t *s);
/* WRITE for every token in list with status (and base's details). */
void ln__report_all(ln_socket_t *s, ln_wlist_t *list, int status,
                    const ln_event_t *base);
/* Frees every write of list, reporting nothing. */
void ln__wlist_free(ln_wlist_t *list);

/* pipe.c */
/* Hands len bytes that src delivers to the destination it pipes to:
 * written (what the kernel does not take at once is copied), and src's
 * reads held while the destination is at its high-water mark. */
void ln__pipe_forward(ln_socket_t *src, const char *data, size_t len);
/* The write queue of dest drained: the sources held for it read again. */
void ln__pipe_drained(ln_socket_t *dest);
/* Stops every pipe from or to s (destroyed or let go). */
void ln__pipe_stop(ln_socket_t *s);

/* connect.c */
/* Tries the current address of s->connect. */
void ln__connect_attempt(ln_socket_t *s);
/* The connection is made: CONNECT, queued writes, READY. */
void ln__connected(ln_socket_t *s);
/* Lets go of a connection attempt (freed now or once libuv is done). */
void ln__connect_release(struct ln__connect_s *c);
/* The details of s->error for its ERROR notification. */
void ln__error_event(ln_socket_t *s, ln_event_t *e);

/* proxy.c and server.c: a connection behind a load balancer (proxy.h) */
/* Reads the header of sock, just accepted by its server (counted among its
 * connections, not reading). over: it came over maxConnections (DROP, not
 * CONNECTION, once the header told who it is). Ends in
 * ln__server_proxied(), or in nothing if the loop closes first. */
void ln__proxy_start(ln_socket_t *sock, int over);

/* The header of sock was read (error NULL: its peer is now the client's,
 * unless the header had none) or failed (error says why): the server
 * closes it (blockList, maxConnections, PROXY_ERROR) or announces it. */
void ln__server_proxied(ln_server_t *s, ln_socket_t *sock, int over,
                        const char *error);

/* unix.c */
/* The bytes of sun_path: a Unix socket name longer is cut to them. */
#define LN__SUN_PATH_MAX sizeof(((struct sockaddr_un *)0)->sun_path)
/* A non-blocking Unix socket bound or connected (op: bind or connect) to
 * the name path (len bytes; its first LN__SUN_PATH_MAX, no NUL needed
 * after them; one starting with a NUL is in the abstract namespace).
 * Returns the descriptor, or a negative libuv error (-errno). */
int ln__unix_fd(const char *path, size_t len,
                int (*op)(int, const struct sockaddr *, socklen_t));

#endif
