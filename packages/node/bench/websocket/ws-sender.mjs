// Contender of the stalled-peer memory bench: a bare `ws` server on node:http
// that, once a client sent its first message, sends it 64 KiB binary messages
// (a new one each time) for as long as it is open, yielding to the event loop
// between messages. BENCH_WS_SENDER picks how it treats a peer that stops
// reading:
// - `check`: sends only while `ws.bufferedAmount` is under 16 KiB (the
//   socket's default high-water mark), otherwise looks again 1 ms later;
// - `ignore`: sends regardless of `bufferedAmount`, up to IGNORE_CAP bytes
//   buffered (a cap that only spares the machine; the figure shows the cap).
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const HIGH_WATER_MARK = 16_384;
const IGNORE_CAP = 256 * 1_048_576;
const mode = process.env.BENCH_WS_SENDER === 'ignore' ? 'ignore' : 'check';
/** A new 64 KiB message each time, as an app sends new data, never one buffer again. */
const message = (n) => new Uint8Array(65_536).fill(n & 0xff);
const yieldToLoop = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const limit = mode === 'check' ? HIGH_WATER_MARK : IGNORE_CAP;

const server = createServer((_req, res) => {
  res.writeHead(426, { 'content-type': 'text/plain' });
  res.end('WebSocket only\n');
});
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on('connection', async (ws) => {
  await new Promise((resolve) => ws.once('message', resolve)); // the client's go
  for (let n = 0; ws.readyState === ws.OPEN; ) {
    if (ws.bufferedAmount < limit) {
      ws.send(message(n++), { binary: true });
      await yieldToLoop();
    } else await sleep(1);
  }
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
