// Compares luanet's isIP with Node's on a fuzz corpus: reads the lines
// "family<TAB>hex of the input" that fuzz_addr prints with FUZZ_PRINT=1
// and prints each input where Node's net.isIP differs, then a count.
//   FUZZ_PRINT=1 build-fuzz/fuzz/fuzz_addr -runs=0 DIR... 2>/dev/null |
//     node fuzz/node/isip.js       (node: Node 22; fuzz/node/run does it)
const net = require('net');
const lines = require('fs').readFileSync(0, 'latin1').split('\n');
let inputs = 0, differ = 0;
for (const line of lines) {
  const m = /^([046])\t([0-9a-f]*)$/.exec(line);
  if (!m) continue;
  inputs++;
  // The bytes as a JavaScript string, as luanet's Lua string holds them
  // (UTF-8 decoded; Node's isIP reads a string).
  const s = Buffer.from(m[2], 'hex').toString('utf8');
  const node = net.isIP(s);
  if (node !== Number(m[1])) {
    differ++;
    if (differ <= 20) console.log(`luanet ${m[1]} node ${node}: ${JSON.stringify(s)}`);
  }
}
console.log(`${inputs} inputs, ${differ} differ from Node ${process.version}`);
process.exitCode = differ > 0 ? 1 : 0;
