// Contender of the stalled-peer memory bench: @tsgi/node (built dist) with a
// TSGI app that, once it accepted and the client sent its first message,
// sends 64 KiB binary messages (a new one each time) for as long as the
// connection is open, awaiting every send() (so a peer that stops reading
// makes it wait), and yielding to the event loop between messages as an app
// sending on events or timers does.
import { serve } from '../../dist/index.js';

/** A new 64 KiB message each time, as an app sends new data, never one buffer again. */
const message = (n) => new Uint8Array(65_536).fill(n & 0xff);
const yieldToLoop = () => new Promise((resolve) => setImmediate(resolve));

/** @type {import('@tsgi/spec').Application} */
const app = async (environ, startResponse) => {
  const upgrade = environ['tsgi.websocket'];
  if (upgrade === undefined) {
    startResponse('426 Upgrade Required', [['content-type', 'text/plain']]);
    return [new TextEncoder().encode('WebSocket only\n')];
  }
  const socket = await upgrade.accept();
  let open = true;
  socket.closed.then(() => {
    open = false;
  });
  (async () => {
    await socket[Symbol.asyncIterator]().next(); // the client's go
    for (let n = 0; open; n++) {
      await socket.send(message(n));
      await yieldToLoop();
    }
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
