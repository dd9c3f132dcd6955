// Contender: @tsgi/node (built dist) serving a TSGI app. The app's work is the
// raw contender's: jsonResponse JSON.stringifies the object, encodes it with
// Buffer.from and starts the response with Content-Type and Content-Length;
// the server then sends it with one writeHead and one end(bytes). Same
// keep-alive behaviour as raw node:http (persistent connections, timeout=5).
// BENCH_METRICS=1 turns the metrics collector on (bench/metrics.ts).
import { jsonResponse } from '@tsgi/spec';
import { serve } from '../../dist/index.js';
import { MetricsCollector } from '../../dist/metrics.js';

const app = (_environ, startResponse) => jsonResponse(startResponse, 200, { hello: 'world' });

const server = await serve(app, {
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
  metrics: process.env.BENCH_METRICS === '1' ? new MetricsCollector() : false,
});
console.log(JSON.stringify({ port: server.address.port }));
