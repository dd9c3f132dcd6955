// Contender: items-api's hot paths written the Fastify way, for the benchmarks
// only. The same routes and answers as items-api for GET /health, GET /items
// (?limit=&offset=), GET /items/:id, POST /items (a valid body stores the same
// item and answers the same 201) and the JSON 404; @fastify/cors configured
// as items-api's cors(); a request id (X-Request-Id kept when sent, else a new
// UUID) echoed in X-Request-Id; X-Process-Time in ms with two decimals; the
// SQLite file DATABASE_URL names (`sqlite:<path>`, already migrated by items-api,
// WAL) through better-sqlite3 with items-api's pragmas. Input is checked by
// Fastify's JSON schemas; invalid input is a 400 `{"error": "…"}` whose text
// is Fastify's, not items-api's. No Idempotency-Key and no /environ.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import cors from '@fastify/cors';
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const MAX_STOCK = 2_147_483_647;
const ID = /^[1-9][0-9]{0,9}$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

const url = process.env.DATABASE_URL ?? 'sqlite:./data/items.db';
const db = new Database(url.replace(/^sqlite:(\/\/)?/, ''));
db.pragma('busy_timeout = 5000');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma(`journal_size_limit = ${8 * 1024 * 1024}`);

const page = db.prepare('SELECT id, name, stock FROM items ORDER BY id LIMIT ? OFFSET ?');
const count = db.prepare('SELECT count(*) AS total FROM items').pluck();
const byId = db.prepare('SELECT id, name, stock FROM items WHERE id = ?');
const insert = db.prepare('INSERT INTO items (name, stock) VALUES (?, ?)');
const ping = db.prepare('SELECT 1');
const listPage = db.transaction((limit, offset) => ({
  items: page.all(limit, offset),
  total: count.get(),
}));
// Called as create.immediate(): the write lock first, as items-api's BEGIN IMMEDIATE.
const create = db.transaction((name, stock) => byId.get(insert.run(name, stock).lastInsertRowid));

const app = Fastify({
  bodyLimit: 16 * 1024,
  requestIdHeader: 'x-request-id',
  genReqId: () => randomUUID(),
});
await app.register(cors, {
  origin: '*',
  methods: ['GET', 'POST', 'OPTIONS'],
  exposedHeaders: ['X-Process-Time', 'X-Request-Id', 'Location'],
});
// reply.elapsedTime counts only with a logger or an onResponse hook: time it here.
app.decorateRequest('startedAt', 0);
app.addHook('onRequest', (request, reply, done) => {
  request.startedAt = performance.now();
  reply.header('X-Request-Id', request.id);
  done();
});
app.addHook('onSend', (request, reply, payload, done) => {
  reply.header('X-Process-Time', (performance.now() - request.startedAt).toFixed(2));
  done(null, payload);
});
app.setErrorHandler((error, _request, reply) => {
  reply.code(error.statusCode ?? 500).send({ error: error.message });
});
app.setNotFoundHandler((request, reply) => {
  reply.code(404).send({ error: `路径 ${request.url.split('?')[0]} 不存在` });
});

app.get('/health', async () => {
  ping.get();
  return {
    status: 'ok',
    server: 'fastify',
    node: process.versions.node,
    database: 'sqlite',
    pid: process.pid,
    time: new Date().toISOString(),
  };
});

app.get(
  '/items',
  {
    schema: {
      querystring: {
        type: 'object',
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
          offset: { type: 'integer', minimum: 0, maximum: MAX_STOCK, default: 0 },
        },
      },
    },
  },
  async (request) => listPage(request.query.limit, request.query.offset),
);

app.get('/items/:id', async (request, reply) => {
  const { id } = request.params;
  const item = ID.test(id) && Number(id) <= MAX_STOCK ? byId.get(Number(id)) : undefined;
  if (item === undefined) return reply.code(404).send({ error: `商品 ${id} 不存在` });
  return { item };
});

app.post(
  '/items',
  {
    schema: {
      body: {
        type: 'object',
        required: ['name'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 200 },
          stock: { type: 'integer', minimum: 0, maximum: MAX_STOCK, default: 0 },
        },
      },
    },
  },
  async (request, reply) => {
    const name = request.body.name.trim();
    if (name === '' || CONTROL.test(name) || !name.isWellFormed()) {
      return reply.code(400).send({ error: '"name" must be a non-empty line of valid text' });
    }
    const item = create.immediate(name, request.body.stock);
    reply.code(201).header('Location', `/items/${item.id}`);
    return { item };
  },
);

await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' });
console.log(JSON.stringify({ port: app.server.address().port }));
