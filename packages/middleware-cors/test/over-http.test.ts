import { request } from 'node:http';
import { timing } from '@tsgi/middleware-timing';
import { serve, type TsgiServer } from '@tsgi/node';
import type { Application } from '@tsgi/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNDS, bound, until } from '../../../tools/test-support/index.ts';
import { cors } from '../src/index.ts';

// Both middlewares stacked as the tutorial does (cors outside timing), over a
// real socket: headers, streaming without buffering, close() once, one log line.

const A = 'https://a.example';
let server: TsgiServer;
let base: string;
let release: () => void = () => {};
let closes = 0;
const lines: string[] = [];

const streaming: Application = (_environ, startResponse) => {
  startResponse('200 OK', [['Content-Type', 'text/plain']]);
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const body = (async function* () {
    yield new TextEncoder().encode('first;');
    await gate; // the second chunk exists only after the client saw the first
    yield new TextEncoder().encode('second');
  })();
  return Object.assign(body, {
    close() {
      closes++;
    },
  });
};

beforeAll(async () => {
  const app = cors(timing(streaming, { serverTiming: true, log: (line) => lines.push(line) }), {
    origin: [A],
    credentials: true,
    exposedHeaders: ['X-Process-Time', 'Server-Timing'],
  });
  server = await serve(app, { host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${server.address.port}`;
});

afterAll(async () => {
  await server?.close();
});

describe('cors(timing(app)) on @tsgi/node', () => {
  it('streams chunk by chunk with both sets of headers, closes once, logs once', async () => {
    let linesWhileStreaming = -1;
    const result = await new Promise<{ headers: Record<string, unknown>; chunks: string[] }>(
      (resolve, reject) => {
        const req = request(`${base}/stream`, { headers: { Origin: A } }, (res) => {
          const chunks: string[] = [];
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            chunks.push(chunk);
            if (chunks.length === 1) {
              linesWhileStreaming = lines.length; // the body is still streaming
              release();
            }
          });
          res.on('end', () => resolve({ headers: res.headers, chunks }));
          res.on('error', reject);
        });
        req.setTimeout(bound(BOUNDS.short), () => req.destroy(new Error('timed out')));
        req.on('error', reject);
        req.end();
      },
    );
    expect(linesWhileStreaming).toBe(0);
    expect(result.chunks.join('')).toBe('first;second');
    expect(result.chunks[0]).toBe('first;');
    expect(result.headers['x-process-time']).toMatch(/^\d+\.\d{2}$/);
    expect(result.headers['server-timing']).toMatch(/^app;dur=\d+\.\d{2}$/);
    expect(result.headers['access-control-allow-origin']).toBe(A);
    expect(result.headers['access-control-allow-credentials']).toBe('true');
    expect(result.headers['access-control-expose-headers']).toBe('X-Process-Time, Server-Timing');
    expect(result.headers.vary).toBe('Origin');
    // The server closes the body (and timing logs) after the last write, maybe after 'end'.
    await until(() => lines.length > 0, { what: "timing's log line once the body is closed" });
    expect(closes).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] GET \/stream → \d+\.\dms$/);
  });

  it('answers a preflight without reaching timing or the app', async () => {
    lines.length = 0;
    const res = await fetch(`${base}/stream`, {
      method: 'OPTIONS',
      headers: { Origin: A, 'Access-Control-Request-Method': 'PUT' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(A);
    expect(res.headers.get('x-process-time')).toBeNull();
    expect(lines).toEqual([]);
  });
});
