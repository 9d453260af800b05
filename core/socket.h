/* ln_socket_t: one stream connection (TCP or Unix domain), with Node's
 * net.Socket behaviour: connection states, buffered reads with a high-water
 * mark, a write queue with back-pressure, half-open ends, idle timeouts and
 * Node-ordered notifications.
 *
 * Memory: the embedder allocates the ln_socket_t and keeps it valid until
 * the LN_SOCKET_EV_CLOSE notification of every connect() it made (or for as
 * long as ln_socket_is_active() says so). The core allocates only what a
 * connection needs beyond that, and frees it in libuv's close callbacks.
 *
 * Notifications go to the loop's hooks->socket_event. The embedder may call
 * any function here from inside one, including ln_socket_destroy(); the core
 * checks its state again after every notification it makes.
 */
#ifndef LN_SOCKET_H
#define LN_SOCKET_H

#include <stdint.h>

#include "addr.h"
#include "blocklist.h"
#include "decoder.h"
#include "loop.h"

typedef struct ln_socket_s ln_socket_t;
typedef struct ln_server_s ln_server_t;

/* A list of writes (core/writeq.c): the last, whose next is the first. */
typedef struct {
  struct ln__write_s *last;
} ln_wlist_t;

/* Notifications, in the order Node emits the matching events. */
typedef enum {
  LN_SOCKET_EV_LOOKUP,  /* a name was resolved: status, address, family, host */
  LN_SOCKET_EV_ATTEMPT, /* connecting to address, port, family (TCP); attempts
                           is the number of addresses when each of a name's
                           is tried (Node's autoSelectFamily), else 0 */
  LN_SOCKET_EV_ATTEMPT_FAILED,  /* that attempt failed: status, syscall (for
                                   a Unix socket, address is its path) */
  LN_SOCKET_EV_ATTEMPT_TIMEOUT, /* that attempt took too long: the next
                                   address is tried */
  LN_SOCKET_EV_CONNECT, /* connected: Node's 'connect' */
  LN_SOCKET_EV_READY,   /* then 'ready', after the WRITE of each write made
                           while connecting that the kernel took at once */
  LN_SOCKET_EV_DATA,    /* data, len: bytes read, or text after
                           ln_socket_set_encoding (valid during the call) */
  LN_SOCKET_EV_READABLE, /* not flowing: more is buffered, or the peer's FIN
                            came after what is buffered; only after
                            ln_socket_want_readable (Node's 'readable') */
  LN_SOCKET_EV_END,     /* the peer ended and every byte was delivered */
  LN_SOCKET_EV_DRAIN,   /* the write queue emptied after write() said full */
  LN_SOCKET_EV_WRITE,   /* a write or end() with a req token is done: req,
                           status; for a failure the other fields are those
                           of the ERROR that caused it, if any */
  LN_SOCKET_EV_FINISH,  /* end() done: every write flushed, FIN sent */
  LN_SOCKET_EV_TIMEOUT, /* idle for the time given to ln_socket_set_timeout */
  LN_SOCKET_EV_ERROR,   /* status, syscall, address, port, host */
  LN_SOCKET_EV_CLOSE    /* closed; status is 1 if it closed with an error */
} ln_socket_event_t;

/* What a notification carries; fields not listed for it are zero. */
typedef struct {
  int status;
  const char *syscall;  /* "connect", "read", "write", "getaddrinfo"... */
  const char *address;  /* peer address or path (ERROR, LOOKUP) */
  int port;
  int family;           /* 4 or 6 (LOOKUP) */
  const char *host;     /* the name looked up (LOOKUP, getaddrinfo ERROR) */
  const char *local_address; /* for an ERROR of a bound connect */
  int local_port;
  const char *data;     /* DATA */
  size_t len;
  void *req;            /* WRITE: the token given to ln_socket_write() */
  ln_socket_t *socket;  /* a server's CONNECTION */
  ln_server_t *server;  /* CLOSE: the server that accepted it, if any */
  int index;            /* ATTEMPT*: which address of the name, from 0 */
  int attempts;         /* ERROR: > 1 when every address of a name failed;
                           see ln_socket_attempt() */
} ln_event_t;

typedef enum {
  LN_SOCKET_IDLE,       /* never connected */
  LN_SOCKET_CONNECTING, /* looking up or connecting */
  LN_SOCKET_OPEN,       /* connected; flags tell which halves are open */
  LN_SOCKET_CLOSING,    /* destroyed; waiting for libuv's close callback */
  LN_SOCKET_CLOSED      /* 'close' delivered; connect() may reuse it */
} ln_socket_state_t;

/* Options given to ln_socket_init(). */
#define LN_SOCKET_ALLOW_HALF_OPEN 0x1 /* do not end when the peer ends */
#define LN_SOCKET_NOT_READABLE 0x2    /* Node's { readable: false } */
#define LN_SOCKET_NOT_WRITABLE 0x4    /* Node's { writable: false } */

