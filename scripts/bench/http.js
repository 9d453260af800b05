// The same HTTP server in Node, for comparison: one fixed response for
// every request read (up to its blank line); a connection reset is no
// reason to stop. node http.js PORT
const response = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n' +
  'Content-Length: 13\r\n\r\nHello, World!');
require('net').createServer((socket) => {
  let pending = '';
  socket.on('data', (data) => {
    pending += data.toString('latin1');
    let from = 0, last;
    while ((last = pending.indexOf('\r\n\r\n', from)) !== -1) {
      socket.write(response);
      from = last + 4;
    }
    pending = pending.slice(from);
  });
  socket.on('error', () => {});
}).listen(Number(process.argv[2]), '127.0.0.1');
