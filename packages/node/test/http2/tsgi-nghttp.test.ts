// tsgi's HTTP/2 over TLS against Debian's nghttp on loopback: many streams
// multiplexed on one connection, each with its own answer, with and without
// request bodies, and a connection that ends cleanly.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNDS, guarded, until } from '../../../../tools/test-support/index.ts';
import { makePki } from '../tls/certs.ts';
import { type NghttpLog, nghttp } from './nghttp.ts';
import type { Peer } from './tsgi-app.ts';
import { startTsgiH2, type TsgiH2 } from './tsgi-server.ts';

let target: TsgiH2;
let origin: string;
beforeAll(async () => {
  target = await startTsgiH2();
  // The certificate names localhost: nghttp checks the name as well as the chain.
  origin = `https://localhost:${target.port}`;
});
afterAll(() => target?.close());

/** Frames of `type` that nghttp received. */
function received(log: NghttpLog, type: string) {
  return log.frames.filter((f) => f.direction === 'recv' && f.type === type);
}

/** nghttp's run went through without a warning, on one h2 connection whose SETTINGS were tsgi's. */
function expectOneCleanConnection(log: NghttpLog) {
  expect([log.code, log.stderr], log.output.slice(-2000)).toEqual([0, '']);
  expect([log.connections, log.protocol]).toEqual([1, 'h2']);
  expect(log.serverSettings.SETTINGS_MAX_CONCURRENT_STREAMS).toBe(100);
  // tsgi pushes nothing and resets nothing; nghttp ends the connection with GOAWAY(NO_ERROR).
  expect(received(log, 'PUSH_PROMISE')).toEqual([]);
  expect(received(log, 'RST_STREAM')).toEqual([]);
  expect(received(log, 'GOAWAY')).toEqual([]);
  const goaway = log.frames.filter((f) => f.direction === 'send' && f.type === 'GOAWAY');
  expect(goaway.map((f) => f.lines.join(' '))).toEqual([
    expect.stringContaining('error_code=NO_ERROR(0x00)'),
  ]);
}

/** The server holds no connection once nghttp has gone. */
async function untilServerLetsGo() {
  const transport = target.server.listener.transport;
  await until(() => [...transport.sockets()].length === 0, {
    ms: BOUNDS.short,
    what: "the server to close nghttp's connection",
    details: () => `${[...transport.sockets()].length} connections open`,
  });
}

describe('nghttp against tsgi over HTTP/2', () => {
  it('200 URIs on one connection, past MAX_CONCURRENT_STREAMS 100: each stream gets its own answer', async () => {
    const urls = Array.from({ length: 200 }, (_, i) => `${origin}/peer?n=${i}`);
    const log = await nghttp(urls, [], target.pki.ca);
    expectOneCleanConnection(log);
    const streams = [...log.streams.values()].filter((s) => s.method !== undefined);
    expect(streams).toHaveLength(200);
    const ports = new Set<string>();
    for (const stream of streams) {
      expect([stream.method, stream.status, stream.ended], `stream ${stream.id}`).toEqual([
        'GET',
        200,
        true,
      ]);
      const peer = JSON.parse(stream.body) as Peer;
      expect(peer, `stream ${stream.id}`).toMatchObject({
        protocol: 'HTTP/2.0',
        query: stream.path?.split('?')[1],
      });
      ports.add(peer.port);
    }
    // Every URI was asked once.
    const asked = urls.map((u) => u.slice(origin.length)).sort();
    expect(streams.map((s) => s.path).sort()).toEqual(asked);
    // The server saw one client port: the 200 requests came over one connection.
    expect(ports.size).toBe(1);
    await untilServerLetsGo();
  });

  it('-d: 100 POST streams at once, each body echoed whole or counted', async () => {
    const body = Buffer.alloc(100_000);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31) % 251;
    const file = target.pki.path('nghttp-body.bin');
    writeFileSync(file, body);
    const log = await nghttp(
      [`${origin}/echo`, `${origin}/size`],
      ['-m', '50', '-d', file],
      target.pki.ca,
    );
    expectOneCleanConnection(log);
    const streams = [...log.streams.values()].filter((s) => s.method !== undefined);
    expect(streams).toHaveLength(100);
    const sent = readFileSync(file).toString('latin1');
    const answers = { '/echo': 0, '/size': 0 };
    for (const stream of streams) {
      expect([stream.method, stream.status, stream.ended], `stream ${stream.id}`).toEqual([
        'POST',
        200,
        true,
      ]);
      const path = stream.path as keyof typeof answers;
      answers[path]++;
      // A wrong body is not printed whole: only whether it matched and its length.
      if (path === '/echo') {
        expect([stream.body === sent, stream.body.length]).toEqual([true, 100_000]);
      } else {
        expect(stream.body).toBe('100000');
      }
    }
    expect(answers).toEqual({ '/echo': 50, '/size': 50 });
    await untilServerLetsGo();
  });

  it('trusts only the test CA: a CA of its own makes nghttp warn, which the runs above never did', async () => {
    const stranger = await makePki();
    await guarded(
      async () => {
        const log = await nghttp([`${origin}/`], [], stranger.ca);
        expect(log.stderr).toMatch(/Certificate verification failed/);
        // nghttp only warns; the request still went through.
        const answered = [...log.streams.values()].filter((s) => s.method !== undefined);
        expect(answered.map((s) => [s.path, s.status, s.body])).toEqual([['/', 200, 'hello']]);
        await untilServerLetsGo();
      },
      () => stranger.remove(),
    );
  });
});
