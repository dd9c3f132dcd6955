// tsgi.websocket through toFetchHandler on real Bun and real Deno: fixtures/websocket-app.ts served
// by serve-websocket-bun.ts and serve-websocket-deno.ts, and by @tsgi/node in this process as the
// reference, driven from Node by the `ws` client. Text and binary round trips, subprotocols and
// extra 101 fields, a denial, closes from either side, with validate() checking both sides; and
// where the runtime cannot switch (Bun without handler.websocket, Node), no key and the app's 426.
import { serve } from '@tsgi/node';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { guarded, until, untilStalled } from '../../../tools/test-support/index.ts';
import { toFetchHandler } from '../src/index.ts';
import { FLOOD_MESSAGES, websocketApp } from './fixtures/websocket-app.ts';
import { send } from './support/http.ts';
import { assertBuilt, type ChildServer, startServer } from './support/processes.ts';
import { connect, refusal } from './support/websocket-client.ts';

/** The packages whose dist/ the Bun and Deno children import. */
const LOADED = ['fetch', 'spec'];

/** The fixture on `@tsgi/node` in this process, its lines kept as a child's output is. */
async function onNode(): Promise<ChildServer> {
  const lines: string[] = [];
  const server = await serve(
    websocketApp((line) => lines.push(line)),
    {
      host: '127.0.0.1',
      port: 0,
    },
  );
  return {
    port: server.address.port!,
    output: () => lines.join('\n'),
    stop: () => server.close({ timeout: 1000 }),
  };
}

/** The servers and how each serves the fixture: `@tsgi/node`, the reference, first. */
const SERVERS = {
  node: onNode,
  bun: () => startServer(inject('bunBin'), ['test/fixtures/serve-websocket-bun.ts']),
  deno: () =>
    startServer(inject('denoBin'), [
      'run',
      '--allow-net=127.0.0.1',
      'test/fixtures/serve-websocket-deno.ts',
    ]),
} as const;

/** Waits until the server printed that a connection on `path` closed with `code` and `reason`. */
function serverSawClose(server: ChildServer, path: string, code: number, reason: string) {
  const line = JSON.stringify({ closed: { path, code, reason } });
  return until(() => server.output().includes(line), {
    what: `the server to print ${line}`,
    details: () => server.output(),
  });
}

/**
 * Fails the test if validate() reported a violation, or the server reported
 * an error but the one `/throw` asks for.
 */
function expectClean(server: ChildServer): void {
  expect(server.output()).not.toMatch(
    /"violation"|TsgiValidationError|^tsgi: (?!WebSocket \/throw:)/m,
  );
}

for (const [name, start] of Object.entries(SERVERS)) {
  describe(`${name === 'node' ? '@tsgi/node' : `toFetchHandler on ${name}`}: tsgi.websocket`, () => {
    let server: ChildServer;

    beforeAll(async () => {
      assertBuilt(LOADED);
      server = await start();
    });

    afterEach(() => expectClean(server));

    afterAll(() => server?.stop());

    it('echoes text and binary messages, in order', async () => {
      const client = await connect(server.port, '/echo');
      client.socket.send('hello');
      client.socket.send(new Uint8Array([0, 1, 2, 255]));
      const big = new Uint8Array(256 * 1024).map((_, i) => i % 251);
      client.socket.send(big);
      const text = await client.next();
      expect([text.binary, text.data.toString('utf8')]).toEqual([false, 'hello']);
      const bytes = await client.next();
      expect([bytes.binary, [...bytes.data]]).toEqual([true, [0, 1, 2, 255]]);
      const large = await client.next();
      expect(large.binary).toBe(true);
      expect(Buffer.compare(large.data, big)).toBe(0);
      for (let i = 0; i < 20; i++) client.socket.send(`message ${i}`);
      const received: string[] = [];
      for (let i = 0; i < 20; i++) received.push((await client.next()).data.toString());
      expect(received).toEqual(Array.from({ length: 20 }, (_, i) => `message ${i}`));
      client.socket.close(1000);
      expect(await client.closed()).toEqual({ code: 1000, reason: '' });
    });

    it('speaks the subprotocol the app chose, with its extra 101 field', async () => {
      const client = await connect(server.port, '/echo', ['chat', 'superchat']);
      expect([client.socket.protocol, client.headers['x-accepted']]).toEqual(['chat', 'yes']);
      client.socket.close(1000);
      await client.closed();
      // One protocol offered: Deno's own `protocol` option carries it.
      const single = await connect(server.port, '/echo', ['superchat']);
      expect(single.socket.protocol).toBe('superchat');
      single.socket.close(1000);
      await single.closed();
    });

    it('sends no subprotocol when none was offered', async () => {
      const client = await connect(server.port, '/echo');
      expect([client.socket.protocol, client.headers['sec-websocket-protocol']]).toEqual([
        '',
        undefined,
      ]);
      client.socket.close(1000);
      await client.closed();
    });

    // The bridge's own errors: @tsgi/node words them its way.
    it.skipIf(name === 'node')(
      'refuses what SPEC.md forbids with errors that say why',
      async () => {
        const client = await connect(server.port, '/misuse');
        expect(JSON.parse((await client.next()).data.toString())).toEqual([
          'TypeError: accept: protocol "never-offered" is not one the client offered (none)',
          "TypeError: accept: Sec-WebSocket-Accept is the server's to send in the 101, not the application's",
          'Error: startResponse: the WebSocket upgrade was accepted; an accepting app never calls it',
          'Error: accept: called twice',
          'TypeError: close code 1006 is not 1000, 1001, 1008, 1011–1013 or 3000–4999',
        ]);
        client.socket.close(1000);
        await client.closed();
      },
    );

    // @tsgi/node stops reading the socket instead: the client's sends wait.
    it.skipIf(name === 'node')('closes with 1008 past 16 MiB the app has not read', async () => {
      const client = await connect(server.port, '/ignore');
      const mebibyte = new Uint8Array(1024 * 1024);
      for (let i = 0; i < 17; i++) client.socket.send(mebibyte);
      expect(await client.closed()).toEqual({
        code: 1008,
        reason: 'the application is not reading',
      });
      await serverSawClose(server, '/ignore', 1008, 'the application is not reading');
    });

    it('closes with 1011 when the app throws after accept()', async () => {
      const client = await connect(server.port, '/throw');
      expect((await client.closed()).code).toBe(1011);
      if (name !== 'node') {
        await until(
          () => server.output().includes('tsgi: WebSocket /throw: Error: thrown after accept'),
          {
            what: 'the error on tsgi.errors',
            details: () => server.output(),
          },
        );
      }
    });

    it("denies with the app's own response", async () => {
      expect(await refusal(server.port, '/deny')).toEqual({ status: 403, body: 'denied\n' });
    });

    it('closes from the server with the code and reason the app gave', async () => {
      const client = await connect(server.port, '/close');
      client.socket.send('close, please');
      expect(await client.closed()).toEqual({ code: 4000, reason: 'server bye' });
      await serverSawClose(server, '/close', 4000, 'server bye');
    });

    it('tells the app the code and reason of a close from the client', async () => {
      const client = await connect(server.port, '/echo');
      client.socket.close(4001, 'client bye');
      expect(await client.closed()).toEqual({ code: 4001, reason: 'client bye' });
      await serverSawClose(server, '/echo', 4001, 'client bye');
    });
  });
}

