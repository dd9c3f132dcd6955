// tsgi.websocket through toFetchHandler on real Bun and real Deno: fixtures/websocket-app.ts served
// by serve-websocket-bun.ts and serve-websocket-deno.ts, driven from Node by the `ws` client. Text
// and binary round trips, subprotocols and extra 101 fields, a denial, closes from either side; and
// where the runtime cannot switch (Bun without handler.websocket, Node), no key and the app's 426.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { guarded, until, untilStalled } from '../../../tools/test-support/index.ts';
import { toFetchHandler } from '../src/index.ts';
import { app, FLOOD_MESSAGES } from './fixtures/websocket-app.ts';
import { send } from './support/http.ts';
import { assertBuilt, type ChildServer, startServer } from './support/processes.ts';
import { connect, refusal } from './support/websocket-client.ts';

/** The packages whose dist/ the Bun and Deno children import. */
const LOADED = ['fetch', 'spec'];

/** The runtimes and how each serves the fixture. */
const RUNTIMES = {
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

for (const [name, start] of Object.entries(RUNTIMES)) {
  describe(`toFetchHandler on ${name}: tsgi.websocket`, () => {
    let server: ChildServer;

    beforeAll(async () => {
      assertBuilt(LOADED);
      server = await start();
    });

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

    it('refuses what SPEC.md forbids with errors that say why', async () => {
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

describe("toFetchHandler on bun: send() waits for Bun's drain", () => {
  let server: ChildServer;

  beforeAll(async () => {
    assertBuilt(LOADED);
    server = await RUNTIMES.bun();
  });

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
    const response = await toFetchHandler(app)(request);
    expect([response.status, await response.text()]).toEqual([426, 'WebSocket only\n']);
  });
});
