// Contender: createListener(app, 'uwsgi') from @tsgi/node (built dist) with the
// hello-world JSON app of the Nginx benchmark (bench/nginx/app.mjs). TSGI_DIST
// points at another build's dist/index.js (BENCH_BASE_TREE in uwsgi-connection.ts).
import { application } from '../nginx/app.mjs';

const dist = process.env.TSGI_DIST ?? '../../dist/index.js';
const { createListener } = await import(dist);

// SOCKETS=node: the same listener on net.Socket instead of raw sockets.
const listener = createListener(application, 'uwsgi', {
  sockets: process.env.SOCKETS || undefined,
});
const address = await listener.listen({
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
});
console.log(JSON.stringify({ port: address.port }));
process.once('SIGTERM', () => void listener.close(1000).then(() => process.exit(0)));
