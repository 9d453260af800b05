/* The peer that luanet's echo server is measured against: the same echo
 * server written plainly in C on libuv, the way luanet's core writes
 * (uv_try_write first, a copy only of what the kernel did not take).
 *
 *   echo_peer PORT      listens on 127.0.0.1:PORT until killed */
#include <stdlib.h>
#include <string.h>

#include <uv.h>

static char buffer[65536];

static void on_alloc(uv_handle_t *handle, size_t hint, uv_buf_t *buf) {
  (void)handle, (void)hint;
  *buf = uv_buf_init(buffer, sizeof(buffer));
}

static void on_close(uv_handle_t *handle) {
  free(handle);
}

static void on_write(uv_write_t *req, int status) {
  (void)status;
  free(req);
}

static void on_read(uv_stream_t *stream, ssize_t n, const uv_buf_t *buf) {
  uv_buf_t out;
  uv_write_t *req;
  int sent;

  if (n < 0) {
    uv_close((uv_handle_t *)stream, on_close);
    return;
  }
  out = uv_buf_init(buf->base, (unsigned)n);
  sent = uv_try_write(stream, &out, 1);
  if (sent == n)
    return;
  if (sent < 0)
    sent = 0;
  if ((req = malloc(sizeof(*req) + (size_t)(n - sent))) == NULL)
    abort();
  memcpy(req + 1, buf->base + sent, (size_t)(n - sent));
  out = uv_buf_init((char *)(req + 1), (unsigned)(n - sent));
  uv_write(req, stream, &out, 1, on_write);
}

static void on_connection(uv_stream_t *server, int status) {
  uv_tcp_t *client;
  if (status < 0 || (client = malloc(sizeof(*client))) == NULL)
    return;
  uv_tcp_init(server->loop, client);
  if (uv_accept(server, (uv_stream_t *)client) == 0)
    uv_read_start((uv_stream_t *)client, on_alloc, on_read);
  else
    uv_close((uv_handle_t *)client, on_close);
}

int main(int argc, char **argv) {
  uv_tcp_t server;
  struct sockaddr_in addr;
  if (argc != 2)
    return 2;
  uv_tcp_init(uv_default_loop(), &server);
  uv_ip4_addr("127.0.0.1", atoi(argv[1]), &addr);
  if (uv_tcp_bind(&server, (struct sockaddr *)&addr, 0) != 0 ||
      uv_listen((uv_stream_t *)&server, 511, on_connection) != 0)
    return 1;
  return uv_run(uv_default_loop(), UV_RUN_DEFAULT);
}
