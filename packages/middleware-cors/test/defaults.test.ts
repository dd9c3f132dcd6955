import { createClient } from '@tsgi/test-client';
import { describe, expect, it } from 'vitest';
import { cors } from '../src/index.ts';
import { corsHeaderNames, recordingApp, values } from './apps.ts';

const ORIGIN = 'https://site.example';

describe("defaults (the tutorial's: any origin; GET, POST, OPTIONS)", () => {
  it('answers a cross-origin GET with Access-Control-Allow-Origin: * and no Vary', async () => {
    const app = recordingApp();
    const res = await createClient(cors(app)).get('/items', { headers: { Origin: ORIGIN } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(corsHeaderNames(res.headerList)).toEqual(['access-control-allow-origin']);
    expect(res.headers.get('vary')).toBeNull();
    expect(app.seen).toEqual(['GET /items']);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('sends the same * headers without an Origin (they do not depend on it)', async () => {
    const res = await createClient(cors(recordingApp())).get('/items');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('vary')).toBeNull();
  });

  it('answers a preflight itself: 204, no Content-Length, empty body, the app not called', async () => {
    const app = recordingApp();
    const res = await createClient(cors(app)).options('/items', {
      headers: {
        Origin: ORIGIN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-token',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('content-length')).toBeNull();
    expect((await res.bytes()).byteLength).toBe(0);
    expect(app.seen).toEqual([]);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type,x-token');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('access-control-max-age')).toBeNull();
    expect(res.headers.get('vary')).toBe('Access-Control-Request-Headers');
  });

  it('answers a preflight with 200 and Content-Length: 0 when preflightStatus is 200', async () => {
    const res = await createClient(cors(recordingApp(), { preflightStatus: 200 })).options('/', {
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'PUT' },
    });
    expect(res.status).toBe(200);
    expect(values(res.headerList, 'content-length')).toEqual(['0']);
    expect((await res.bytes()).byteLength).toBe(0);
  });

  it('passes a plain OPTIONS (Origin but no Access-Control-Request-Method) to the app', async () => {
    const app = recordingApp([['Allow', 'GET, POST']]);
    const res = await createClient(cors(app)).options('/items', { headers: { Origin: ORIGIN } });
    expect(app.seen).toEqual(['OPTIONS /items']);
    expect(res.status).toBe(200);
    expect(res.headers.get('allow')).toBe('GET, POST');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('passes an OPTIONS with Access-Control-Request-Method but no Origin to the app', async () => {
    const app = recordingApp();
    await createClient(cors(app)).options('/items', {
      headers: { 'Access-Control-Request-Method': 'POST' },
    });
    expect(app.seen).toEqual(['OPTIONS /items']);
  });

  it('does not reflect a malformed Access-Control-Request-Headers', async () => {
    const res = await createClient(cors(recordingApp())).options('/', {
      headers: {
        Origin: ORIGIN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'x-ok, (bad)',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toBeNull();
  });
});

describe('preflight options', () => {
  const preflight = {
    Origin: ORIGIN,
    'Access-Control-Request-Method': 'DELETE',
    'Access-Control-Request-Headers': 'x-token',
  };

  it('sends configured methods, allowed headers (no reflection, no Vary on them) and max age', async () => {
    const app = cors(recordingApp(), {
      methods: ['GET', 'DELETE'],
      allowedHeaders: 'Content-Type, Authorization',
      maxAge: 600,
    });
    const res = await createClient(app).options('/', { headers: preflight });
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, DELETE');
    expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type, Authorization');
    expect(res.headers.get('access-control-max-age')).toBe('600');
    expect(res.headers.get('vary')).toBeNull();
  });

  it('sends no Access-Control-Allow-Headers with allowedHeaders: []', async () => {
    const res = await createClient(cors(recordingApp(), { allowedHeaders: [] })).options('/', {
      headers: preflight,
    });
    expect(res.headers.get('access-control-allow-headers')).toBeNull();
  });

  it('exposes headers on actual responses only', async () => {
    const client = createClient(cors(recordingApp(), { exposedHeaders: ['X-Total', 'ETag'] }));
    const actual = await client.get('/', { headers: { Origin: ORIGIN } });
    expect(actual.headers.get('access-control-expose-headers')).toBe('X-Total, ETag');
    const pre = await client.options('/', { headers: preflight });
    expect(pre.headers.get('access-control-expose-headers')).toBeNull();
  });

  it('answers Access-Control-Request-Private-Network only when privateNetwork is on', async () => {
    const headers = { ...preflight, 'Access-Control-Request-Private-Network': 'true' };
    const on = await createClient(cors(recordingApp(), { privateNetwork: true })).options('/', {
      headers,
    });
    expect(on.headers.get('access-control-allow-private-network')).toBe('true');
    expect(on.headers.get('vary')).toBe(
      'Access-Control-Request-Headers, Access-Control-Request-Private-Network',
    );
    const off = await createClient(cors(recordingApp())).options('/', { headers });
    expect(off.headers.get('access-control-allow-private-network')).toBeNull();
  });
});