/** The last `{"sent":N}` the server printed: how many messages `/flood` has handed over. */
function floodSent(server: ChildServer): number {
  const counts = [...server.output().matchAll(/\{"sent":(\d+)\}/g)];
  return counts.length === 0 ? 0 : Number(counts[counts.length - 1]![1]);
}

// Deno has no drain event, so there send() does not wait (docs/packages/fetch.md, "Sending"): not tested here.
describe.each([
  ['@tsgi/node', SERVERS.node],
  ["toFetchHandler on bun (Bun's drain)", SERVERS.bun],
])('%s: send() waits for a client that does not read', (_name, start) => {
  let server: ChildServer;

  beforeAll(async () => {
    assertBuilt(LOADED);
    server = await start();
  });

  afterEach(() => expectClean(server));

  afterAll(() => server?.stop());

  it('holds an app that awaits send() while the client does not read', async () => {
    const client = await connect(server.port, '/flood');
    client.socket.pause();
    await untilStalled(() => floodSent(server), 'the app to stop sending');
    const held = floodSent(server);
    expect(held, server.output().slice(-2000)).toBeLessThan(FLOOD_MESSAGES);
    client.socket.resume();
    for (let i = 0; i < FLOOD_MESSAGES; i++) {
      expect((await client.next()).data.byteLength).toBe(64 * 1024);
    }
    await until(() => floodSent(server) === FLOOD_MESSAGES, {
      what: `the app to have sent all ${FLOOD_MESSAGES} messages`,
      details: () => server.output().slice(-2000),
    });
    client.socket.close(1000);
    await client.closed();
  });
});

/** An RFC 6455 handshake's fields, for a plain HTTP request. */
const HANDSHAKE: Array<[string, string]> = [
  ['Upgrade', 'websocket'],
  ['Connection', 'Upgrade'],
  ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
  ['Sec-WebSocket-Version', '13'],
];

describe('where the runtime cannot switch, tsgi.websocket is absent', () => {
  it('on Bun.serve without handler.websocket', async () => {
    assertBuilt(LOADED);
    const server = await startServer(inject('bunBin'), ['test/fixtures/serve-websocket-bun.ts'], {
      env: { TSGI_BUN_WEBSOCKET: 'off' },
    });
    await guarded(async () => {
      const answer = await send(server.port, { method: 'GET', path: '/echo', headers: HANDSHAKE });
      expect([answer.status, answer.body.toString()]).toEqual([426, 'WebSocket only\n']);
    }, server.stop);
  });

  it('on Node (a fetch server with neither Bun nor Deno)', async () => {
    const request = new Request('http://127.0.0.1/echo', { headers: HANDSHAKE });
    const response = await toFetchHandler(websocketApp(() => {}))(request);
    expect([response.status, await response.text()]).toEqual([426, 'WebSocket only\n']);
  });
});
