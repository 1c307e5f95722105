// A ledger that keeps each entry in its own file, written in three steps: a header, the body, and
// a commit marker last. An entry whose marker is missing was torn by a failed write and is treated
// as absent. PUT /entries/<name> writes one; GET /entries/<name> reads it back.
// `node ledger.mjs <port>`; entries live under $FAULTBOX_SERVICE_DIR.
//
// PLANTED BUG (third-write): the header and body writes are checked (a failure answers 500), but
// the commit marker's write is not: when the third write fails the entry is torn, yet the client
// is told 200. Failing every write (or the first, or the second) is handled; only a failure of
// exactly the third write of the request loses an acknowledged entry.
import { createServer } from 'node:http';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const port = Number(process.argv[2]);
const dir = join(process.env.FAULTBOX_SERVICE_DIR ?? '.', 'entries');
mkdirSync(dir, { recursive: true });
const MARKER = 'COMMIT\n';

function writeEntry(name, body) {
  const fd = openSync(join(dir, `${name}.entry`), 'w');
  try {
    writeSync(fd, `ENTRY ${name} ${Buffer.byteLength(body)}\n`);
    writeSync(fd, `${body}\n`);
    try {
      writeSync(fd, MARKER);
    } catch {
      // "the data is on disk already; the marker is only a hint"
    }
  } finally {
    closeSync(fd);
  }
}

function readEntry(name) {
  let text;
  try {
    text = readFileSync(join(dir, `${name}.entry`), 'utf8');
  } catch (err) {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  }
  if (!text.endsWith(MARKER)) return undefined; // torn: never committed
  return text.slice(text.indexOf('\n') + 1, -MARKER.length - 1);
}

createServer((req, res) => {
  const reply = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (req.url === '/health') return reply(200, { ok: true });
    const name = /^\/entries\/(\w+)$/.exec(req.url ?? '')?.[1];
    if (!name) return reply(404, { error: 'not found' });
    try {
      if (req.method === 'PUT') {
        writeEntry(name, body);
        return reply(200, { stored: name });
      }
      const value = readEntry(name);
      return value === undefined ? reply(404, { error: `no entry ${name}` }) : reply(200, { name, body: value });
    } catch (err) {
      return reply(500, { error: err.code ?? String(err) });
    }
  });
}).listen(port, '127.0.0.1');
