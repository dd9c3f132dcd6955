// bun examples/bun.ts
import { toFetchHandler } from '@tsgi/fetch';
import { app } from './app.ts';

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 8000),
  fetch: toFetchHandler(app),
});
console.log(`listening on ${server.url}`);
