// The records api. POST /records stores the body under a fresh id in the primary store; when the
// store cannot be reached, the record goes to a local journal (replayed into the store later)
// and the answer is 202. GET /records/<id> asks the store, then the journal.
// `node api.mjs <port> <storePort>`; the journal lives under $FAULTBOX_SERVICE_DIR.
//
// PLANTED BUG (double-fault): the journal append is "best effort": when it fails too, the record
// is in neither place, yet the client is told 202 Accepted. A store failure alone is covered by
// the journal, and a journal failure alone never matters (the store took the record); only both
// at once lose an acknowledged record.
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { appendFileSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

const [port, storePort] = process.argv.slice(2).map(Number);
const journal = join(process.env.FAULTBOX_SERVICE_DIR ?? '.', 'journal.log');

/** One request/reply exchange with the store; `done(err, reply)` is called exactly once. */
function askStore(line, done) {
  let settled = false;
  const finish = (err, reply) => {
    if (settled) return;
    settled = true;
    sock.destroy();
    done(err, reply);
  };
  const sock = connect(storePort, '127.0.0.1');
  let buf = '';
  sock.on('error', (err) => finish(err));
  sock.on('close', () => finish(new Error('store closed the connection')));
  sock.on('connect', () => sock.write(`${line}\n`));
  sock.on('data', (chunk) => {
    buf += chunk;
    const nl = buf.indexOf('\n');
    if (nl >= 0) finish(undefined, buf.slice(0, nl));
  });
}

function journaled(id) {
  let text = '';
  try {
    text = readFileSync(journal, 'utf8');
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  const line = text.split('\n').find((l) => l.startsWith(`${id} `));
  return line === undefined ? undefined : line.slice(id.length + 1);
}

function create(value, reply) {
  const id = randomUUID();
  askStore(`SET ${id} ${value}`, (err, answer) => {
    if (!err && answer === 'OK') return reply(201, { id });
    // Only an unreachable store surely lacks the record: a store that broke off mid-request may
    // have it, so that case is an error for the client to retry, not a journal entry.
    if (err?.syscall !== 'connect') return reply(503, { error: 'store failed; retry' });
    try {
      appendFileSync(journal, `${id} ${value}\n`);
    } catch {
      // best effort: the store is the source of truth anyway
    }
    reply(202, { id, journaled: true });
  });
}

function read(id, reply) {
  askStore(`GET ${id}`, (err, answer) => {
    if (!err && answer.startsWith('VAL ')) return reply(200, { id, value: answer.slice(4) });
    const value = journaled(id);
    if (value !== undefined) return reply(200, { id, value });
    // Only a store that answered NONE proves the record is missing; otherwise we cannot know.
    if (!err && answer === 'NONE') return reply(404, { error: `no record ${id}` });
    reply(503, { error: 'store unavailable' });
  });
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
    if (req.url === '/records' && req.method === 'POST') return create(body.replace(/\s+/g, ' '), reply);
    const id = /^\/records\/([\w-]+)$/.exec(req.url ?? '')?.[1];
    if (id && req.method === 'GET') return read(id, reply);
    reply(404, { error: 'not found' });
  });
}).listen(port, '127.0.0.1');
