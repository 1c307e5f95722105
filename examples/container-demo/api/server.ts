// The demo api: a small HTTP service in front of PostgreSQL (the source of truth) and Redis
// (a read cache it can live without). Faultbox breaks its dependencies' syscalls and the spec
// checks how it answers.
//   GET  /health            200 when the process is up
//   POST /data?key=&value=  upsert into Postgres, then best-effort cache in Redis; 5xx if Postgres fails
//   GET  /data?key=         Redis first, Postgres on a miss or a Redis error; 404 when absent
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { Redis } from 'ioredis';

const port = Number(process.env.PORT ?? 8080);
const db = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4, connectionTimeoutMillis: 5000 });
// Swallow pool-level errors (a backend killed under us): each request reports its own failure.
db.on('error', (err) => console.error(`postgres pool error: ${err.message}`));

// The cache connects on first use and reconnects on a later request after a failure (no
// background retries), so a request can always tell whether Redis is there.
const redis = process.env.REDIS_URL
  ? new Redis(process.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, retryStrategy: () => null })
  : undefined;
redis?.on('error', (err) => console.error(`redis error: ${err.message}`));

async function cacheReady(): Promise<boolean> {
  if (!redis) return false;
  if (redis.status === 'ready') return true;
  if (redis.status !== 'wait' && redis.status !== 'end') return false;
  try {
    await redis.connect();
    return true;
  } catch (err) {
    console.error(`redis unavailable, serving from PostgreSQL: ${(err as Error).message}`);
    return false;
  }
}

async function ensureSchema(): Promise<void> {
  await db.query('CREATE TABLE IF NOT EXISTS kv (key text PRIMARY KEY, value text NOT NULL)');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function cacheGet(key: string): Promise<string | null> {
  if (!(await cacheReady())) return null;
  try {
    return await redis!.get(`kv:${key}`);
  } catch {
    return null; // degrade to Postgres
  }
}

async function cacheSet(key: string, value: string): Promise<void> {
  if (!(await cacheReady())) return;
  try {
    await redis!.set(`kv:${key}`, value, 'EX', 60);
  } catch {
    // the cache is optional
  }
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/health') return send(res, 200, { status: 'ok' });
  if (url.pathname !== '/data') return send(res, 404, { error: 'not found' });
  const key = url.searchParams.get('key');
  if (!key) return send(res, 400, { error: 'key is required' });
  if (req.method === 'POST') {
    const value = url.searchParams.get('value') ?? '';
    try {
      await db.query('INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [key, value]);
    } catch (err) {
      return send(res, 503, { error: `database write failed: ${(err as Error).message}` });
    }
    await cacheSet(key, value);
    return send(res, 200, { key, value, stored: true });
  }
  if (req.method === 'GET') {
    const cached = await cacheGet(key);
    if (cached !== null) return send(res, 200, { key, value: cached, source: 'cache' });
    try {
      const r = await db.query('SELECT value FROM kv WHERE key = $1', [key]);
      if (r.rowCount === 0) return send(res, 404, { error: 'no such key', key });
      const value = r.rows[0].value as string;
      await cacheSet(key, value);
      return send(res, 200, { key, value, source: 'database' });
    } catch (err) {
      return send(res, 503, { error: `database read failed: ${(err as Error).message}` });
    }
  }
  return send(res, 405, { error: 'method not allowed' });
}

async function main(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureSchema();
      break;
    } catch (err) {
      if (attempt >= 30) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => send(res, 500, { error: err.message }));
  });
  server.listen(port, '0.0.0.0', () => console.log(`api listening on ${port}`));
  const stop = (): void => {
    server.close();
    void Promise.allSettled([db.end(), redis?.quit()]).then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: Error) => {
  console.error(`api failed to start: ${err.message}`);
  process.exit(1);
});
