// The primary store: an in-memory TCP line service. `SET <id> <value>` → `OK`,
// `GET <id>` → `VAL <value>` or `NONE`. `node store.mjs <port>`
import { createServer } from 'node:net';

const port = Number(process.argv[2]);
const records = new Map();

createServer((sock) => {
  let buf = '';
  sock.on('error', () => sock.destroy());
  sock.on('data', (chunk) => {
    buf += chunk;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const [cmd, id, ...rest] = buf.slice(0, nl).split(' ');
      buf = buf.slice(nl + 1);
      if (cmd === 'SET') {
        records.set(id, rest.join(' '));
        sock.write('OK\n');
      } else if (cmd === 'GET') {
        sock.write(records.has(id) ? `VAL ${records.get(id)}\n` : 'NONE\n');
      } else {
        sock.write('ERR\n');
      }
    }
  });
}).listen(port, '127.0.0.1');
