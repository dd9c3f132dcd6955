// The FastCGI load driver: what Nginx's fastcgi_pass with `fastcgi_keep_conn
// on` does to its upstream. CONNECTIONS connections at once, each kept open
// and carrying one request at a time: FCGI_BEGIN_REQUEST (responder,
// FCGI_KEEP_CONN), FCGI_PARAMS with the params Nginx's fastcgi_params send
// for `GET /`, an empty FCGI_PARAMS and an empty FCGI_STDIN, in one write;
// then it reads records until FCGI_END_REQUEST, checks the status line of the
// first FCGI_STDOUT and the protocol status, and sends the next request on the
// same connection. A connection that closes or fails counts an error and is
// opened again. Stops starting requests after SECONDS, waits at most 5 s for
// the ones in flight, then prints one line of JSON: {"requests", "errors", "seconds"}.
//
//   node fastcgi-driver.mjs <port> [seconds=5] [connections=32]
import { connect } from 'node:net';

const port = Number(process.argv[2]);
const seconds = Number(process.argv[3] ?? 5);
const connections = Number(process.argv[4] ?? 32);
if (!Number.isInteger(port) || port <= 0 || !(seconds > 0 && seconds <= 600)) {
  console.error('usage: node fastcgi-driver.mjs <port> [seconds<=600] [connections]');
  process.exit(2);
}

const BEGIN_REQUEST = 1;
const END_REQUEST = 3;
const PARAMS = 4;
const STDIN = 5;
const STDOUT = 6;
const REQUEST_ID = 1;

/** One record: the 8-byte header, the content, padding to a multiple of 8 as Nginx sends. */
function record(type, content) {
  const padding = (8 - (content.byteLength % 8)) % 8;
  const header = Buffer.from([
    1,
    type,
    REQUEST_ID >> 8,
    REQUEST_ID & 0xff,
    content.byteLength >> 8,
    content.byteLength & 0xff,
    padding,
    0,
  ]);
  return Buffer.concat([header, content, Buffer.alloc(padding)]);
}

/** A FastCGI name-value length: one byte below 128, else four with the high bit set. */
function length(n) {
  if (n < 128) return Buffer.from([n]);
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(n | 0x80000000);
  return bytes;
}

/** The request as Nginx 1.2x sends it with /etc/nginx/fastcgi_params for `GET /`. */
function request() {
  const params = {
    QUERY_STRING: '',
    REQUEST_METHOD: 'GET',
    CONTENT_TYPE: '',
    CONTENT_LENGTH: '',
    SCRIPT_NAME: '/',
    REQUEST_URI: '/',
    DOCUMENT_URI: '/',
    DOCUMENT_ROOT: '/usr/share/nginx/html',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REQUEST_SCHEME: 'http',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_SOFTWARE: 'nginx/1.22.1',
    REMOTE_ADDR: '127.0.0.1',
    REMOTE_PORT: '54321',
    SERVER_ADDR: '127.0.0.1',
    SERVER_PORT: '8080',
    SERVER_NAME: 'localhost',
    REDIRECT_STATUS: '200',
    HTTP_HOST: '127.0.0.1:8080',
    HTTP_USER_AGENT: 'wrk',
  };
  const pairs = [];
  for (const [name, value] of Object.entries(params)) {
    const n = Buffer.from(name, 'latin1');
    const v = Buffer.from(value, 'latin1');
    pairs.push(length(n.byteLength), length(v.byteLength), n, v);
  }
  // role FCGI_RESPONDER (1), flags FCGI_KEEP_CONN (1), five reserved bytes
  const begin = Buffer.from([0, 1, 1, 0, 0, 0, 0, 0]);
  return Buffer.concat([
    record(BEGIN_REQUEST, begin),
    record(PARAMS, Buffer.concat(pairs)),
    record(PARAMS, Buffer.alloc(0)),
    record(STDIN, Buffer.alloc(0)),
  ]);
}

const packet = request();
const OK = Buffer.from('Status: 200', 'latin1');
const started = performance.now();
const deadline = started + seconds * 1000;
let requests = 0;
let errors = 0;
let running = 0;

/** One connection's loop: a request, its records up to FCGI_END_REQUEST, the next request. */
function open() {
  if (performance.now() >= deadline) {
    if (--running === 0) finish();
    return;
  }
  let pending = Buffer.alloc(0);
  let first;
  let closed = false;
  const socket = connect(port, '127.0.0.1');
  const next = () => {
    if (performance.now() >= deadline) {
      closed = true;
      socket.destroy();
      if (--running === 0) finish();
      return;
    }
    first = undefined;
    socket.write(packet);
  };
  const fail = () => {
    if (closed) return;
    closed = true;
    errors++;
    socket.destroy();
    open();
  };
  socket.on('connect', next);
  socket.on('data', (chunk) => {
    pending = pending.byteLength === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.byteLength >= 8) {
      const size = 8 + ((pending[4] << 8) | pending[5]) + pending[6];
      if (pending.byteLength < size) return;
      const type = pending[1];
      const content = pending.subarray(8, size - pending[6]);
      pending = pending.subarray(size);
      if (type === STDOUT && first === undefined && content.byteLength > 0) first = content;
      if (type === END_REQUEST) {
        // protocolStatus (byte 4 of the content) 0 is FCGI_REQUEST_COMPLETE
        if (content[4] === 0 && first?.subarray(0, OK.byteLength).equals(OK) === true) requests++;
        else errors++;
        next();
        if (closed) return;
      }
    }
  });
  socket.on('error', fail);
  socket.on('close', fail);
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
  open();
}
