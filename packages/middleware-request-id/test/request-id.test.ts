import type { Application, HeaderList } from '@tsgi/spec';
import { createClient } from '@tsgi/test-client';
import { describe, expect, it } from 'vitest';
import { isValidRequestId, requestId } from '../src/index.ts';
import { echoApp, fixedHeadersApp, UUID, values } from './apps.ts';

// Every request below goes through the in-process test client, which wraps
// the app in validate(): tsgi.request_id must obey SPEC.md ext.4 and the
// header list the sr.* rules.

describe('a request without an acceptable id', () => {
  it('gets a new UUID, in the environ and in the response header', async () => {
    const app = echoApp();
    const res = await createClient(requestId(app)).get('/items');
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(UUID);
    expect(await res.json()).toEqual({ id });
    expect(app.seen[0]!['tsgi.request_id']).toBe(id);
    expect(values(res.headerList, 'X-Request-Id')).toHaveLength(1);
  });

  it('gets a different id each time', async () => {
    const client = createClient(requestId(echoApp()));
    const ids = new Set<string | null>();
    for (let i = 0; i < 20; i++) ids.add((await client.get('/')).headers.get('x-request-id'));
    expect(ids.size).toBe(20);
  });

  it('ignores an incoming id by default, whoever sends it', async () => {
    const client = createClient(requestId(echoApp()));
    const res = await client.get('/', { headers: { 'X-Request-Id': 'from-client-1' } });
    expect(res.headers.get('x-request-id')).toMatch(UUID);
  });

  it('uses the generate option', async () => {
    let n = 0;
    const client = createClient(requestId(echoApp(), { generate: () => `req-${++n}` }));
    expect((await client.get('/')).headers.get('x-request-id')).toBe('req-1');
    expect((await client.get('/')).headers.get('x-request-id')).toBe('req-2');
  });

  it('fails the request, naming the problem, when generate returns an invalid id', async () => {
    const client = createClient(requestId(echoApp(), { generate: () => 'has space' }));
    await expect(client.get('/')).rejects.toThrow(
      /requestId: "generate" returned "has space", not 1 to 128 characters/,
    );
  });
});

