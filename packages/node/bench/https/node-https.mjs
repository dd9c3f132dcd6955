// Contender: a bare node:https server, the baseline of the HTTPS/1.1 table.
// Per request it does the @tsgi/node contender's work: encode "hello world"
// with Buffer.from, then one writeHead with Content-Type and Content-Length
// and one end(bytes). Keep-alive as Node's defaults.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

const server = createServer(
  { cert: readFileSync(process.env.BENCH_CERTFILE), key: readFileSync(process.env.BENCH_KEYFILE) },
  (_req, res) => {
    const body = Buffer.from('hello world', 'utf8');
    res.writeHead(200, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': String(body.byteLength),
    });
    res.end(body);
  },
);
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
