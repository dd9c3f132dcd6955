// Contender: @tsgi/node (built dist) serving HTTPS with the certificate and
// key named by BENCH_CERTFILE and BENCH_KEYFILE. The app answers every
// request with "hello world" as text/plain (textResponse: the text encoded
// with Buffer.from, Content-Type and Content-Length), the bytes the bare
// contenders (node-h2.mjs, node-https.mjs) send. BENCH_HTTP_PROTOCOLS is what
// ALPN offers (`httpProtocols`), comma-separated: `h2` for the HTTP/2 table,
// `http/1.1` for the HTTPS/1.1 one.
import { textResponse } from '@tsgi/spec';
import { serve } from '../../dist/index.js';

const app = (_environ, startResponse) => textResponse(startResponse, 200, 'hello world');

const server = await serve(app, {
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
  certfile: process.env.BENCH_CERTFILE,
  keyfile: process.env.BENCH_KEYFILE,
  httpProtocols: (process.env.BENCH_HTTP_PROTOCOLS ?? 'h2,http/1.1').split(','),
});
console.log(JSON.stringify({ port: server.address.port }));
