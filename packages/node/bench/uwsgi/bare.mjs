// Contender: the floor. A bare net.Server that reads until it holds a whole
// uwsgi packet (the 4-byte header, then the vars block it announces) and
// answers every connection with one fixed HTTP/1.1 response, then ends. No
// parsing of the vars, no app, no timers: what any uwsgi listener must at
// least do per connection.
import { createServer } from 'node:net';

const body = JSON.stringify({ hello: 'world' });
const response = Buffer.from(
  `HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
  'latin1',
);

const server = createServer((socket) => {
  let buffered;
  socket.on('error', () => {});
  socket.on('data', (chunk) => {
    buffered = buffered === undefined ? chunk : Buffer.concat([buffered, chunk]);
    if (buffered.byteLength < 4) return;
    if (buffered.byteLength < 4 + (buffered[1] | (buffered[2] << 8))) return;
    socket.end(response);
  });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
