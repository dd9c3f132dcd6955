// Contender: the fetch handler BENCH_HANDLER names on srvx's Node serve().
// It answers with the global Response unless BENCH_FAST_RESPONSE=1, which
// makes the handler answer with srvx's FastResponse instead.
import { FastResponse, serve } from 'srvx';
import { announce, chosenHandler } from './handlers.mjs';

const fast = process.env.BENCH_FAST_RESPONSE === '1';
const server = serve({
  fetch: chosenHandler(fast ? FastResponse : Response),
  port: Number(process.env.PORT ?? 0),
  hostname: process.env.HOST ?? '127.0.0.1',
  silent: true,
  gracefulShutdown: false,
});
await server.ready();
announce(server.node.server.address().port);
