import { connect, type Socket } from 'node:net';
import type { Application } from '@tsgi/spec';
import { statusLine } from '@tsgi/spec';
import { afterEach, describe, expect, it } from 'vitest';
import { BOUNDS, bound } from '../../../tools/test-support/index.ts';
import {
  createListener,
  type Listener,
  type ListenerRequest,
  type Protocol,
  protocols,
} from '../src/index.js';
import { encodePacket } from '../src/uwsgi/index.js';
import { request as fastcgiRequest, nginxParams } from './fastcgi/helpers.js';
import { gate, memoryStream, text, until } from './helpers.js';
import { rawConnection } from './raw-connection.js';

const open: Listener[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((listener) => listener.close(100)));
});

async function listen(app: Application, protocol: Protocol): Promise<Listener> {
  const listener = createListener(app, protocol, { errors: memoryStream() });
  open.push(listener);
  await listener.listen({ host: '127.0.0.1', port: 0 });
  return listener;
}

/**
 * A FastCGI answer read as HTTP, so one set of checks fits every protocol:
 * the `FCGI_STDOUT` contents, with `Status: 200 OK` as `HTTP/1.1 200 OK`.
 */
function fastcgiAsHttp(raw: Buffer): string {
  const out: Buffer[] = [];
  for (let at = 0; raw.byteLength - at >= 8; ) {
    const length = raw.readUInt16BE(at + 4);
    if (raw[at + 1] === 6) out.push(raw.subarray(at + 8, at + 8 + length));
    at += 8 + length + raw[at + 6]!;
  }
  return Buffer.concat(out)
    .toString('latin1')
    .replace(/^Status: /, 'HTTP/1.1 ');
}

/** One request over a raw connection; `received` resolves with everything read once the peer closes. */
function send(listener: Listener, path: string, keepAlive = false) {
  const socket: Socket = connect(listener.address.port!, '127.0.0.1');
  if (listener.protocol === 'uwsgi') {
    socket.write(
      encodePacket({ REQUEST_METHOD: 'GET', REQUEST_URI: path, PATH_INFO: path, QUERY_STRING: '' }),
    );
  } else if (listener.protocol === 'fastcgi') {
    socket.write(fastcgiRequest(1, nginxParams('GET', path), undefined, { keepConn: keepAlive }));
  } else {
    const connection = keepAlive ? 'keep-alive' : 'close';
    socket.write(`GET ${path} HTTP/1.1\r\nHost: h\r\nConnection: ${connection}\r\n\r\n`);
  }
  const chunks: Buffer[] = [];
  const data = () => {
    const raw = Buffer.concat(chunks);
    return listener.protocol === 'fastcgi' ? fastcgiAsHttp(raw) : raw.toString('latin1');
  };
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => {});
  const received = new Promise<string>((resolve) => socket.once('close', () => resolve(data())));
  return { socket, received, data };
}

/** An app whose response waits for `release` before its body ends; `started` opens when it runs. */
function held() {
  const started = gate();
  const release = gate();
  const app: Application = (_environ, startResponse) => {
    started.open();
    startResponse(statusLine(200), [['content-type', 'text/plain']]);
    return (async function* () {
      yield text('first;');
      await release.promise;
      yield text('last');
    })();
  };
  return { app, started, release };
}

describe.each(protocols)('a %s listener', (protocol) => {
  it('reports each request before the app runs it, with its method and target', async () => {
    const order: string[] = [];
    const listener = await listen((environ, startResponse) => {
      order.push(`app ${environ.REQUEST_URI}`);
      startResponse(statusLine(200), []);
      return [text('ok')];
    }, protocol);
    listener.on('request', (request) => order.push(`event ${request.method} ${request.target}`));
    await send(listener, '/a?b=1').received;
    expect(order).toEqual(['event GET /a?b=1', 'app /a?b=1']);
    expect(listener.address.url).toMatch(new RegExp(`^${protocol}://127\\.0\\.0\\.1:\\d+$`));
  });

  it('abort() answers a request that sent nothing yet with the status and a text body', async () => {
    const requests: ListenerRequest[] = [];
    const listener = await listen(() => new Promise<never>(() => {}), protocol);
    listener.on('request', (request) => requests.push(request));
    const client = send(listener, '/stuck');
    await until(() => requests.length === 1);
    const closed = gate();
    requests[0]!.onClose(() => closed.open());
    requests[0]!.abort(504, 'Gateway Timeout: too slow');
    client.socket.end();
    const answer = await client.received;
    expect(answer).toMatch(/^HTTP\/1\.1 504 Gateway Timeout\r\n/);
    expect(answer).toMatch(/\r\n\r\nGateway Timeout: too slow\n$/);
    await closed.promise;
  });

  it('close(ms) lets an in-flight response finish, and resolves once it has', async () => {
    const { app, started, release } = held();
    const listener = await listen(app, protocol);
    const client = send(listener, '/slow', true);
    await started.promise;
    // The head went out (with keep-alive, for HTTP) before the close began.
    await until(() => client.data().includes('first;'));
    const begun = Date.now();
    const timeout = bound(BOUNDS.process);
    const closing = listener.close(timeout);
    // close() began (it marks the connection closing at once); the response ends after it.
    release.open();
    await closing;
    // Once the response ended, not at the timeout.
    expect(Date.now() - begun).toBeLessThan(timeout / 2);
    expect(await client.received).toMatch(/first;[\s\S]*last/);
  });

  it('close(ms) cuts a request still running after ms', async () => {
    const { app, started } = held();
    const listener = await listen(app, protocol);
    const client = send(listener, '/forever');
    await started.promise;
    const begun = Date.now();
    await listener.close(200);
    expect(Date.now() - begun).toBeGreaterThanOrEqual(150);
    // Soon after the 200 ms (the response itself would never end).
    expect(Date.now() - begun).toBeLessThan(bound(BOUNDS.short));
    const answer = await client.received;
    expect(answer).toContain('first;');
    expect(answer).not.toContain('last');
  });
});

