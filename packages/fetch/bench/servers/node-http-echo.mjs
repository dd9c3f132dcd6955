// Contender: raw node:http doing echo-json's work by hand: gather the body,
// JSON.parse it, answer it re-serialised with the same two headers.
import { createServer } from 'node:http';
import { announce } from './handlers.mjs';

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200, {
      'content-type': 'application/json;charset=UTF-8',
      'x-test': req.headers['x-test'] ?? '',
    });
    res.end(JSON.stringify(body));
  });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  announce(server.address().port);
});
