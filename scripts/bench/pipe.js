// The same pipe() echo server in Node, for comparison: every connection
// is piped into itself; a connection reset is no reason to stop.
// node pipe.js PORT
require('net').createServer((socket) => {
  socket.pipe(socket);
  socket.on('error', () => {});
}).listen(Number(process.argv[2]), '127.0.0.1');
