// Contender: the fetch handler BENCH_HANDLER names on @hono/node-server, with
// overrideGlobalObjects: false, since fromFetchHandler patches no global
// either. BENCH_HONO_GLOBALS=1 keeps @hono/node-server's default instead: its
// own Request and Response replace the global ones, so the handler's
// `new Response(…)` is @hono/node-server's light one.
import { serve } from '@hono/node-server';
import { announce, chosenHandler } from './handlers.mjs';

serve(
  {
    fetch: chosenHandler(),
    overrideGlobalObjects: process.env.BENCH_HONO_GLOBALS === '1',
    port: Number(process.env.PORT ?? 0),
    hostname: process.env.HOST ?? '127.0.0.1',
  },
  (info) => announce(info.port),
);
