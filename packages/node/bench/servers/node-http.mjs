// Contender: raw node:http, the baseline. It does the same work per request as
// the @tsgi/node contender's app: JSON.stringify a fresh object, encode it to
// bytes with Buffer.from (a TSGI body is bytes), then one writeHead with
// Content-Type and Content-Length and one end(bytes). Keep-alive as Node's
// defaults (HTTP/1.1 persistent connections, Keep-Alive: timeout=5).
import { createServer } from 'node:http';

const server = createServer((_req, res) => {
  const body = Buffer.from(JSON.stringify({ hello: 'world' }), 'utf8');
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(body.byteLength),
  });
  res.end(body);
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
