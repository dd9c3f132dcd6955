// bun examples/bun-echo.ts
import { toFetchHandler } from '@tsgi/fetch';
import { echo } from './echo.ts';

const handler = toFetchHandler(echo);
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 8000),
  fetch: handler,
  websocket: handler.websocket, // Bun's WebSocket events, for tsgi.websocket
});
console.log(`listening on ${server.url}`);
