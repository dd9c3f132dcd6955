/**
 * @tsgi/node's WebSocket duties beyond framing: how a handshake request ends
 * (harakiri and drains never see an open WebSocket as a request in flight),
 * 1001 when a stop's time runs out, 1011 when the app fails after accepting,
 * the metrics, and the misuse of accept/startResponse.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import type { Application, WebSocketConnection } from '@tsgi/spec';
import { afterEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { until } from '../../../../tools/test-support/index.ts';
import { createListener, type Listener, type ServeOptions } from '../../src/index.js';
import { MetricsCollector } from '../../src/metrics/index.js';

const text = (s: string) => new TextEncoder().encode(s);

/** A running listener with the accepted connections and what went to tsgi.errors. */
interface Running {
  listener: Listener;
  url: string;
  accepted: WebSocketConnection[];
  errors: () => string;
}

const running: Listener[] = [];
afterEach(async () => {
  for (const listener of running.splice(0)) await listener.close(100);
});

/** Listens with `app` on 127.0.0.1 and a kernel-picked port. */
async function start(app: Application, options: ServeOptions = {}): Promise<Running> {
  let errors = '';
  const listener = createListener(app, 'http', {
    errors: {
      write: (s: string) => {
        errors += s;
        return true;
      },
    },
    ...options,
  });
  running.push(listener);
  const address = await listener.listen({ host: '127.0.0.1', port: 0 });
  return { listener, url: `ws://127.0.0.1:${address.port}`, accepted, errors: () => errors };
}

/** Connections the echo app accepted, newest last. */
const accepted: WebSocketConnection[] = [];

/** Accepts and echoes; `/fail` accepts, then throws. */
const echo: Application = async (environ, startResponse) => {
  const upgrade = environ['tsgi.websocket'];
  if (upgrade === undefined) {
    startResponse('426 Upgrade Required', [['content-type', 'text/plain']]);
    return [text('WebSocket only\n')];
  }
  const socket = await upgrade.accept();
  accepted.push(socket);
  if (environ.PATH_INFO === '/fail') throw new Error('the app failed after accept');
  void (async () => {
    for await (const message of socket) await socket.send(message);
  })().catch(() => undefined);
  return [];
};

/** Opens a client and waits for the handshake. */
async function open(url: string): Promise<WebSocket> {
  const client = new WebSocket(url);
  client.on('error', () => undefined);
  await once(client, 'open');
  return client;
}

/** Sends `message` and waits for its echo. */
async function roundTrip(client: WebSocket, message: string): Promise<string> {
  const reply = once(client, 'message');
  client.send(message);
  const [data] = await reply;
  return String(data);
}

/** Resolves with the close code and reason the client saw. */
function closeOf(client: WebSocket): Promise<{ code: number; reason: string }> {
  return once(client, 'close').then(([code, reason]) => ({
    code: code as number,
    reason: String(reason),
  }));
}

