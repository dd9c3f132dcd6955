import { serve, type TsgiServer } from '@tsgi/node';
import type { Application } from '@tsgi/spec';
import { afterEach, describe, expect, it } from 'vitest';
import { BOUNDS, bound } from '../../../tools/test-support/index.ts';
import { type RequestIdOptions, requestId } from '../src/index.ts';
import { echoApp } from './apps.ts';

// Over real sockets on loopback: REMOTE_ADDR comes from the connection.
let server: TsgiServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(app: Application, serverOptions: { trustProxy?: string } = {}) {
  server = await serve(app, { host: '127.0.0.1', port: 0, ...serverOptions });
  return server.address.url;
}

async function idFor(options: RequestIdOptions, headers: Record<string, string>) {
  const url = await start(requestId(echoApp(), options));
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(bound(BOUNDS.short)) });
  const body = (await res.json()) as { id: string };
  expect(body.id).toBe(res.headers.get('x-request-id'));
  return body.id;
}

describe('over HTTP with @tsgi/node on 127.0.0.1', () => {
  it("accepts the proxy's id from a loopback peer with trustProxy: 'loopback'", async () => {
    expect(await idFor({ trustProxy: 'loopback' }, { 'X-Request-Id': 'edge-1' })).toBe('edge-1');
  });

  it('never sees a header named with "_" (the server drops it), which is why such a name is refused', async () => {
    const id = await idFor({ trustProxy: 'loopback' }, { X_Request_Id: 'edge-3' });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('makes a new id when the peer is not in trustProxy', async () => {
    const id = await idFor({ trustProxy: '10.0.0.0/8' }, { 'X-Request-Id': 'edge-1' });
    expect(id).not.toBe('edge-1');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sees the client, not the proxy, once the server itself rewrote REMOTE_ADDR from X-Forwarded-For', async () => {
    // The documented caveat: with the server's own trustProxy on, REMOTE_ADDR
    // is the forwarded client address, so a proxy address list no longer matches.
    const url = await start(requestId(echoApp(), { trustProxy: 'loopback' }), {
      trustProxy: 'loopback',
    });
    const res = await fetch(url, {
      headers: { 'X-Request-Id': 'edge-2', 'X-Forwarded-For': '203.0.113.7' },
      signal: AbortSignal.timeout(bound(BOUNDS.short)),
    });
    expect(res.headers.get('x-request-id')).not.toBe('edge-2');
  });
});
