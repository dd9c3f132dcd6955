/**
 * The scenario the outside clients (python3-websockets, raw frames, Chromium)
 * run against: the same routes, answered the same way, by a bare `ws` server
 * (the reference) and by a TSGI application on `@tsgi/node`. The path picks
 * the behaviour:
 *
 * - `/echo`: sends every message back as it came (text as text, binary as binary);
 * - `/protocols`: picks a subprotocol by {@link pickProtocol}, first sends a
 *   text message `{"offered": [...], "origin": ...}` saying what the client
 *   offered and its `Origin` header, then echoes;
 * - `/deny`: answers `403 Forbidden` with the body {@link DENIED_BODY} instead of accepting;
 * - `/close-4001`: accepts, then closes at once with {@link SERVER_CLOSE};
 * - `/` without an upgrade: {@link PAGE_HTML}, the page the Chromium test loads;
 * - a WebSocket route without an upgrade: `426`; anything else: `404`.
 */

/** The subprotocols the scenario server speaks, most preferred first. */
export const SERVER_PROTOCOLS: readonly string[] = ['v1', 'v2'];

/**
 * The scenario server's rule: its own most preferred protocol among those the
 * client offered (not the client's first choice), or none.
 */
export function pickProtocol(offered: readonly string[]): string | undefined {
  return SERVER_PROTOCOLS.find((protocol) => offered.includes(protocol));
}

/** The close `/close-4001` starts. */
export const SERVER_CLOSE = { code: 4001, reason: 'bye' } as const;

/** The body of the `403` that `/deny` answers. */
export const DENIED_BODY = 'denied: this socket is not for you\n';

/** The routes that speak WebSocket. */
export const SOCKET_ROUTES: readonly string[] = ['/echo', '/protocols', '/deny', '/close-4001'];

/**
 * The page at `/`: its script opens sockets back to its own origin, exchanges
 * messages, stores what it saw in `window.outcome` and sets `document.title`
 * to `done` (or `failed: ...`; `running: <step>` while it runs).
 */
export const PAGE_HTML = `<!doctype html>
<meta charset="utf-8">
<title>running</title>
<script>
function connect(path, protocols) {
  const socket = new WebSocket('ws://' + location.host + path, protocols);
  socket.binaryType = 'arraybuffer';
  const inbox = [];
  const waiting = [];
  socket.onmessage = (event) => {
    const data = typeof event.data === 'string' ? event.data : Array.from(new Uint8Array(event.data));
    if (waiting.length > 0) waiting.shift()(data); else inbox.push(data);
  };
  const closed = new Promise((resolve) => {
    socket.onclose = (event) => resolve({ code: event.code, reason: event.reason, wasClean: event.wasClean });
  });
  const opened = new Promise((resolve, reject) => {
    socket.onopen = () => resolve();
    socket.onerror = () => reject(new Error('error event on ' + path));
  });
  const next = () => inbox.length > 0 ? Promise.resolve(inbox.shift()) : new Promise((resolve) => waiting.push(resolve));
  return { socket, opened, closed, next };
}

function step(name) {
  document.title = 'running: ' + name;
}

async function run() {
  const outcome = {};
  step('echo');
  const echo = connect('/echo');
  await echo.opened;
  echo.socket.send('héllo from the page ✓');
  outcome.text = await echo.next();
  echo.socket.send(new Uint8Array([0, 1, 2, 253, 254, 255]));
  outcome.binary = await echo.next();
  const count = 50;
  for (let i = 0; i < count; i++) echo.socket.send('message ' + i);
  outcome.ordered = [];
  for (let i = 0; i < count; i++) outcome.ordered.push(await echo.next());
  echo.socket.close(1000, 'page done');
  outcome.echoClose = await echo.closed;

  step('protocols');
  const negotiated = connect('/protocols', ['v2', 'v1']);
  await negotiated.opened;
  outcome.protocol = negotiated.socket.protocol;
  outcome.seenByServer = JSON.parse(await negotiated.next());
  negotiated.socket.close();
  await negotiated.closed;

  step('server close');
  const closing = connect('/close-4001');
  await closing.opened;
  outcome.serverClose = await closing.closed;

  step('denial');
  const denied = connect('/deny');
  outcome.denied = await denied.opened.then(() => 'opened', (error) => String(error.message));
  outcome.deniedClose = await denied.closed;
  return outcome;
}

run().then(
  (outcome) => { window.outcome = outcome; document.title = 'done'; },
  (error) => { document.title = 'failed: ' + error.message; },
);
</script>
<p>WebSocket page</p>
`;

/** What a plain (not upgraded) request to `path` gets: the status line, content type and body. */
export function plainAnswer(path: string): { status: string; type: string; body: string } {
  if (path === '/') return { status: '200 OK', type: 'text/html; charset=utf-8', body: PAGE_HTML };
  if (SOCKET_ROUTES.includes(path)) {
    return { status: '426 Upgrade Required', type: 'text/plain', body: 'WebSocket only\n' };
  }
  return { status: '404 Not Found', type: 'text/plain', body: 'no such route\n' };
}