/* Node 22's default highWaterMark for a net.Socket, in bytes. */
#define LN_DEFAULT_HIGH_WATER_MARK 65536

/* Fields in order of size, the handle last: a socket that can only ever
 * hold a TCP connection is allocated without the room a uv_pipe_t needs
 * beyond a uv_tcp_t (ln_socket_size). An idle accepted connection costs
 * this struct (issue 14: memory per connection): what few connections use
 * is in more. */
struct ln_socket_s {
  ln_loop_t *loop;
  ln_server_t *server;           /* the server that accepted it, if any,
                                    until CLOSE (which carries it) */
  struct ln__more_s *more;       /* what few connections use, made on first
                                    use (core/internal.h), or NULL */
  struct sockaddr_in6 *peer;     /* the peer's name, once read (TCP) */
  ln_wlist_t done;               /* finished, to report on the next tick */
  size_t writable_length;        /* bytes written but not yet flushed */
  uint64_t bytes_read, bytes_written;
  ln_tick_t tick;
  uint32_t read_hwm, write_hwm;  /* high-water marks, bytes */
  uint32_t flags;
  int16_t error;                 /* the error to deliver, once destroyed:
                                    every libuv and LN_E* code fits (its
                                    syscall, in more) */
  uint16_t pending;              /* work for the next tick */
  uint8_t state;                 /* ln_socket_state_t */
  uint8_t tcp_only;              /* allocated for TCP (ln_socket_size) */
  uint16_t corked;               /* cork() calls not yet uncorked (in what
                                    was padding: no cost to a connection) */
  int ref;                       /* the embedder's (the bindings: their
                                    registry reference): the core neither
                                    reads it nor clears it */
  union {
    uv_handle_t handle;
    uv_stream_t stream;
    uv_tcp_t tcp;
    uv_pipe_t pipe;              /* absent from a socket of TCP size */
  } h;
};

/* Where a connection goes (ln_socket_connect). */
typedef struct {
  const char *host;          /* name or numeric address; "localhost" if NULL */
  int port;                  /* 0-65535 */
  const char *path;          /* a Unix socket instead of host and port */
  size_t path_len;           /* may hold a leading NUL (abstract namespace) */
  const char *local_address; /* numeric, or NULL */
  int local_port;
  int family;                /* 0 (any), 4 or 6 */
  int no_auto_select;        /* 1: try only the first address found */
  unsigned attempt_timeout;  /* ms per address when several; 250 if 0 */
  ln_blocklist_t *block_list; /* addresses refused (ERR_IP_BLOCKED), or
                                 NULL; the core keeps a reference while
                                 it connects */
} ln_connect_opts_t;

/* Initialises s (embedder memory, any content) as a socket of loop that is
 * not connected; s->ref is left as it is. flags: LN_SOCKET_* options.
 * Cannot fail. */
void ln_socket_init(ln_loop_t *loop, ln_socket_t *s, unsigned flags);

/* The bytes to allocate for an ln_socket_t: for a connection that server
 * accepts (the loop's hooks->socket_new), only what its kind of handle
 * needs (a uv_tcp_t is 16 bytes smaller than a uv_pipe_t on Linux); for
 * any other socket (server NULL), sizeof(ln_socket_t). A socket of TCP
 * size can connect again once closed, but only over TCP: a connect to a
 * path fails with EINVAL. */
size_t ln_socket_size(const ln_server_t *server);

/* Starts connecting: a Unix path, a numeric address (connect on the next
 * tick, as Node does), or a name (resolved first, one LOOKUP per address,
 * then each address tried in turn as Node 20's autoSelectFamily does).
 * Valid when the socket is IDLE or CLOSED. Returns 0, UV_EINVAL for a bad
 * option, UV_EISCONN / UV_EALREADY when connected or connecting; failures
 * to connect arrive as ERROR then CLOSE. Writes and end() are queued until
 * the connection is made. */
int ln_socket_connect(ln_socket_t *s, const ln_connect_opts_t *opts);

/* Wraps an already open file descriptor (a connected TCP or Unix stream
 * socket). Returns 0, or a libuv error (UV_EBADF...; UV_EEXIST for a
 * descriptor the loop owns, see ln_loop_owns_fd), or LN_EINVALID_FD_TYPE
 * when fd is not a stream socket. */
int ln_socket_open(ln_socket_t *s, int fd);

/* Opens a readable fd of any kind, as Node's process.stdin reads it: a
 * pipe or socket as ln_socket_open does; a terminal as a stream over a
 * file description of its own (so that non-blocking mode does not reach
 * the processes sharing the terminal: libuv's uv_tty_init does the same);
 * a file or device by reads on libuv's thread pool, up to the end of file.
 * The socket is not writable; a file keeps fd open when it closes.
 * Returns 0 or a libuv error. */
