// A key-value service that stores each value in its own file: PUT /kv/<key> writes it, GET
// /kv/<key> reads it back. `node kv.mjs <port>`; data lives under $FAULTBOX_SERVICE_DIR.
//
// PLANTED BUG (ack-loss): the PUT handler swallows the error of the file write and acknowledges
// the write anyway, so a failed write(2) turns into an acknowledged value that is not there.
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const port = Number(process.argv[2]);
const dataDir = join(process.env.FAULTBOX_SERVICE_DIR ?? '.', 'data');
mkdirSync(dataDir, { recursive: true });

const fileOf = (key) => join(dataDir, `${key}.val`);

function put(key, value) {
  try {
    writeFileSync(fileOf(key), value);
  } catch {
    // "the disk hiccupped, the next write will fix it" -- the value is lost, the client is told 200
  }
  return [200, { stored: key }];
}

function get(key) {
  let value;
  try {
    value = readFileSync(fileOf(key), 'utf8');
  } catch (err) {
    if (err.code === 'ENOENT') return [404, { error: `no key ${key}` }];
    return [500, { error: err.code }];
  }
  return [200, { key, value }];
}

createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const key = /^\/kv\/(\w+)$/.exec(req.url ?? '')?.[1];
    let [status, reply] = [404, { error: 'not found' }];
    if (req.url === '/health') [status, reply] = [200, { ok: true }];
    else if (key && req.method === 'PUT') [status, reply] = put(key, body);
    else if (key && req.method === 'GET') [status, reply] = get(key);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply));
  });
}).listen(port, '127.0.0.1');
