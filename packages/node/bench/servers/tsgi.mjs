// Contender: @tsgi/node (built dist) serving a TSGI app.
import { jsonResponse } from '@tsgi/spec';
import { serve } from '../../dist/index.js';

const app = (_environ, startResponse) => jsonResponse(startResponse, 200, { hello: 'world' });

const server = await serve(app, {
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
});
console.log(JSON.stringify({ port: server.address.port }));
