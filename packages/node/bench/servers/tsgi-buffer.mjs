// Contender: @tsgi/node with the JSON encoded by Buffer.from instead of the
// jsonResponse helper: the same work as the raw node:http contender, so the
// difference to it is the server's own overhead.
import { serve } from '../../dist/index.js';

const app = (_environ, startResponse) => {
  const body = Buffer.from(JSON.stringify({ hello: 'world' }));
  startResponse('200 OK', [
    ['Content-Type', 'application/json; charset=utf-8'],
    ['Content-Length', String(body.byteLength)],
  ]);
  return [body];
};

const server = await serve(app, {
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
});
console.log(JSON.stringify({ port: server.address.port }));
