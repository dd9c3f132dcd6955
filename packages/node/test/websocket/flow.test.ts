/**
 * Flow on @tsgi/node's WebSockets: backpressure both ways, the heartbeat,
 * and which upgrade requests leave the HTTP request path (only valid
 * WebSocket handshakes; an `h2c` offer or a bad handshake stays a request).
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import type { Application } from '@tsgi/spec';
import { readBody } from '@tsgi/spec';
import { afterEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { until, untilStalled } from '../../../../tools/test-support/index.ts';
import { createListener, type Listener, type ServeOptions } from '../../src/index.js';

const text = (s: string) => new TextEncoder().encode(s);
const running: Listener[] = [];
afterEach(async () => {
  for (const listener of running.splice(0)) await listener.close(100);
});

async function start(app: Application, options: ServeOptions = {}): Promise<string> {
  const listener = createListener(app, 'http', options);
  running.push(listener);
  const address = await listener.listen({ host: '127.0.0.1', port: 0 });
  return `127.0.0.1:${address.port}`;
}

async function open(url: string, options?: WebSocket.ClientOptions): Promise<WebSocket> {
  const client = new WebSocket(url, options);
  client.on('error', () => undefined);
  await once(client, 'open');
  return client;
}

describe('backpressure', () => {
  test('a peer that stops reading makes send() wait; nothing is lost when it reads again', async () => {
    const chunk = new Uint8Array(65_536);
    let sent = 0;
    let stop = false;
    const app: Application = async (environ) => {
      const socket = await environ['tsgi.websocket']!.accept();
      void (async () => {
        while (!stop) {
          await socket.send(chunk);
          sent++;
        }
        await socket.send('end');
      })();
      return [];
    };
    const host = await start(app);
    const client = await open(`ws://${host}/`);
    let received = 0;
    client.on('message', (_data, binary) => {
      if (binary) received++;
    });
    client.pause();
    await untilStalled(() => sent, 'the app to wait in send()');
    // What the app could push while nobody read: the socket's buffers, not its whole output.
    expect(sent * chunk.byteLength).toBeLessThan(16 * 1024 * 1024);
    stop = true;
    const ended = new Promise<void>((resolve) =>
      client.on('message', (data, binary) => !binary && String(data) === 'end' && resolve()),
    );
    client.resume();
    await ended;
    expect(received).toBe(sent);
    client.close();
  });

  test('an app that stops iterating stops the server reading, and then reads it all', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let counted = 0;
    const app: Application = async (environ) => {
      const socket = await environ['tsgi.websocket']!.accept();
      void (async () => {
        await released;
        for await (const message of socket) {
          counted++;
          if (typeof message === 'string') await socket.send(`got ${counted}`);
        }
      })();
      return [];
    };
    const host = await start(app);
    const client = await open(`ws://${host}/`);
    const message = new Uint8Array(65_536);
    const total = 400; // 25 MiB: more than the server's queue and the kernel's buffers together
    for (let i = 0; i < total; i++) client.send(message);
    await untilStalled(() => client.bufferedAmount, 'the server to stop reading');
    expect(client.bufferedAmount).toBeGreaterThan(0);
    expect(counted).toBe(0);
    release();
    const reply = once(client, 'message');
    client.send('last');
    expect(String((await reply)[0])).toBe(`got ${total + 1}`);
    client.close();
  });
});

describe('heartbeat', () => {
  const app: Application = async (environ) => {
    const socket = await environ['tsgi.websocket']!.accept();
    void (async () => {
      for await (const message of socket) await socket.send(message);
    })().catch(() => undefined);
    return [];
  };

  test('a silent peer that answers pings stays open', async () => {
    const host = await start(app, { websocketPingInterval: 50 });
    const client = await open(`ws://${host}/`);
    let pings = 0;
    client.on('ping', () => pings++);
    await until(() => pings >= 4, { what: 'four pings' });
    expect(client.readyState).toBe(WebSocket.OPEN);
    client.close();
  });

  test('a peer that answers no ping is dropped', async () => {
    const host = await start(app, { websocketPingInterval: 50 });
    const client = await open(`ws://${host}/`, { autoPong: false });
    const [code] = await once(client, 'close');
    expect(code).toBe(1006);
  });
});

describe('which upgrades reach the app as ordinary requests', () => {
  const app: Application = async (environ, startResponse) => {
    const body = new TextDecoder().decode(await readBody(environ));
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return [text(`websocket=${environ['tsgi.websocket'] !== undefined} body=${body}`)];
  };

  /** Sends `head` + `body` raw and returns the response body. */
  async function raw(host: string, head: string, body = ''): Promise<string> {
    const [hostname, port] = host.split(':');
    const socket = connect(Number(port), hostname);
    socket.end(`${head}\r\nHost: ${host}\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    let reply = '';
    socket.on('data', (data) => {
      reply += data;
    });
    await once(socket, 'close');
    return reply.slice(reply.indexOf('\r\n\r\n') + 4);
  }

  test('an h2c offer with a body is a request, body and all', async () => {
    const host = await start(app);
    const body = await raw(
      host,
      'POST /form HTTP/1.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA',
      'a=1',
    );
    expect(body).toBe('websocket=false body=a=1');
  });

  test('a WebSocket handshake with a version other than 13 is a request without the key', async () => {
    const host = await start(app);
    const body = await raw(
      host,
      'GET /chat HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 12',
    );
    expect(body).toBe('websocket=false body=');
  });
});

describe('permessage-deflate', () => {
  const app: Application = async (environ) => {
    const socket = await environ['tsgi.websocket']!.accept();
    void (async () => {
      for await (const message of socket) await socket.send(message);
    })().catch(() => undefined);
    return [];
  };

  test('is off by default: a client offering it gets no extension', async () => {
    const host = await start(app);
    const client = await open(`ws://${host}/`, { perMessageDeflate: true });
    expect(client.extensions).toBe('');
    client.close();
  });

  test('websocketDeflate: true negotiates it, with the smaller server window', async () => {
    const host = await start(app, { websocketDeflate: true });
    const client = new WebSocket(`ws://${host}/`, { perMessageDeflate: true });
    client.on('error', () => undefined);
    const upgraded = once(client, 'upgrade');
    const opened = once(client, 'open');
    const [response] = await upgraded;
    await opened;
    expect(response.headers['sec-websocket-extensions']).toBe(
      'permessage-deflate; server_max_window_bits=13',
    );
    const big = 'tsgi '.repeat(20_000);
    const reply = once(client, 'message');
    client.send(big);
    expect(String((await reply)[0])).toBe(big);
    client.close();
  });
});