int ln_socket_open_stdio(ln_socket_t *s, int fd);

/* Writes len bytes of data (copied when they cannot all go to the kernel
 * at once). req, if not NULL, comes back in a WRITE notification when the
 * bytes reached the kernel or failed, always after this call returns.
 * Returns 1 while writable_length stays below the high-water mark, 0 when
 * the caller should wait for DRAIN, or a negative error:
 * LN_EWRITE_AFTER_END / LN_EENDED_BY_PEER after end() (the socket is then
 * destroyed with that error, as Node does), LN_EDESTROYED after destroy()
 * (nothing else happens). A failed write still reports req. */
int ln_socket_write(ln_socket_t *s, const char *data, size_t len, void *req);

/* As ln_socket_write, but nothing is copied: data must stay valid and
 * unchanged until req (not NULL) is reported in a WRITE notification,
 * whatever happens to the socket. For large writes, where pinning the
 * caller's bytes costs less than a copy. */
int ln_socket_write_pinned(ln_socket_t *s, const char *data, size_t len,
                           void *req);

/* Whether a write() said "full" and its 'drain' is still owed, the socket
 * neither ending nor destroyed (Node's writable.writableNeedDrain). */
int ln_socket_need_drain(const ln_socket_t *s);

/* Node's cork() and uncork(): while s->corked is above 0, writes are held
 * (counted in writable_length and in write()'s answer as usual, sent on
 * neither connect nor the next tick); the uncork() that brings it to 0
 * sends them together, one writev with one completion for them all (the
 * WRITE of each follows in order, as Node's _writev calls back), or, while
 * connecting, lets them go at the connection as any write made then; on a
 * socket that never connected they fail with LN_ESOCKET_CLOSED, which
 * destroys it. end() uncorks fully. On destroy, held writes get the
 * socket's error, or LN_EDESTROYED, in a WRITE each on the next tick
 * (before ERROR), or once the write in flight is done. uncork() at 0 does
 * nothing; cork() counts up to 65535 and stays there. */
void ln_socket_cork(ln_socket_t *s);
void ln_socket_uncork(ln_socket_t *s);

/* The cork count (Node's writableCorked). */
unsigned ln_socket_corked(const ln_socket_t *s);

/* Ends the writable side once queued writes are flushed (Node's end()):
 * FINISH follows the shutdown; a second call adds nothing but its req.
 * req, if not NULL, comes back in a WRITE notification, as Node calls
 * end's callback: status 0 just before FINISH; when it closes unfinished,
 * the socket's error (or LN_EDESTROYED_END) before ERROR if no write is
 * in flight, else just before CLOSE; LN_EALREADY_FINISHED or
 * LN_EDESTROYED_END on the next tick when called after FINISH, or after
 * destroy(err) or a first end(). Returns 0, or an error when req will
 * never be reported (the embedder frees it): LN_EDESTROYED_END for the
 * first end() after a destroy without an error (Node never calls that
 * callback), UV_ENOMEM. */
int ln_socket_end(ln_socket_t *s, void *req);

/* Closes the socket at once (Node's destroy([err])). err is 0 or the error
 * to deliver (LN_EUSER for one the embedder keeps itself); then CLOSE.
 * Does nothing if already destroyed. */
void ln_socket_destroy(ln_socket_t *s, int err);

/* Closes with a TCP RST instead of a FIN (Node's resetAndDestroy()), once
 * connected if still connecting. Returns 0 or UV_ENOTSUP for a Unix
 * socket. */
int ln_socket_reset(ln_socket_t *s);

/* Stops delivering data (Node's pause()): reading from the kernel goes on
 * up to the high-water mark, so the peer's FIN is still seen (Node's
 * Readable), unless the socket was paused before it first read. */
void ln_socket_pause(ln_socket_t *s);

/* Delivers what is buffered (on the next tick) and then reads as data
 * arrives (Node's resume(), also what adding a 'data' listener does). */
void ln_socket_resume(ln_socket_t *s);

/* Node's src.pipe(dest) for a socket destination, in the core: every DATA
 * of src (still notified) is also written to dest, with no copy when the
 * kernel takes it at once; while dest's writable_length is at or above
 * its high-water mark, src reads nothing more until dest drains. The pipe
 * stops at ln_socket_unpipe(src), or when either socket is destroyed or
 * let go. Does not resume src nor end dest: the embedder does (Node's
 * pipe() resumes, and ends dest at src's END). Returns 0, UV_EBUSY when
 * src already pipes, UV_EINVAL when either is destroyed, UV_ENOMEM. */
int ln_socket_pipe(ln_socket_t *src, ln_socket_t *dest);

/* Stops the pipe of src, if any; src reads again if the pipe held it. */
void ln_socket_unpipe(ln_socket_t *src);

