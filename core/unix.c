/* Unix socket names as Node 22's libuv takes them (without
 * UV_PIPE_NO_TRUNCATE): a name longer than sun_path is cut to its first
 * LN__SUN_PATH_MAX bytes, with no NUL after them, and a name in Linux's
 * abstract namespace starts with a NUL. libuv 1.44 binds and connects
 * neither (it keeps a byte less, and stops at the NUL), so the server and
 * the connect path make those sockets here. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "internal.h"

int ln__unix_fd(const char *path, size_t len,
                int (*op)(int, const struct sockaddr *, socklen_t)) {
  struct { /* a NUL after sun_path: a name that fills it is still a */
    struct sockaddr_un sun; /* string to what reads one (valgrind) */
    char nul;
  } a;
  int fd, err;

  if (len > LN__SUN_PATH_MAX)
    len = LN__SUN_PATH_MAX;
  memset(&a, 0, sizeof(a));
  a.sun.sun_family = AF_UNIX;
  memcpy(a.sun.sun_path, path, len);
  fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    return -errno;
  if (op(fd, (struct sockaddr *)&a.sun,
         (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)) != 0) {
    err = -errno;
    close(fd);
    return err;
  }
  return fd;
}
