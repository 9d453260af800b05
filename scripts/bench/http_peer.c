/* The peer that luanet's HTTP server (http.lua) is measured against: the
 * same server written plainly in C on libuv. Every request read (up to
 * its blank line: wrk's keep-alive GETs have no body) gets one fixed
 * response, written as echo_peer.c writes (uv_try_write first, a copy
 * only of what the kernel did not take).
 *
 *   http_peer PORT      listens on 127.0.0.1:PORT until killed */
#include <stdlib.h>
#include <string.h>

#include <uv.h>

static const char response[] = "HTTP/1.1 200 OK\r\n"
                               "Content-Type: text/plain\r\n"
                               "Content-Length: 13\r\n"
                               "\r\n"
                               "Hello, World!";

typedef struct {
  uv_tcp_t tcp;
  int matched; /* how much of "\r\n\r\n" the bytes so far end with */
} conn_t;

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

static void respond(uv_stream_t *stream) {
  size_t n = sizeof(response) - 1;
  uv_buf_t out = uv_buf_init((char *)response, (unsigned)n);
  uv_write_t *req;
  int sent = uv_try_write(stream, &out, 1);
  if (sent == (int)n)
    return;
  if (sent < 0)
    sent = 0;
  if ((req = malloc(sizeof(*req) + n - (size_t)sent)) == NULL)
    abort();
  memcpy(req + 1, response + sent, n - (size_t)sent);
  out = uv_buf_init((char *)(req + 1), (unsigned)(n - (size_t)sent));
  uv_write(req, stream, &out, 1, on_write);
}

static void on_read(uv_stream_t *stream, ssize_t n, const uv_buf_t *buf) {
  conn_t *c = (conn_t *)stream;
  if (n < 0) {
    uv_close((uv_handle_t *)stream, on_close);
    return;
  }
  for (ssize_t i = 0; i < n; i++) {
    char ch = buf->base[i];
    if (ch == "\r\n\r\n"[c->matched])
      c->matched++;
    else
      c->matched = ch == '\r';
    if (c->matched == 4) {
      c->matched = 0;
      respond(stream);
    }
  }
}

static void on_connection(uv_stream_t *server, int status) {
  conn_t *client;
  if (status < 0 || (client = calloc(1, sizeof(*client))) == NULL)
    return;
  uv_tcp_init(server->loop, &client->tcp);
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
