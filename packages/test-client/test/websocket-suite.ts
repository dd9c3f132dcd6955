import type { Application } from '@tsgi/spec';
import { describe, expect, test } from 'vitest';
import { BOUNDS, bound } from '../../../tools/test-support/index.ts';
import {
  type ClientOptions,
  type TestClient,
  type TestWebSocket,
  WebSocketDenied,
  type WebSocketOptions,
} from '../src/index.ts';
import { bytes, deferred } from './apps.ts';

/** How the WebSocket suite gets a client for an app: in-process, or through a live server. */
export interface WebSocketHarness {
  mode: string;
  client(app: Application, options?: ClientOptions): Promise<TestClient>;
}

/** `client.websocket()` with the handshake and `receive()` bounded by `BOUNDS.short`, scaled. */
function open(
  client: TestClient,
  path: string,
  options: WebSocketOptions = {},
): Promise<TestWebSocket> {
  return client.websocket(path, { timeout: bound(BOUNDS.short), ...options });
}

/** Echoes every message back as it came; picks the last subprotocol offered. */
export const echo: Application = async (environ, startResponse) => {
  const upgrade = environ['tsgi.websocket'];
  if (upgrade === undefined) {
    startResponse('426 Upgrade Required', [['Content-Type', 'text/plain']]);
    return [bytes('WebSocket only\n')];
  }
  const socket = await upgrade.accept({ protocol: upgrade.protocols.at(-1) });
  void (async () => {
    for await (const message of socket) await socket.send(message);
  })();
  return [];
};

