// Contender: items-api's own stack on @tsgi/node (built dist), in one process
// (no workers), or that stack built up one layer at a time, as BENCH_STACK says:
//
//   bare        a constant app: jsonResponse of the first page of GET /items
//   router      + @tsgi/router, items-api's routes, each answered by the constant app
//   cors        + @tsgi/middleware-cors, configured as items-api's
//   timing      + @tsgi/middleware-timing, log line off
//   request-id  + @tsgi/middleware-request-id: cors(timing(requestId(router)))
//   items-api   (default) createApp(): the same stack over items-api's views and
//               its SQLite store (DATABASE_URL), log line off, validate() off
//               (as under NODE_ENV=production), /environ off
//
// The constant page is ITEMS_PAGE (JSON), else the tutorial's three items.
import { cors } from '@tsgi/middleware-cors';
import { requestId } from '@tsgi/middleware-request-id';
import { timing } from '@tsgi/middleware-timing';
import { serve } from '@tsgi/node';
import { router } from '@tsgi/router';
import { jsonResponse } from '@tsgi/spec';

const PAGE = process.env.ITEMS_PAGE
  ? JSON.parse(process.env.ITEMS_PAGE)
  : {
      items: [
        { id: 1, name: 'MacBook Pro', stock: 5 },
        { id: 2, name: '机械键盘', stock: 12 },
        { id: 3, name: '显示器', stock: 3 },
      ],
      total: 3,
    };
const CORS = {
  origin: '*',
  methods: ['GET', 'POST', 'OPTIONS'],
  exposedHeaders: ['X-Process-Time', 'X-Request-Id', 'Location'],
};

const constant = (_environ, startResponse) => jsonResponse(startResponse, 200, PAGE);
const routed = () =>
  router(
    {
      '/health': { GET: constant },
      '/items': { GET: constant, POST: constant },
      '/items/:id': { GET: constant },
    },
    { notFound: constant },
  );

const stacks = {
  bare: () => constant,
  router: routed,
  cors: () => cors(routed(), CORS),
  timing: () => cors(timing(routed(), { log: false }), CORS),
  'request-id': () => cors(timing(requestId(routed()), { log: false }), CORS),
  // Imported here only: the layer stacks load no more than their layers.
  'items-api': async () => {
    const { createApp, openStore } = await import('../../dist/index.js');
    const store = openStore(process.env.DATABASE_URL);
    await store.migrate();
    return createApp({ store, log: false, validate: false, environ: false });
  },
};
const which = process.env.BENCH_STACK || 'items-api';
if (!Object.hasOwn(stacks, which)) {
  throw new Error(`BENCH_STACK must be one of ${Object.keys(stacks).join(', ')}`);
}
const server = await serve(await stacks[which](), {
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
});
console.log(JSON.stringify({ port: server.address.port }));
