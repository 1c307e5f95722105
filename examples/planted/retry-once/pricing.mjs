// The pricing backend: a TCP line service. `PRICE <sku>` is answered with the price in cents.
// `node pricing.mjs <port>`
import { createServer } from 'node:net';

const port = Number(process.argv[2]);
const PRICES = { apple: 120, pear: 95 };

createServer((sock) => {
  let buf = '';
  sock.on('error', () => sock.destroy());
  sock.on('data', (chunk) => {
    buf += chunk;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const [cmd, sku] = buf.slice(0, nl).trim().split(' ');
      buf = buf.slice(nl + 1);
      sock.write(cmd === 'PRICE' && sku in PRICES ? `${PRICES[sku]}\n` : 'ERR unknown\n');
    }
  });
}).listen(port, '127.0.0.1');