/** The WebSocket cases both modes share, run once per harness. */
export function websocketSuite(harness: WebSocketHarness): void {
  describe(`websockets (${harness.mode})`, () => {
    test('text and binary messages echo back as they were sent, in order', async () => {
      const client = await harness.client(echo);
      const socket = await open(client, '/echo');
      expect(socket.url).toMatch(/^ws:\/\/[^/]+\/echo$/);
      expect(socket.protocol).toBe('');
      await socket.send('héllo');
      expect(await socket.receive()).toBe('héllo');
      await socket.send(new Uint8Array([0, 1, 255]));
      expect(await socket.receiveBytes()).toEqual(new Uint8Array([0, 1, 255]));
      for (let i = 0; i < 50; i++) await socket.send(`m${i}`);
      for (let i = 0; i < 50; i++) expect(await socket.receiveText()).toBe(`m${i}`);
      await socket.send('{"n":1}');
      expect(await socket.receiveJson()).toEqual({ n: 1 });
      await socket.close();
      expect(await socket.closed).toEqual({ code: 1000, reason: '' });
    });

    test('the app picks a subprotocol among those offered; the 101 names it', async () => {
      const client = await harness.client(echo);
      const socket = await open(client, '/echo', { protocols: ['chat.v2', 'chat.v1'] });
      expect(socket.protocol).toBe('chat.v1');
      expect(socket.headers.get('sec-websocket-protocol')).toBe('chat.v1');
      expect(socket.headers.get('upgrade')).toMatch(/^websocket$/i);
      expect(socket.headers.get('sec-websocket-accept')).toMatch(/^[A-Za-z0-9+/]{27}=$/);
      await socket.close();
    });

    test('headers and query reach the app; its extra 101 headers and cookies reach the test', async () => {
      const seen = deferred<Record<string, unknown>>();
      const app: Application = async (environ) => {
        seen.resolve({
          path: environ.PATH_INFO,
          query: environ.QUERY_STRING,
          token: environ.HTTP_X_TOKEN,
        });
        await environ['tsgi.websocket']!.accept({
          headers: [
            ['X-Room', 'lobby'],
            ['Set-Cookie', 'seen=1; Path=/'],
          ],
        });
        return [];
      };
      const client = await harness.client(app);
      const socket = await open(client, '/rooms/lobby', {
        query: { since: 5 },
        headers: { 'X-Token': 't0k' },
      });
      expect(await seen.promise).toEqual({ path: '/rooms/lobby', query: 'since=5', token: 't0k' });
      expect(socket.headers.get('x-room')).toBe('lobby');
      expect(client.cookies?.get('seen')).toBe('1');
      await socket.close();
    });

    test('an app that answers with startResponse denies the upgrade: WebSocketDenied with its response', async () => {
      const app: Application = (_environ, startResponse) => {
        const body = bytes('members only\n');
        startResponse('403 Forbidden', [
          ['Content-Type', 'text/plain; charset=utf-8'],
          ['Content-Length', String(body.byteLength)],
        ]);
        return [body];
      };
      const client = await harness.client(app);
      const error = await open(client, '/private').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WebSocketDenied);
      const denied = error as WebSocketDenied;
      expect(denied.status).toBe(403);
      expect(denied.body).toBe('members only\n');
      expect(denied.response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await denied.response.text()).toBe('members only\n');
      expect(denied.message).toMatch(/denied with 403 Forbidden: "members only\\n"/);
    });

    test("the app's close(code, reason) ends the test's iteration and resolves its closed", async () => {
      const app: Application = async (environ) => {
        const socket = await environ['tsgi.websocket']!.accept();
        void (async () => {
          for await (const message of socket) {
            if (message === 'bye') await socket.close(4000, 'see you');
            else await socket.send(`got ${String(message)}`);
          }
        })();
        return [];
      };
      const client = await harness.client(app);
      const socket = await open(client, '/');
      await socket.send('a');
      await socket.send('bye');
      const messages: unknown[] = [];
      for await (const message of socket) messages.push(message);
      expect(messages).toEqual(['got a']);
      expect(await socket.closed).toEqual({ code: 4000, reason: 'see you' });
      await expect(socket.receive()).rejects.toThrow(
        /closed \(4000 "see you"\) before another message/,
      );
      await expect(socket.send('late')).rejects.toThrow(/closed/);
    });

    test("the test's close(code, reason) ends the app's iteration and resolves its closed", async () => {
      const ended = deferred<{ messages: unknown[]; closed: unknown }>();
      const app: Application = async (environ) => {
        const socket = await environ['tsgi.websocket']!.accept();
        void (async () => {
          const messages: unknown[] = [];
          for await (const message of socket) {
            // A server may hand binary as a Buffer, which is a Uint8Array: compare the bytes.
            messages.push(typeof message === 'string' ? message : new Uint8Array(message));
            if (typeof message !== 'string' && !(message instanceof Uint8Array))
              messages.push('not a Uint8Array');
          }
          ended.resolve({ messages, closed: await socket.closed });
        })();
        return [];
      };
      const client = await harness.client(app);
      const socket = await open(client, '/');
      await socket.send('one');
      await socket.send(bytes('two'));
      await socket.close(4001, 'done');
      expect(await ended.promise).toEqual({
        messages: ['one', bytes('two')],
        closed: { code: 4001, reason: 'done' },
      });
      expect(await socket.closed).toEqual({ code: 4001, reason: 'done' });
    });

    test('receive() gives up after its bound, naming the URL', async () => {
      const client = await harness.client(echo);
      const socket = await open(client, '/quiet');
      await expect(socket.receive({ timeout: 1 })).rejects.toThrow(
        /no WebSocket message from ws:\/\/.+\/quiet within 1 ms/,
      );
      await socket.send('still here');
      expect(await socket.receive()).toBe('still here');
      await socket.close();
    });

    test('client.close() closes the WebSockets still open with 1001', async () => {
      const closed = deferred<unknown>();
      const app: Application = async (environ) => {
        const socket = await environ['tsgi.websocket']!.accept();
        void socket.closed.then(closed.resolve);
        return [];
      };
      const client = await harness.client(app);
      await open(client, '/');
      await client.close();
      expect(await closed.promise).toEqual({ code: 1001, reason: '' });
    });

    test('a handshake header the client writes itself is refused', async () => {
      const client = await harness.client(echo);
      await expect(
        open(client, '/', { headers: { 'Sec-WebSocket-Protocol': 'x' } }),
      ).rejects.toThrow(/writes the Sec-WebSocket-Protocol header .* use \{ protocols \}/);
    });
  });
}
