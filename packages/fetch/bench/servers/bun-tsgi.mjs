// Contender (under Bun): the plain TSGI app of handlers.mjs ({"hello":"world"}
// by @tsgi/spec's jsonResponse, with Content-Type and Content-Length) run on
// Bun.serve by toFetchHandler (built dist).
import { toFetchHandler } from '../../dist/index.js';
import { announce, helloTsgi } from './handlers.mjs';

const server = Bun.serve({
  fetch: toFetchHandler(helloTsgi),
  port: Number(process.env.PORT ?? 0),
  hostname: process.env.HOST ?? '127.0.0.1',
});
announce(server.port);
