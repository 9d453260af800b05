/* Error codes. Core functions return 0 or a negative code: libuv's codes are
 * passed through unchanged (they are Node's `errno` values too); the errors
 * Node raises from its own JavaScript get codes of their own, below libuv's
 * range, from the table below. */
#ifndef LN_ERROR_H
#define LN_ERROR_H

/* XX(name, Node code, message): every error the core produces itself. */
#define LN_ERRNO_MAP(XX)                                                       \
  XX(WRITE_AFTER_END, "ERR_STREAM_WRITE_AFTER_END", "write after end")         \
  XX(DESTROYED, "ERR_STREAM_DESTROYED",                                        \
     "Cannot call write after a stream was destroyed")                         \
  XX(DESTROYED_END, "ERR_STREAM_DESTROYED",                                    \
     "Cannot call end after a stream was destroyed")                           \
  XX(ALREADY_FINISHED, "ERR_STREAM_ALREADY_FINISHED",                          \
     "Cannot call end after a stream was finished")                            \
  XX(SOCKET_CLOSED, "ERR_SOCKET_CLOSED", "Socket is closed")                   \
  XX(CLOSED_BEFORE_CONNECTION, "ERR_SOCKET_CLOSED_BEFORE_CONNECTION",          \
     "Socket closed before the connection was established")                    \
  XX(CONNECTION_TIMEOUT, "ERR_SOCKET_CONNECTION_TIMEOUT",                      \
     "Socket connection timeout")                                              \
  XX(NOT_RUNNING, "ERR_SERVER_NOT_RUNNING", "Server is not running.")          \
  XX(ALREADY_LISTEN, "ERR_SERVER_ALREADY_LISTEN",                              \
     "Listen method has been called more than once without closing.")          \
  XX(ENDED_BY_PEER, "EPIPE", "This socket has been ended by the other party")  \
  XX(INVALID_FD_TYPE, "ERR_INVALID_FD_TYPE", "Unsupported fd type")            \
  XX(IP_BLOCKED, "ERR_IP_BLOCKED", "is blocked by net.BlockList")              \
  XX(USER, "ERR_USER", "an error given by the embedder")

typedef enum {
  LN__ERR_BASE = -5000,
#define XX(name, code, msg) LN_E##name,
  LN_ERRNO_MAP(XX)
#undef XX
  LN__ERR_END
} ln_errno_t;

/* The code Node gives err: "ECONNREFUSED", "ERR_STREAM_WRITE_AFTER_END".
 * Never NULL. */
const char *ln_err_code(int err);

/* The message: libuv's text for a system error ("address already in use"),
 * Node's message for the core's own. Never NULL. */
const char *ln_err_message(int err);

/* Non-zero for a system error (one that has an `errno` in Node). */
int ln_err_is_system(int err);

#endif
