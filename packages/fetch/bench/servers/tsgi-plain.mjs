// Contender: the plain TSGI app of handlers.mjs (no fetch handler) on
// @tsgi/node's serve(), for reference: what the Hono app costs through
// fromFetchHandler beyond the same answer written for TSGI.
import { serve } from '@tsgi/node';
import { announce, helloTsgi } from './handlers.mjs';

const server = await serve(helloTsgi, {
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
});
announce(server.address.port);
