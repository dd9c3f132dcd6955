import { mkdtempSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statusLine } from '@tsgi/spec';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { guarded } from '../../../../tools/test-support/index.ts';
import { closeUwsgiServer, createUwsgiServer, encodePacket } from '../../src/uwsgi/index.js';
import { RawSocket } from '../../src/wire/raw-socket.js';
import { streamBinding } from '../../src/wire/stream-binding.js';
import type { WireSocket } from '../../src/wire/wire-socket.js';
import { gate, openConnections, rawRequest, text, until } from '../helpers.js';
import { nginxVars, request, startUwsgi } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tsgi-raw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An app that records the kind of socket its own request came on. */
function kindApp(server: () => ReturnType<typeof createUwsgiServer>, kinds: string[]) {
  return () => {
    for (const socket of server().transport.sockets()) kinds.push(kindOf(socket));
    return [] as Uint8Array[];
  };
}

function kindOf(socket: WireSocket): string {
  return socket instanceof RawSocket ? 'raw' : socket instanceof Socket ? 'net' : 'other';
}

describe('which socket a uwsgi connection gets', () => {
  it('this Node has the stream-handle binding the raw path needs', () => {
    expect(streamBinding()).toBeDefined();
  });

  it.each([
    ['raw', 'tcp'],
    ['raw', 'unix'],
    ['node', 'tcp'],
  ] as const)('sockets %s on %s', async (sockets, where) => {
    const kinds: string[] = [];
    const server = createUwsgiServer(
      (environ, startResponse) => {
        kindApp(() => server, kinds)();
        startResponse(statusLine(200), [['Content-Length', '2']]);
        return [text(environ.REQUEST_METHOD === 'GET' ? 'ok' : '??')];
      },
      { sockets },
    );
    const path = join(dir, `${sockets}-${where}.sock`);
    await new Promise<void>((resolve) =>
      where === 'unix' ? server.listen(path, resolve) : server.listen(0, '127.0.0.1', resolve),
    );
    await guarded(
      async () => {
        const address = server.address();
        const packet = encodePacket(nginxVars());
        const target = where === 'unix' ? path : (address as { port: number }).port;
        const answer = (await rawRequest(target, packet)).bytes;
        expect(answer.toString('latin1')).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nok$/);
        expect(kinds).toEqual([sockets === 'raw' ? 'raw' : 'net']);
      },
      () => closeUwsgiServer(server, 200),
    );
  });

  it('refuses an unknown sockets option at setup', () => {
    expect(() => createUwsgiServer(() => [], { sockets: 'fast' as 'raw' })).toThrow(
      /option sockets must be 'raw' or 'node', got fast/,
    );
  });

  it('falls back to net.Socket where process.binding is refused', async () => {
    const proc = process as unknown as { binding: unknown };
    const original = proc.binding;
    vi.resetModules();
    proc.binding = () => {
      throw new Error('ERR_ACCESS_DENIED');
    };
    let close: () => Promise<void> = async () => {};
    await guarded(
      async () => {
        const fresh = await import('../../src/uwsgi/index.js');
        const kinds: string[] = [];
        const server = fresh.createUwsgiServer((_environ, startResponse) => {
          for (const socket of server.transport.sockets()) {
            kinds.push(socket instanceof Socket ? 'net' : 'other');
          }
          startResponse(statusLine(204), []);
          return [];
        });
        close = () => fresh.closeUwsgiServer(server, 200);
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const port = (server.address() as { port: number }).port;
        const { bytes } = await rawRequest(port, encodePacket(nginxVars()));
        expect(bytes.toString('latin1')).toMatch(/^HTTP\/1\.1 204 No Content\r\n/);
        expect(kinds).toEqual(['net']);
      },
      () => close(),
      () => {
        proc.binding = original;
        vi.resetModules();
      },
    );
  });
});

/**
 * A uwsgi server whose app answers `body` (200, or 204 when empty) only once
 * `release` opens; `started` opens when a request reached the app.
 */
async function heldServer(body: string) {
  const release = gate();
  const started = gate();
  const served = await startUwsgi(async (_environ, startResponse) => {
    started.open();
    await release.promise;
    if (body === '') {
      startResponse(statusLine(204), []);
      return [];
    }
    startResponse(statusLine(200), [['Content-Length', String(body.length)]]);
    return [text(body)];
  });
  return { ...served, release, started };
}

describe('the server around raw sockets', () => {
  it('close() waits for a connection still answering, and getConnections counts it', async () => {
    const { server, port, release, started } = await heldServer('done');
    const pending = rawRequest(port, encodePacket(nginxVars()));
    await started.promise;
    expect(await openConnections(server)).toBe(1);
    let closed = false;
    server.close(() => {
      closed = true;
    });
    // A close that does not come has no event: a short look that it waits.
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toBe(false);
    release.open();
    const { bytes } = await pending;
    expect(bytes.toString('latin1')).toMatch(/\r\n\r\ndone$/);
    await until(() => closed, 'server close');
  });

  it('maxConnections closes connections past the limit unanswered', async () => {
    const { server, port, release, started } = await heldServer('');
    server.maxConnections = 1;
    const first = rawRequest(port, encodePacket(nginxVars()));
    await started.promise;
    const second = await rawRequest(port, encodePacket(nginxVars()));
    expect(second.bytes.byteLength).toBe(0);
    expect(second.ending).not.toBe('timeout');
    release.open();
    expect((await first).bytes.toString('latin1')).toMatch(/^HTTP\/1\.1 204 /);
  });

  it('a POST body and a large streamed response come through whole, with backpressure', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const { port } = await startUwsgi(async (environ, startResponse) => {
      const body = await environ['tsgi.input'].read();
      startResponse(statusLine(200), [
        ['Content-Length', String(body.byteLength + 128 * chunk.byteLength)],
      ]);
      return (async function* () {
        yield body;
        for (let i = 0; i < 128; i++) yield chunk;
      })();
    });
    const payload = Buffer.alloc(200_000, 0x62);
    const answer = await request(port, { REQUEST_METHOD: 'POST' }, payload);
    expect(answer.status).toBe(200);
    expect(answer.body.byteLength).toBe(payload.byteLength + 128 * chunk.byteLength);
    expect(answer.body.subarray(0, payload.byteLength).equals(payload)).toBe(true);
    expect(answer.ending).toBe('end');
  });
});
