// Contender: @tsgi/node (built dist) serving a TSGI echo app: it accepts the
// upgrade and sends every message back as it came, awaiting send() (so it
// honours backpressure), the shape of the WebSocket example in SPEC.md.
// Options as the defaults (16 MiB message limit, 30 s ping, no deflate).
import { serve } from '../../dist/index.js';

/** @type {import('@tsgi/spec').Application} */
const app = async (environ, startResponse) => {
  const upgrade = environ['tsgi.websocket'];
  if (upgrade === undefined) {
    startResponse('426 Upgrade Required', [['content-type', 'text/plain']]);
    return [new TextEncoder().encode('WebSocket only\n')];
  }
  const socket = await upgrade.accept();
  (async () => {
    for await (const message of socket) await socket.send(message);
  })().catch(() => {
    // send() refuses once the peer has closed: this connection is over
  });
  return [];
};

const server = await serve(app, {
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
});
console.log(JSON.stringify({ port: server.address.port }));
