import { createClient } from '@tsgi/test-client';
import { describe, expect, it } from 'vitest';
import { cors } from '../src/index.ts';
import { corsHeaderNames, recordingApp } from './apps.ts';

const A = 'https://a.example';
const EVIL = 'https://evil.example';

describe('credentials', () => {
  const app = cors(recordingApp(), { origin: [A], credentials: true, exposedHeaders: 'X-Total' });

  it('reflect the allowed origin and send Access-Control-Allow-Credentials: true', async () => {
    const res = await createClient(app).get('/', { headers: { Origin: A } });
    expect(res.headers.get('access-control-allow-origin')).toBe(A);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-expose-headers')).toBe('X-Total');
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('are never granted to a disallowed origin (no Allow-Credentials, unlike the peers)', async () => {
    const client = createClient(app);
    for (const res of [
      await client.get('/', { headers: { Origin: EVIL } }),
      await client.options('/', { headers: { Origin: EVIL } }),
      await client.options('/', {
        headers: { Origin: EVIL, 'Access-Control-Request-Method': 'POST' },
      }),
    ]) {
      expect(corsHeaderNames(res.headerList)).toEqual([]);
      expect(res.headers.get('vary')).toBe('Origin');
    }
  });

  it('answer a preflight with the origin, credentials and Vary on Origin and request headers', async () => {
    const res = await createClient(app).options('/', {
      headers: {
        Origin: A,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(A);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type');
    expect(res.headers.get('vary')).toBe('Origin, Access-Control-Request-Headers');
  });

  it("with origin '*' reflect the origin, never send *, and refuse the null origin", async () => {
    const any = cors(recordingApp(), { credentials: true });
    const client = createClient(any);
    const res = await client.get('/', { headers: { Origin: EVIL } });
    expect(res.headers.get('access-control-allow-origin')).toBe(EVIL);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('vary')).toBe('Origin');
    const opaque = await client.get('/', { headers: { Origin: 'null' } });
    expect(corsHeaderNames(opaque.headerList)).toEqual([]);
    const noOrigin = await client.get('/');
    expect(corsHeaderNames(noOrigin.headerList)).toEqual([]);
    expect(noOrigin.headers.get('vary')).toBe('Origin');
  });
});
