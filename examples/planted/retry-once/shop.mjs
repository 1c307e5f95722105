// The shop: GET /price/<sku> asks the pricing backend over a fresh TCP connection and answers
// 200 {sku, cents}, or 503 when pricing cannot be reached. `node shop.mjs <port> <pricingPort>`
//
// PLANTED BUG (retry-once): a refused connection is retried once. The second failure is thrown
// from inside the socket's error callback, where the request handler's try/catch no longer
// applies: it becomes an uncaught exception and the whole shop exits. One refusal is survived,
// two are fatal.
import { createServer } from 'node:http';
import { connect } from 'node:net';

const [port, pricingPort] = process.argv.slice(2).map(Number);

function askPrice(sku, retries, done) {
  const sock = connect(pricingPort, '127.0.0.1');
  let reply = '';
  sock.once('error', (err) => {
    sock.destroy();
    if (retries > 0) return askPrice(sku, retries - 1, done);
    throw err; // meant for the caller's catch below, but this runs later, from the event loop
  });
  sock.on('connect', () => sock.write(`PRICE ${sku}\n`));
  sock.on('data', (chunk) => {
    reply += chunk;
    if (!reply.includes('\n')) return;
    sock.end();
    const cents = Number(reply.trim());
    done(Number.isInteger(cents) ? { cents } : { error: reply.trim() });
  });
}

createServer((req, res) => {
  const reply = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.url === '/health') return reply(200, { ok: true });
  const sku = /^\/price\/(\w+)$/.exec(req.url ?? '')?.[1];
  if (!sku) return reply(404, { error: 'not found' });
  try {
    askPrice(sku, 1, (r) => (r.error ? reply(503, { error: r.error }) : reply(200, { sku, cents: r.cents })));
  } catch (err) {
    reply(503, { error: `pricing unavailable: ${err.code}` });
  }
}).listen(port, '127.0.0.1');
