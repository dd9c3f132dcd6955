// Contender: a bare node:http2 secure server (ALPN h2 only), the baseline of
// the HTTP/2 table. Per request it does the @tsgi/node contender's work:
// encode "hello world" with Buffer.from, then one respond() with status 200,
// Content-Type and Content-Length, and one end(bytes) on the stream API.
// With BENCH_IMPORT_TSGI=1 it first imports @tsgi/node's build and never uses
// it: the same server in a process that holds the library's code, the control
// that tells what loading that code costs from what its per-request work costs.
import { readFileSync } from 'node:fs';
import { createSecureServer } from 'node:http2';

if (process.env.BENCH_IMPORT_TSGI === '1') await import('../../dist/index.js');

const server = createSecureServer({
  cert: readFileSync(process.env.BENCH_CERTFILE),
  key: readFileSync(process.env.BENCH_KEYFILE),
});
server.on('stream', (stream) => {
  const body = Buffer.from('hello world', 'utf8');
  stream.respond({
    ':status': 200,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(body.byteLength),
  });
  stream.end(body);
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
