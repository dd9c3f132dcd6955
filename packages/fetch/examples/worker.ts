// deno serve examples/worker.ts, bun examples/worker.ts: runtimes that serve the default export
import { toFetchHandler } from '@tsgi/fetch';
import { app } from './app.ts';

export default { fetch: toFetchHandler(app) };
