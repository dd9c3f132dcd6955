// The load driver: what Nginx's uwsgi_pass does to its upstream, one new
// connection per request. CONNECTIONS loops at once, each: connect, send one
// uwsgi packet (the vars Nginx's uwsgi_params send for `GET /`), read until
// the server closes, check the status line, close, repeat. Stops starting
// requests after SECONDS, waits at most 5 s for the ones in flight, then
// prints one line of JSON: {"requests", "errors", "seconds"}.
//
//   node driver.mjs <port> [seconds=5] [connections=32]
import { connect } from 'node:net';

const port = Number(process.argv[2]);
const seconds = Number(process.argv[3] ?? 5);
const connections = Number(process.argv[4] ?? 32);
if (!Number.isInteger(port) || port <= 0 || !(seconds > 0 && seconds <= 600)) {
  console.error('usage: node driver.mjs <port> [seconds<=600] [connections]');
  process.exit(2);
}

/** A packet as Nginx 1.2x sends it with deploy/nginx.conf's uwsgi_params. */
function packet() {
  const vars = {
    QUERY_STRING: '',
    REQUEST_METHOD: 'GET',
    CONTENT_TYPE: '',
    CONTENT_LENGTH: '',
    REQUEST_URI: '/',
    PATH_INFO: '/',
    DOCUMENT_ROOT: '/usr/share/nginx/html',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REQUEST_SCHEME: 'http',
    REMOTE_ADDR: '127.0.0.1',
    REMOTE_PORT: '54321',
    SERVER_PORT: '8080',
    SERVER_NAME: 'localhost',
    HTTP_HOST: '127.0.0.1:8080',
    HTTP_USER_AGENT: 'wrk',
  };
  const parts = [];
  for (const [key, value] of Object.entries(vars)) {
    const k = Buffer.from(key, 'latin1');
    const v = Buffer.from(value, 'latin1');
    const kl = Buffer.alloc(2);
    kl.writeUInt16LE(k.byteLength);
    const vl = Buffer.alloc(2);
    vl.writeUInt16LE(v.byteLength);
    parts.push(kl, k, vl, v);
  }
  const block = Buffer.concat(parts);
  return Buffer.concat([
    Buffer.from([0, block.byteLength & 0xff, block.byteLength >> 8, 0]),
    block,
  ]);
}

const request = packet();
const OK = Buffer.from('HTTP/1.1 200', 'latin1');
const started = performance.now();
const deadline = started + seconds * 1000;
let requests = 0;
let errors = 0;
let running = 0;

function loop() {
  if (performance.now() >= deadline) {
    if (--running === 0) finish();
    return;
  }
  let first;
  let done = false;
  const socket = connect(port, '127.0.0.1');
  const settle = (ok) => {
    if (done) return;
    done = true;
    if (ok) requests++;
    else errors++;
    socket.destroy();
    loop();
  };
  socket.on('connect', () => socket.write(request));
  socket.on('data', (chunk) => {
    if (first === undefined) first = chunk;
  });
  socket.on('end', () => settle(first?.subarray(0, 12).equals(OK) === true));
  socket.on('error', () => settle(false));
  socket.on('close', () => settle(false));
}

function finish() {
  clearTimeout(guard);
  const elapsed = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ requests, errors, seconds: elapsed }));
  process.exit(0);
}

// Bounded: whatever is still in flight 5 s after the deadline is given up.
const guard = setTimeout(finish, seconds * 1000 + 5000);
for (let i = 0; i < connections; i++) {
  running++;
  loop();
}
