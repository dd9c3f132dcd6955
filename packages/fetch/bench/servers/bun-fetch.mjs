// Contender (under Bun): the hand-written fetch handler bun-tsgi.mjs is held
// against, answering the same bytes: {"hello":"world"} serialised per request
// and sent as a string with the Content-Type jsonResponse sets (Bun adds the
// Content-Length). BENCH_BYTES=1 makes it do the TSGI app's own work instead:
// encode the JSON with Buffer.from and set Content-Length itself.
import { announce } from './handlers.mjs';

const TYPE = 'application/json; charset=utf-8';
const asString = () =>
  new Response(JSON.stringify({ hello: 'world' }), { headers: { 'content-type': TYPE } });
const asBytes = () => {
  const body = Buffer.from(JSON.stringify({ hello: 'world' }), 'utf8');
  return new Response(body, {
    headers: { 'content-type': TYPE, 'content-length': String(body.byteLength) },
  });
};

const server = Bun.serve({
  fetch: process.env.BENCH_BYTES === '1' ? asBytes : asString,
  port: Number(process.env.PORT ?? 0),
  hostname: process.env.HOST ?? '127.0.0.1',
});
announce(server.port);
