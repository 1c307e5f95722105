// The gateway: GET /quote/<symbol> asks the quotes backend and answers 200 {symbol, price}, or
// 502 when the backend fails. `node gateway.mjs <port> <quotesPort>`
//
// PLANTED BUG (missing-timeout): the backend call has no timeout. A backend that fails is
// handled (502 at once), but one that is merely slow holds the request for as long as it likes:
// the gateway cannot answer within its own deadline. (The fix: sock.setTimeout(500, ...) and a
// 504.)
import { createServer } from 'node:http';
import { connect } from 'node:net';

const [port, quotesPort] = process.argv.slice(2).map(Number);

function askQuote(symbol, done) {
  let settled = false;
  const finish = (result) => {
    if (settled) return;
    settled = true;
    sock.destroy();
    done(result);
  };
  const sock = connect(quotesPort, '127.0.0.1');
  let buf = '';
  sock.on('error', (err) => finish({ error: err.code ?? String(err) }));
  sock.on('close', () => finish({ error: 'backend closed the connection' }));
  sock.on('connect', () => sock.write(`QUOTE ${symbol}\n`));
  sock.on('data', (chunk) => {
    buf += chunk;
    const nl = buf.indexOf('\n');
    if (nl < 0) return;
    const line = buf.slice(0, nl);
    finish(line.startsWith('ERR') ? { error: line } : { price: line });
  });
}

createServer((req, res) => {
  const reply = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.url === '/health') return reply(200, { ok: true });
  const symbol = /^\/quote\/(\w+)$/.exec(req.url ?? '')?.[1];
  if (!symbol) return reply(404, { error: 'not found' });
  askQuote(symbol, (r) => (r.error ? reply(502, { error: r.error }) : reply(200, { symbol, price: r.price })));
}).listen(port, '127.0.0.1');
