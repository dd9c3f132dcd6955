import type { Environ } from '@tsgi/spec';
import { createClient } from '@tsgi/test-client';
import { describe, expect, it } from 'vitest';
import { cors, type OriginOption } from '../src/index.ts';
import { corsHeaderNames, recordingApp } from './apps.ts';

const A = 'https://a.example';
const B = 'https://b.example';
const EVIL = 'https://evil.example';

/** The Access-Control-Allow-Origin an origin gets (undefined: no CORS headers at all). */
async function allowed(origin: OriginOption, requestOrigin: string, credentials = false) {
  const app = recordingApp();
  const res = await createClient(cors(app, { origin, credentials })).get('/', {
    headers: { Origin: requestOrigin },
  });
  expect(app.seen).toEqual(['GET /']); // the request reaches the app either way
  expect(res.headers.get('vary')).toBe('Origin');
  const names = corsHeaderNames(res.headerList);
  if (names.length === 0) return undefined;
  return res.headers.get('access-control-allow-origin');
}

describe('origin option', () => {
  it('a string allows exactly that origin, reflected, with Vary: Origin', async () => {
    expect(await allowed(A, A)).toBe(A);
    expect(await allowed(A, B)).toBeUndefined();
    expect(await allowed(A, `${A}:8443`)).toBeUndefined();
    expect(await allowed(A, 'null')).toBeUndefined();
  });

  it("the string 'null' allows the opaque origin", async () => {
    expect(await allowed('null', 'null')).toBe('null');
  });

  it('a list allows its entries and matches its RegExps, but never null unless listed', async () => {
    const list = [A, /^https:\/\/[a-z]+\.b\.example$/];
    expect(await allowed(list, A)).toBe(A);
    expect(await allowed(list, 'https://api.b.example')).toBe('https://api.b.example');
    expect(await allowed(list, 'https://api.b.example.evil.example')).toBeUndefined();
    expect(await allowed(list, EVIL)).toBeUndefined();
    expect(await allowed([/.*/], 'null')).toBeUndefined();
    expect(await allowed([A, 'null'], 'null')).toBe('null');
  });

  it('a RegExp never allows null, and a /g RegExp answers the same every time', async () => {
    expect(await allowed(/.*/, 'null')).toBeUndefined();
    const re = /^https:\/\/a\.example$/g;
    for (let i = 0; i < 3; i++) expect(await allowed(re, A)).toBe(A);
  });

  it('a function decides, sync or async, and gets the environ', async () => {
    const seen: string[] = [];
    const fn = (origin: string, environ: Environ) => {
      seen.push(`${origin} ${environ.PATH_INFO}`);
      return origin === A;
    };
    expect(await allowed(fn, A)).toBe(A);
    expect(await allowed(fn, B)).toBeUndefined();
    expect(seen).toEqual([`${A} /`, `${B} /`]);
    const slow = async (origin: string) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return origin === B;
    };
    expect(await allowed(slow, B)).toBe(B);
    expect(await allowed(slow, A)).toBeUndefined();
  });

  it('a function may answer with a string: the origin itself or *; anything else refuses', async () => {
    expect(await allowed(() => A, A)).toBe(A);
    expect(await allowed(() => A, B)).toBeUndefined();
    expect(await allowed(() => '*', B)).toBe('*');
    expect(await allowed(() => '*', B, true)).toBe(B);
    expect(await allowed(() => null, B)).toBeUndefined();
  });

  it('is not consulted for requests without Origin, which get no CORS headers but Vary', async () => {
    let calls = 0;
    const app = cors(recordingApp(), {
      origin: () => {
        calls++;
        return true;
      },
    });
    const res = await createClient(app).get('/');
    expect(calls).toBe(0);
    expect(corsHeaderNames(res.headerList)).toEqual([]);
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('lets an error thrown by the function reach the server (in-process: the caller)', async () => {
    const app = cors(recordingApp(), {
      origin: () => {
        throw new Error('origin lookup failed');
      },
    });
    await expect(createClient(app).get('/', { headers: { Origin: A } })).rejects.toThrow(
      'origin lookup failed',
    );
  });
});

describe('disallowed origins', () => {
  it('get no CORS headers on a preflight either, and the app is not called', async () => {
    const app = recordingApp();
    const res = await createClient(cors(app, { origin: A, credentials: true })).options('/', {
      headers: { Origin: EVIL, 'Access-Control-Request-Method': 'PUT' },
    });
    expect(res.status).toBe(204);
    expect(corsHeaderNames(res.headerList)).toEqual([]);
    expect(res.headers.get('vary')).toBe('Origin');
    expect(app.seen).toEqual([]);
  });

  it('are answered 403 with a JSON error naming the origin with rejectDisallowed', async () => {
    const app = recordingApp();
    const client = createClient(cors(app, { origin: A, rejectDisallowed: true }));
    const res = await client.post('/items', { json: {}, headers: { Origin: EVIL } });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: `CORS: origin "${EVIL}" is not allowed` });
    expect(res.headers.get('vary')).toBe('Origin');
    expect(corsHeaderNames(res.headerList)).toEqual([]);
    const pre = await client.options('/items', {
      headers: { Origin: EVIL, 'Access-Control-Request-Method': 'POST' },
    });
    expect(pre.status).toBe(403);
    expect(app.seen).toEqual([]);
    // Allowed origins and requests without Origin still go through.
    expect((await client.get('/', { headers: { Origin: A } })).status).toBe(200);
    expect((await client.get('/')).status).toBe(200);
    expect(app.seen).toEqual(['GET /', 'GET /']);
  });

  it('rejectDisallowed lets same-origin requests (Origin = scheme://Host) through', async () => {
    const app = recordingApp();
    const client = createClient(cors(app, { origin: A, rejectDisallowed: true }), {
      baseUrl: 'http://api.example:8080',
    });
    const res = await client.post('/items', {
      json: {},
      headers: { Origin: 'http://api.example:8080' },
    });
    expect(res.status).toBe(200);
    expect(corsHeaderNames(res.headerList)).toEqual([]);
  });
});
