// The WebSocket echo load generator, the same for every contender. It speaks
// RFC 6455 itself, as cheaply as it can, so that the servers, not it, bound
// the rate: each of CONNECTIONS connections does the opening handshake (and
// checks the 101 and its Sec-WebSocket-Accept), then keeps WINDOW binary
// messages of SIZE bytes in flight. The frames are built once, masked with a
// random key per connection; every echo that comes back is parsed from its
// frame header and checked (binary, final, SIZE bytes, unmasked), and the
// echoes of one read are answered by as many new messages in one write. After
// SECONDS it stops sending, closes (1000) and prints one line of JSON:
// {"requests": echoes received in time, "errors", "seconds"}.
//
//   node driver.mjs <port> [seconds=5] [connections=32] [size=32] [window=16]
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';

const [port, seconds, connections, size, window] = [2, 3, 4, 5, 6].map((i, n) =>
  Number(process.argv[i] ?? [0, 5, 32, 32, 16][n]),
);
if (!(port > 0) || !(seconds > 0 && seconds <= 600) || !(connections > 0) || !(size > 0)) {
  console.error('usage: node driver.mjs <port> [seconds<=600] [connections] [size>0] [window]');
  process.exit(2);
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const payload = randomBytes(size);
let requests = 0;
let errors = 0;
let sending = true;

/** A client frame (final, `opcode`) carrying `data`, masked with `key`. */
function frame(opcode, data, key) {
  const extended = data.length < 126 ? 0 : data.length < 65_536 ? 2 : 8;
  const head = Buffer.alloc(2 + extended + 4);
  head[0] = 0x80 | opcode;
  if (extended === 0) head[1] = 0x80 | data.length;
  else if (extended === 2) {
    head[1] = 0x80 | 126;
    head.writeUInt16BE(data.length, 2);
  } else {
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(data.length), 2);
  }
  key.copy(head, 2 + extended);
  const body = Buffer.from(data);
  for (let i = 0; i < body.length; i++) body[i] ^= key[i & 3];
  return Buffer.concat([head, body]);
}

/** Opens one connection and does the handshake; resolves to the socket and the bytes after the 101. */
function open() {
  return new Promise((resolve, reject) => {
    const key = randomBytes(16).toString('base64');
    const expected = createHash('sha1')
      .update(key + GUID)
      .digest('base64');
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let head = Buffer.alloc(0);
    const onData = (chunk) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', onData);
      const text = head.subarray(0, end).toString('latin1');
      if (!text.startsWith('HTTP/1.1 101') || !text.includes(expected)) {
        socket.destroy();
        reject(new Error(`handshake refused: ${text.split('\r\n')[0]}`));
        return;
      }
      resolve({ socket, rest: head.subarray(end + 4) });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}

/** Drives one open connection: counts echoes, answers them, closes on `stop()`. */
function drive({ socket, rest }) {
  const key = randomBytes(4);
  const one = frame(0x2, payload, key);
  const batch = Buffer.concat(Array.from({ length: window }, () => one));
  let pending = null; // a frame header split across reads
  let remaining = 0; // payload bytes of the current frame still to come
  let current = { opcode: 0, length: 0, fin: true };
  let closed = false;
  let owed = 0;

  const finish = () => {
    if (current.opcode === 0x8) {
      closed = true;
      return;
    }
    if (!sending) return;
    if (current.opcode === 0x2 && current.fin && current.length === size) {
      requests++;
      owed++;
    } else errors++;
  };
  const onData = (input) => {
    let chunk = input;
    if (pending !== null) {
      chunk = Buffer.concat([pending, chunk]);
      pending = null;
    }
    let i = 0;
    while (i < chunk.length) {
      if (remaining > 0) {
        const take = Math.min(remaining, chunk.length - i);
        remaining -= take;
        i += take;
        if (remaining === 0) finish();
        continue;
      }
      const left = chunk.length - i;
      if (left < 2) break;
      const b1 = chunk[i + 1];
      let length = b1 & 0x7f;
      const headLength = length === 126 ? 4 : length === 127 ? 10 : 2;
      if (left < headLength) break;
      if (length === 126) length = chunk.readUInt16BE(i + 2);
      else if (length === 127) length = Number(chunk.readBigUInt64BE(i + 2));
      if (b1 & 0x80) errors++; // a server frame must not be masked
      current = { opcode: chunk[i] & 0x0f, length, fin: (chunk[i] & 0x80) !== 0 };
      i += headLength;
      remaining = length;
      if (length === 0) finish();
    }
    if (i < chunk.length) pending = Buffer.from(chunk.subarray(i));
    if (owed > 0 && sending) {
      socket.write(batch.subarray(0, owed * one.length));
      owed = 0;
    }
  };
  socket.on('data', onData);
  socket.on('error', () => {
    if (sending) errors++;
  });
  socket.on('close', () => {
    if (sending) errors++;
  });
  if (rest.length > 0) onData(rest);
  socket.write(batch);

  return function stop() {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        socket.destroy();
        resolve();
      }, 2000);
      socket.once('close', () => {
        clearTimeout(timer);
        if (!closed) errors++;
        resolve();
      });
      const code = Buffer.alloc(2);
      code.writeUInt16BE(1000);
      socket.write(frame(0x8, code, randomBytes(4)));
    });
  };
}

const opened = await Promise.all(Array.from({ length: connections }, open));
const started = performance.now();
const stops = opened.map(drive);
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
sending = false;
const elapsed = (performance.now() - started) / 1000;
await Promise.all(stops.map((stop) => stop()));
console.log(JSON.stringify({ requests, errors, seconds: elapsed }));
