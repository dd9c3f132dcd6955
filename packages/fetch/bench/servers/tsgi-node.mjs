// Contender: the fetch handler BENCH_HANDLER names, run as a TSGI application
// by fromFetchHandler (built dist) and served by @tsgi/node's serve(): one
// process, no workers, keep-alive as node:http's defaults.
import { serve } from '@tsgi/node';
import { fromFetchHandler } from '../../dist/index.js';
import { announce, chosenHandler } from './handlers.mjs';

const server = await serve(fromFetchHandler(chosenHandler()), {
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
});
announce(server.address.port);
