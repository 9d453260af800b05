// The same echo server in Node, for comparison when node is installed.
require('net').createServer((socket) => {
  socket.on('data', (data) => socket.write(data));
}).listen(Number(process.argv[2]), '127.0.0.1');
