// The quotes backend: a TCP line service. `QUOTE <symbol>` is answered with a price.
// `node quotes.mjs <port>`
import { createServer } from 'node:net';

const port = Number(process.argv[2]);
const QUOTES = { ACME: '101.25', INITECH: '12.50' };

createServer((sock) => {
  let buf = '';
  sock.on('error', () => sock.destroy());
  sock.on('data', (chunk) => {
    buf += chunk;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const [cmd, symbol] = buf.slice(0, nl).trim().split(' ');
      buf = buf.slice(nl + 1);
      sock.write(cmd === 'QUOTE' && symbol in QUOTES ? `${QUOTES[symbol]}\n` : 'ERR unknown\n');
    }
  });
}).listen(port, '127.0.0.1');
