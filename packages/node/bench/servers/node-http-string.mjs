// Reference row: raw node:http ending with the JSON *string* instead of bytes.
// Node then glues the status line, headers and body into one string and
// encodes it inside the socket write, a path a TSGI server cannot take (a TSGI
// body is bytes). Shown so the table says what that shortcut is worth.
import { createServer } from 'node:http';

const server = createServer((_req, res) => {
  const body = JSON.stringify({ hello: 'world' });
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