describe('an incoming id from a trusted proxy (judged on REMOTE_ADDR)', () => {
  it("is accepted from loopback with trustProxy: 'loopback'", async () => {
    const app = echoApp();
    const client = createClient(requestId(app, { trustProxy: 'loopback' }));
    for (const addr of ['127.0.0.1', '127.8.9.10', '::1']) {
      const res = await client.get('/', {
        headers: { 'X-Request-Id': `edge-${addr.length}` },
        environ: { REMOTE_ADDR: addr },
      });
      expect(res.headers.get('x-request-id')).toBe(`edge-${addr.length}`);
      expect(await res.json()).toEqual({ id: `edge-${addr.length}` });
    }
  });

  it('is replaced when REMOTE_ADDR is not trusted', async () => {
    const client = createClient(requestId(echoApp(), { trustProxy: 'loopback' }));
    const res = await client.get('/', {
      headers: { 'X-Request-Id': 'spoofed' },
      environ: { REMOTE_ADDR: '203.0.113.9' },
    });
    expect(res.headers.get('x-request-id')).toMatch(UUID);
  });

  it('follows CIDRs, plain addresses and IPv4-mapped IPv6 addresses', async () => {
    const client = createClient(
      requestId(echoApp(), { trustProxy: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.7'] }),
    );
    const idFrom = async (addr: string) =>
      (
        await client.get('/', {
          headers: { 'X-Request-Id': 'lb-7' },
          environ: { REMOTE_ADDR: addr },
        })
      ).headers.get('x-request-id');
    expect(await idFrom('10.1.2.3')).toBe('lb-7');
    expect(await idFrom('::ffff:10.1.2.3')).toBe('lb-7');
    expect(await idFrom('2001:db8::5')).toBe('lb-7');
    expect(await idFrom('192.0.2.7')).toBe('lb-7');
    expect(await idFrom('192.0.2.8')).toMatch(UUID);
    expect(await idFrom('11.0.0.1')).toMatch(UUID);
    expect(await idFrom('127.0.0.1')).toMatch(UUID);
  });

  it("takes 'unix' to mean an empty REMOTE_ADDR, and a comma-separated string", async () => {
    const client = createClient(requestId(echoApp(), { trustProxy: 'unix, 10.0.0.1' }));
    const from = async (addr: string) =>
      (
        await client.get('/', {
          headers: { 'X-Request-Id': 'u-1' },
          environ: { REMOTE_ADDR: addr },
        })
      ).headers.get('x-request-id');
    expect(await from('')).toBe('u-1');
    expect(await from('10.0.0.1')).toBe('u-1');
    expect(await from('10.0.0.2')).toMatch(UUID);
  });

  it('trusts every peer with trustProxy: true', async () => {
    const client = createClient(requestId(echoApp(), { trustProxy: true }));
    const res = await client.get('/', {
      headers: { 'X-Request-Id': 'anyone' },
      environ: { REMOTE_ADDR: '198.51.100.1' },
    });
    expect(res.headers.get('x-request-id')).toBe('anyone');
  });

  it('is replaced when it is not a valid id', async () => {
    const client = createClient(requestId(echoApp(), { trustProxy: true }));
    const bad = [
      '',
      'a'.repeat(129),
      'has space',
      'comma,separated',
      'quote"d',
      'semi;colon',
      'slash/ed',
      '<script>',
      'caf\u00e9',
    ];
    for (const value of bad) {
      expect(isValidRequestId(value)).toBe(false);
      // Set in the environ directly: some of these cannot travel as a header.
      const res = await client.get('/', { environ: { HTTP_X_REQUEST_ID: value } });
      expect(res.headers.get('x-request-id'), JSON.stringify(value)).toMatch(UUID);
    }
  });

  it('accepts 128 characters of the whole alphabet, and not 129', async () => {
    const client = createClient(requestId(echoApp(), { trustProxy: true }));
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-';
    const longest = alphabet.repeat(2).slice(0, 128);
    const ok = await client.get('/', { headers: { 'X-Request-Id': longest } });
    expect(ok.headers.get('x-request-id')).toBe(longest);
    const tooLong = await client.get('/', { headers: { 'X-Request-Id': `${longest}x` } });
    expect(tooLong.headers.get('x-request-id')).toMatch(UUID);
  });

  it('is replaced when the header came twice (the server joins them with ", ")', async () => {
    const client = createClient(requestId(echoApp(), { trustProxy: true }));
    const res = await client.get('/', {
      headers: [
        ['X-Request-Id', 'a-1'],
        ['X-Request-Id', 'b-2'],
      ],
    });
    expect(res.headers.get('x-request-id')).toMatch(UUID);
  });
});

describe('the header option', () => {
  it('reads and echoes another header name', async () => {
    const app = echoApp();
    const client = createClient(
      requestId(app, { header: 'X-Correlation-Id', trustProxy: 'loopback' }),
    );
    const res = await client.get('/', {
      headers: { 'X-Correlation-Id': 'corr-9', 'X-Request-Id': 'other' },
    });
    expect(res.headers.get('x-correlation-id')).toBe('corr-9');
    expect(res.headers.get('x-request-id')).toBeNull();
    expect(app.seen[0]!['tsgi.request_id']).toBe('corr-9');
  });
});

describe('a header name the server can never deliver', () => {
  it.each([
    ['X_Request_Id', 'X-Request-Id'],
    ['x_correlation-id', 'x-correlation-id'],
    ['X.Trace.Id', 'X-Trace-Id'],
  ])('%s is refused when requestId() is called, naming the fix (%s)', (header, fix) => {
    const call = () => requestId(echoApp(), { header });
    expect(call).toThrow(TypeError);
    expect(call).toThrow(`requestId: "header" ${header} can never be read from a request`);
    expect(call).toThrow(`use ${fix}`);
  });
});

describe('the response header', () => {
  it('leaves an id the app set itself, in any letter case, and does not add a second', async () => {
    const headers: HeaderList = [
      ['Content-Type', 'text/plain'],
      ['x-REQUEST-id', 'set-by-app'],
    ];
    const res = await createClient(requestId(fixedHeadersApp(headers))).get('/');
    expect(values(res.headerList, 'X-Request-Id')).toEqual(['set-by-app']);
  });

  it("never changes the app's header list (it may be a shared constant)", async () => {
    const headers: HeaderList = [['Content-Type', 'text/plain']];
    const client = createClient(requestId(fixedHeadersApp(headers)));
    const first = (await client.get('/')).headers.get('x-request-id');
    const second = (await client.get('/')).headers.get('x-request-id');
    expect(headers).toEqual([['Content-Type', 'text/plain']]);
    expect(first).not.toBe(second);
  });

  it('is on the error response too when the app replaces its headers with excInfo', async () => {
    const app: Application = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      try {
        throw new Error('database is down');
      } catch (error) {
        startResponse('503 Service Unavailable', [['Content-Type', 'text/plain']], [error]);
      }
      return [new TextEncoder().encode('try later')];
    };
    const res = await createClient(requestId(app, { generate: () => 'err-1' })).get('/');
    expect(res.status).toBe(503);
    expect(values(res.headerList, 'X-Request-Id')).toEqual(['err-1']);
  });

  it('works with an async app and a streamed body', async () => {
    const app: Application = async (environ, startResponse) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return (async function* () {
        yield new TextEncoder().encode(`id ${String(environ['tsgi.request_id'])}`);
      })();
    };
    const res = await createClient(requestId(app, { generate: () => 'async-1' })).get('/');
    expect(res.headers.get('x-request-id')).toBe('async-1');
    expect(await res.text()).toBe('id async-1');
  });
});

describe('an id already in the environ', () => {
  it('is kept (set by the server or an outer middleware), not replaced', async () => {
    const inner = echoApp();
    const client = createClient(requestId(requestId(inner, { generate: () => 'inner' })));
    const res = await client.get('/', { environ: { 'tsgi.request_id': 'from-server' } });
    expect(res.headers.get('x-request-id')).toBe('from-server');
    expect(await res.json()).toEqual({ id: 'from-server' });
  });
});

describe('bad options', () => {
  it('throw a TypeError naming the option when requestId() is called', () => {
    const app = echoApp();
    expect(() => requestId(app, 'yes' as never)).toThrow(/requestId: options must be an object/);
    expect(() => requestId(app, { header: 'X Request Id' })).toThrow(
      /"header" must be a header name/,
    );
    expect(() => requestId(app, { header: 'Content-Type' })).toThrow(/"header" cannot be/);
    expect(() => requestId(app, { trustProxy: 7 as never })).toThrow(
      /requestId: "trustProxy" must be true, false, a string or an array of strings, got 7/,
    );
    expect(() => requestId(app, { trustProxy: ['proxy.local'] })).toThrow(
      /requestId: "trustProxy" entry "proxy.local" is not an IP, CIDR, 'loopback' or 'unix'/,
    );
    expect(() => requestId(app, { trustProxy: '10.0.0.0/33' })).toThrow(/bad prefix length/);
    expect(() => requestId(app, { generate: 'uuid' as never })).toThrow(
      /"generate" must be a function/,
    );
  });
});