describe('an http listener', () => {
  it('close(ms) closes an idle keep-alive connection at once', async () => {
    const listener = await listen((_environ, startResponse) => {
      startResponse(statusLine(200), [['content-length', '2']]);
      return [text('ok')];
    }, 'http');
    const client = send(listener, '/', true);
    await until(() => client.data().endsWith('ok'));
    const begun = Date.now();
    const timeout = bound(BOUNDS.process);
    await listener.close(timeout);
    // At once, not at the timeout.
    expect(Date.now() - begun).toBeLessThan(timeout / 2);
    await client.received;
    expect(client.socket.destroyed).toBe(true);
  });

  it('drain(ms) leaves an idle keep-alive connection open; its next request gets Connection: close', async () => {
    const app: Application = (_environ, startResponse) => {
      startResponse(statusLine(200), [['content-length', '2']]);
      return [text('ok')];
    };
    const log = memoryStream();
    const options = { errors: memoryStream(), accessLog: 'common', accessLogStream: log } as const;
    const listener = createListener(app, 'http', options);
    open.push(listener);
    await listener.listen({ host: '127.0.0.1', port: 0 });
    const client = send(listener, '/', true);
    await until(() => client.data().endsWith('ok'));
    const draining = listener.drain(bound(BOUNDS.process), 'reload');
    // That the drain leaves the connection open has no event to wait for: a look after
    // longer than any sweep (50 ms) that it is still open, as a request may be on its way.
    await new Promise((r) => setTimeout(r, 200));
    expect(client.socket.destroyed).toBe(false);
    client.socket.write('GET /again HTTP/1.1\r\nHost: h\r\n\r\n');
    const report = await draining;
    const second = (await client.received).split('HTTP/1.1 ')[2]!;
    expect(second).toMatch(/^200 OK\r\n/);
    expect(second.toLowerCase()).toContain('connection: close\r\n');
    expect(report).toMatchObject({ connections: 1, answered: 1, idle: 0, peer: 0, cut: 0 });
    // The access log says which response the drain closed its connection after, and why.
    const [before, after] = log.text().trimEnd().split('\n');
    expect(before).toMatch(/"GET \/ HTTP\/1\.1" 200 2$/);
    expect(after).toMatch(/"GET \/again HTTP\/1\.1" 200 2 drain=reload$/);
  });

  it('drain(ms) closes a connection once it sat idle past keepAliveTimeout, and says so', async () => {
    const app: Application = (_environ, startResponse) => {
      startResponse(statusLine(200), [['content-length', '2']]);
      return [text('ok')];
    };
    const listener = createListener(app, 'http', { errors: memoryStream(), keepAliveTimeout: 100 });
    open.push(listener);
    await listener.listen({ host: '127.0.0.1', port: 0 });
    const client = send(listener, '/', true);
    await until(() => client.data().endsWith('ok'));
    const report = await listener.drain(bound(BOUNDS.process));
    expect(report).toMatchObject({ connections: 1, answered: 0, idle: 1, peer: 0, cut: 0 });
    await client.received;
  });

  it('drain(ms) cuts what is left after ms, and counts it', async () => {
    const { app, started } = held();
    const listener = await listen(app, 'http');
    const client = send(listener, '/', true);
    await started.promise;
    const report = await listener.drain(100);
    expect(report).toMatchObject({ connections: 1, cut: 1 });
    await client.received;
  });

  it('after a Connection: close response it reads and drops the unread body, never resets', async () => {
    const listener = await listen((_environ, startResponse) => {
      // answers at once, without reading the body
      startResponse(statusLine(403), [['content-length', '6']]);
      return [text('denied')];
    }, 'http');
    // Half-open allowed, as Nginx does: it goes on sending the body after the server's FIN.
    const client = rawConnection({
      port: listener.address.port!,
      host: '127.0.0.1',
      allowHalfOpen: true,
    });
    const socket = client.socket;
    const size = 4 * 1024 * 1024;
    socket.write(
      `POST / HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: ${size}\r\n\r\n`,
    );
    await client.until((data) => data.endsWith('denied'), 'the answer');
    // The client only now sends its body: bytes the server never reads.
    const piece = Buffer.alloc(65_536, 97);
    for (let sent = 0; sent < size && client.error() === undefined; sent += piece.byteLength) {
      if (!socket.write(piece)) await new Promise((r) => socket.once('drain', r).once('close', r));
    }
    socket.end();
    await client.closed;
    expect(client.error()).toBeUndefined();
    expect(client.data()).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
  });

  it('rejects an unknown protocol, naming the ones there are', () => {
    expect(() => createListener(() => [], 'scgi' as Protocol)).toThrow(/http, uwsgi, fastcgi/);
  });
});
