/* The load of the echo benchmark: CONNECTIONS connections to
 * 127.0.0.1:PORT, each sending a SIZE-byte message and waiting for its
 * echo, ROUNDS times. Plain blocking sockets and poll(), so that the load
 * costs the same whatever the server is.
 *
 *   echo_client PORT CONNECTIONS ROUNDS SIZE     exits 0 when all are done */
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
  static char message[65536], buf[65536];
  struct sockaddr_in addr = {0};
  struct pollfd *fds;
  int *got, *left, n, rounds, size, active;

  if (argc != 5)
    return 2;
  n = atoi(argv[2]);
  rounds = atoi(argv[3]);
  size = atoi(argv[4]);
  if (n <= 0 || rounds <= 0 || size <= 0 || size > (int)sizeof(message))
    return 2;
  fds = calloc((size_t)n, sizeof(*fds));
  got = calloc((size_t)n, sizeof(int));
  left = calloc((size_t)n, sizeof(int));
  if (fds == NULL || got == NULL || left == NULL)
    return 1;
  memset(message, 'x', sizeof(message));
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)atoi(argv[1]));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int i = 0; i < n; i++) {
    int one = 1;
    fds[i].fd = socket(AF_INET, SOCK_STREAM, 0);
    fds[i].events = POLLIN;
    setsockopt(fds[i].fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(fds[i].fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
      perror("echo_client: connect");
      return 1;
    }
    left[i] = rounds;
    if (write(fds[i].fd, message, (size_t)size) != size)
      return 1;
  }
  for (active = n; active > 0;) {
    if (poll(fds, (nfds_t)n, 10000) <= 0) {
      fprintf(stderr, "echo_client: no echo for 10 s\n");
      return 1;
    }
    for (int i = 0; i < n; i++) {
      ssize_t r;
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      if ((r = read(fds[i].fd, buf, sizeof(buf))) <= 0) {
        fprintf(stderr, "echo_client: connection lost\n");
        return 1;
      }
      got[i] += (int)r;
      if (got[i] < size)
        continue;
      got[i] -= size;
      if (--left[i] == 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        active--;
      } else if (write(fds[i].fd, message, (size_t)size) != size) {
        return 1;
      }
    }
  }
  return 0;
}