/* Sequential reads, on the buffer that DATA flows from while the socket is
 * not flowing (Node's readable.read()). ln_socket_buffered points *data
 * at the bytes buffered (valid until the next call into the core) and
 * returns how many; ln_socket_take drops the first n (END follows once
 * the peer ended and nothing is left; reading goes on below the
 * high-water mark); ln_socket_need reads on until n bytes are buffered,
 * past the high-water mark if need be (0: back to the mark), and starts
 * reading (returns 0 or UV_ENOMEM); ln_socket_want_readable asks for
 * READABLE notifications; ln_socket_ended tells whether the peer's FIN
 * was read. */
size_t ln_socket_buffered(const ln_socket_t *s, const char **data);
void ln_socket_take(ln_socket_t *s, size_t n);
int ln_socket_need(ln_socket_t *s, size_t n);
void ln_socket_want_readable(ln_socket_t *s, int want);
int ln_socket_ended(const ln_socket_t *s);
/* Whether END was delivered (Node's readableEnded). */
int ln_socket_end_emitted(const ln_socket_t *s);

/* Whether the embedder wants data: not paused. Node's flowing !== false. */
int ln_socket_is_paused(const ln_socket_t *s);

/* Whether s flows: resumed and not paused since (Node's readableFlowing
 * == true). */
int ln_socket_flowing(const ln_socket_t *s);

/* Node's setEncoding(enc): from the next DATA on, data is text decoded as
 * enc (an ln_encoding_t; see decoder.h) says, UTF-8, never with a character
 * split across two DATA (the rest of one waits for the next read), and what
 * is still held when the peer ends comes as a last DATA before END. A
 * second call starts a fresh decoder, as Node's does. Returns 0, or
 * UV_ENOMEM (the decoder lives in memory allocated on first use: nothing
 * changes then). */
int ln_socket_set_encoding(ln_socket_t *s, int enc);

/* The encoding given to ln_socket_set_encoding, or -1 (bytes). */
int ln_socket_encoding(const ln_socket_t *s);

/* Idle timeout in ms, 0 for none: TIMEOUT after ms without a read or a
 * write, again after the next activity. Returns 0 or a libuv error. */
int ln_socket_set_timeout(ln_socket_t *s, uint64_t ms);
uint64_t ln_socket_get_timeout(const ln_socket_t *s);

/* TCP_NODELAY and SO_KEEPALIVE (delay in seconds). On a socket that is not
 * connected yet they apply once it is; as Node, a call that changes
 * nothing (the same flag, and delay) makes no system call. Returns 0 or a
 * libuv error. */
int ln_socket_set_nodelay(ln_socket_t *s, int enable);
int ln_socket_set_keepalive(ln_socket_t *s, int enable, unsigned delay);

/* Whether an open socket keeps the loop alive. */
void ln_socket_ref(ln_socket_t *s);
void ln_socket_unref(ln_socket_t *s);

/* The local (peer == 0) or remote address. Returns 0, or UV_ENOTCONN when
 * the socket has none (not connected, or closed). As Node's, the remote
 * address of a TCP socket is kept from the first time it is read while
 * connected: it still reads after CLOSE, until the next connect. */
int ln_socket_address(ln_socket_t *s, int peer, ln_addr_t *out);

/* During an ERROR with e->attempts > 1: how attempt i (0-based) failed,
 * its status, syscall, address and port in out (the address text in
 * *address). Returns 0 or UV_EINVAL. */
int ln_socket_attempt(const ln_socket_t *s, int i, ln_event_t *out,
                      ln_addr_t *address);

/* The descriptor of an open socket, or -1 (for listen(socket)). */
int ln_socket_fileno(const ln_socket_t *s);

/* Node's fields, computed from the state. */
int ln_socket_connecting(const ln_socket_t *s);
int ln_socket_pending(const ln_socket_t *s);
int ln_socket_destroyed(const ln_socket_t *s);
int ln_socket_readable(const ln_socket_t *s);
int ln_socket_writable(const ln_socket_t *s);
int ln_socket_is_pipe(const ln_socket_t *s);
int ln_socket_allow_half_open(const ln_socket_t *s);
/* "opening", "open", "readOnly", "writeOnly" or "closed". */
const char *ln_socket_ready_state(const ln_socket_t *s);

/* Whether the core may still call back about s: connecting, open, closing,
 * a notification queued, or an idle timeout armed (Node fires 'timeout'
 * even on a socket that never connected). The embedder keeps s alive
 * while it is, and checks again after every call it makes. */
int ln_socket_is_active(const ln_socket_t *s);

/* Called by the embedder when it drops s for good (its finaliser). An
 * inactive socket is released at once; an active one (only at shutdown)
 * is closed without any further notification. */
void ln_socket_release(ln_socket_t *s);

#endif