describe('the handshake request', () => {
  test('ends at accept(): the request event closes while the WebSocket stays open', async () => {
    const server = await start(echo);
    const ended: string[] = [];
    server.listener.on('request', (request) => {
      request.onClose(() => ended.push(`${request.method} ${request.target}`));
    });
    const client = await open(`${server.url}/chat`);
    await until(() => ended.length === 1, { what: 'the handshake request to end' });
    expect(ended).toEqual(['GET /chat']);
    expect(await roundTrip(client, 'still open')).toBe('still open');
    client.close();
  });

  test('an app error after accept() closes the WebSocket with 1011 and is reported', async () => {
    const server = await start(echo);
    const client = new WebSocket(`${server.url}/fail`);
    client.on('error', () => undefined);
    expect(await closeOf(client)).toEqual({ code: 1011, reason: 'internal error' });
    await until(() => server.errors().includes('the app failed after accept'), {
      what: 'the error on tsgi.errors',
      details: server.errors,
    });
  });

  test('startResponse after accept() throws, and accept() after startResponse throws', async () => {
    const seen: string[] = [];
    const app: Application = async (environ, startResponse) => {
      const upgrade = environ['tsgi.websocket']!;
      if (environ.PATH_INFO === '/accept-first') {
        const socket = await upgrade.accept();
        try {
          startResponse('200 OK', []);
        } catch (error) {
          seen.push((error as Error).message);
        }
        await socket.close(4000, 'done');
        return [];
      }
      startResponse('403 Forbidden', [['content-type', 'text/plain']]);
      try {
        upgrade.accept();
      } catch (error) {
        seen.push((error as Error).message);
      }
      return [text('denied\n')];
    };
    const server = await start(app);
    const first = new WebSocket(`${server.url}/accept-first`);
    first.on('error', () => undefined);
    expect(await closeOf(first)).toEqual({ code: 4000, reason: 'done' });
    const denied = new WebSocket(`${server.url}/deny-first`);
    denied.on('error', () => undefined);
    const [, response] = await once(denied, 'unexpected-response');
    expect(response.statusCode).toBe(403);
    await until(() => seen.length === 2, { what: 'both misuses to throw' });
    expect(seen).toEqual([
      'startResponse was called after tsgi.websocket.accept()',
      'tsgi.websocket.accept() was called after startResponse denied the upgrade',
    ]);
  });
});

describe('stopping', () => {
  test('a drain leaves open WebSockets alone until its time runs out, then sends 1001', async () => {
    const server = await start(echo);
    const client = await open(`${server.url}/`);
    const closed = closeOf(client);
    const drained = server.listener.drain(1500, 'reload');
    // Mid-drain the WebSocket still echoes.
    expect(await roundTrip(client, 'during the drain')).toBe('during the drain');
    expect(await closed).toEqual({ code: 1001, reason: 'server going away' });
    const report = await drained;
    expect(report.connections).toBe(1);
    expect(report.peer).toBe(0);
    running.splice(running.indexOf(server.listener), 1);
  });

  test('a WebSocket that closes itself lets the drain end before its time', async () => {
    const server = await start(echo);
    const client = await open(`${server.url}/`);
    const drained = server.listener.drain(120_000, 'reload');
    client.close(1000, 'bye');
    const report = await drained;
    expect(report.connections).toBe(1);
    expect(report.cut).toBe(0);
    expect(report.peer).toBe(1);
    running.splice(running.indexOf(server.listener), 1);
  });
});

describe('a draining server and a handshake on a kept-alive connection', () => {
  test('drops it unanswered, so the proxy retries on a new connection', async () => {
    const server = await start(echo);
    const port = Number(new URL(server.url).port);
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (data) => {
      received += data;
    });
    socket.write('GET /plain HTTP/1.1\r\nHost: x\r\n\r\n');
    await until(() => received.includes('WebSocket only'), { what: 'the plain answer' });
    const before = received.length;
    const drained = server.listener.drain(120_000, 'reload');
    socket.write(
      'GET /chat HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    await once(socket, 'close');
    expect(received.length).toBe(before);
    expect((await drained).connections).toBe(1);
    running.splice(running.indexOf(server.listener), 1);
  });
});

describe('metrics', () => {
  test('count open WebSockets, accepted ones and messages both ways', async () => {
    const metrics = new MetricsCollector();
    const server = await start(echo, { metrics });
    const client = await open(`${server.url}/`);
    for (const message of ['a', 'b', 'c']) await roundTrip(client, message);
    const during = metrics.sample();
    expect(during.websocketsOpen).toBe(1);
    expect(during.websocketsAccepted).toBe(1);
    expect(during.websocketMessagesReceived).toBe(3);
    expect(during.websocketMessagesSent).toBe(3);
    expect(during.inFlight).toBe(0);
    client.close();
    await until(() => metrics.sample().websocketsOpen === 0, { what: 'the gauge to drop' });
    expect(metrics.sample().websocketsAccepted).toBe(1);
    metrics.stop();
  });
});
