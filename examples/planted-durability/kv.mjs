// A tiny key-value service over HTTP whose storage is one of three strategies (./stores/), so the
// three planted examples differ only in how they make a write durable.
//   node kv.mjs PORT STORE      (STORE: ack-before-fsync | rename-without-fsync | atomic-rename)
// Data lives in $FAULTBOX_SERVICE_DIR, which faultbox keeps across restarts within a test.
import { createServer } from 'node:http';
import { mkdirSync } from 'node:fs';

const [port, storeName] = process.argv.slice(2);
if (!port || !storeName) {
  console.error('usage: node kv.mjs PORT ack-before-fsync|rename-without-fsync|atomic-rename');
  process.exit(2);
}
const dir = process.env.FAULTBOX_SERVICE_DIR;
if (!dir) {
  console.error('kv.mjs: FAULTBOX_SERVICE_DIR is not set (run it under faultbox)');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const { openStore } = await import(`./stores/${storeName}.mjs`);
const store = openStore(dir);

createServer((req, res) => {
  const url = new URL(req.url, 'http://kv');
  const key = url.pathname.replace(/^\/kv\//, '');
  const reply = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (url.pathname === '/health') return reply(200, { ok: true });
  if (!url.pathname.startsWith('/kv/') || key === '') return reply(404, { error: 'no such route' });
  if (req.method === 'GET') {
    const value = store.get(key);
    return value === undefined ? reply(404, { error: 'no such key' }) : reply(200, { key, value });
  }
  if (req.method === 'PUT') {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      try {
        store.put(key, body);
        reply(200, { key, stored: true }); // the acknowledgement the property relies on
      } catch (err) {
        reply(500, { error: err.message });
      }
    });
    return;
  }
  reply(405, { error: 'GET or PUT' });
}).listen(Number(port), process.env.KV_HOST ?? '127.0.0.1'); // a container sets KV_HOST=0.0.0.0
