// Node's side of fuzz/node/run (see compare.lua): the same lines, the
// same figures, with Node 22's util.format and listen()'s port check.
const util = require('util'), net = require('net'), fs = require('fs');
const lines = fs.readFileSync(__dirname + '/numbers.txt', 'utf8').split('\n');
for (const s of lines.slice(0, -1)) {
  let port;
  const server = net.createServer();
  try {
    server.listen({ port: s, host: '127.0.0.1' });
    port = String(+s);
  } catch (e) {
    port = e.code;
  }
  server.close(() => {});
  console.log(`${util.format('%j', s)} | ${util.format('%d %i %f', s, s, s)} | port ${port}`);
}
