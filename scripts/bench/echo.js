// The same echo server in Node, for comparison: every chunk read is
// written back; a connection reset is no reason to stop.
// node echo.js PORT
require('net').createServer((socket) => {
  socket.on('data', (data) => socket.write(data));
  socket.on('error', () => {});
}).listen(Number(process.argv[2]), '127.0.0.1');
