import type { IncomingMessage } from 'node:http';
import { jsonResponse } from '@tsgi/spec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutFor } from '../src/header-layout.js';
import { buildEnviron, createServerContext } from '../src/index.js';
import { parseHead, rawRequest, start } from './helpers.js';

const context = createServerContext(() => [], {});

/** A request as `buildEnviron` reads it, without a socket behind it. */
function request(rawHeaders: string[]): IncomingMessage {
  return {
    url: '/p?q=1',
    method: 'POST',
    httpVersion: '1.1',
    rawHeaders,
    headers: {},
    socket: { remoteAddress: '127.0.0.1', remotePort: 40_000, localPort: 8000 },
  } as unknown as IncomingMessage;
}

/** The environ as data, keys in order, the input stream reduced to its kind. */
function snapshot(environ: unknown): [string, unknown][] {
  return Object.entries(environ as Record<string, unknown>).map(([key, value]) => [
    key,
    key === 'tsgi.input' ? (value as object).constructor.name : value,
  ]);
}

const names = fc.constantFrom(
  'Host',
  'host',
  'User-Agent',
  'Accept',
  'Cookie',
  'cookie',
  'Content-Type',
  'content-type',
  'Content-Length',
  'Transfer-Encoding',
  'X-Forwarded-For',
  'X_Under',
  'X-Request-Id',
  'x-request-id',
);
const value = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,10}[\x21-\x7e])?$/);
const headerList = fc
  .array(fc.tuple(names, value), { maxLength: 12 })
  // llhttp refuses a repeated Content-Length, so no request ever has one.
  .filter((pairs) => pairs.filter(([n]) => n === 'Content-Length').length <= 1)
  .map((pairs) => pairs.flatMap(([n, v]) => [n, n === 'Content-Length' ? '12' : v]));

describe('compiled header layouts', () => {
  // First: the bound test below uses up the 64 layouts.
  it('serve repeated requests with the same header names over a socket', async () => {
    const server = await start((environ, startResponse) =>
      jsonResponse(startResponse, 200, {
        cookie: environ.HTTP_COOKIE,
        type: environ.CONTENT_TYPE,
        length: environ.CONTENT_LENGTH,
        id: environ.HTTP_X_ID,
        under: Object.keys(environ).filter((key) => key.includes('UNDER')),
      }),
    );
    const bodies: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const result = await rawRequest(
        server.port,
        `POST / HTTP/1.1\r\nHost: x\r\nCookie: a=${i}\r\nContent-Type: text/plain\r\nX_Under: 1\r\nCookie: b=2\r\nX-Id: ${i}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi`,
      );
      const { status, body } = parseHead(result.text);
      expect(status).toBe(200);
      bodies.push(JSON.parse(body));
    }
    expect(bodies).toEqual(
      [0, 1, 2, 3].map((i) => ({
        cookie: `a=${i}; b=2`,
        type: 'text/plain',
        length: '2',
        id: String(i),
        under: [],
      })),
    );
  });

  it('build the same environ as the generic path, keys in the same order', () => {
    fc.assert(
      fc.property(headerList, (raw) => {
        // A distinct list: the first sighting takes the generic path, the next ones a layout.
        const tagged = [...raw, 'X-Case', String(Math.random())];
        tagged[tagged.length - 2] = `X-Case-${Math.random().toString(36).slice(2)}`;
        const generic = snapshot(buildEnviron(request(tagged), context));
        expect(layoutFor(tagged)).toBeDefined();
        const compiled = snapshot(buildEnviron(request([...tagged]), context));
        expect(compiled).toEqual(generic);
      }),
      { numRuns: 40 },
    );
  });

  it('compile a name list only on its second sighting, none past 1024 characters, at most 64', () => {
    // Past 1024 characters of names, never compiled (bounds what sightings hold).
    const long = Array.from({ length: 20 }, (_, i) => [
      `X-Long-Name-${'n'.repeat(50)}-${i}`,
      'v',
    ]).flat();
    expect(layoutFor(long)).toBeUndefined();
    expect(layoutFor(long)).toBeUndefined();
    const fresh = (i: number) => [`X-Bound-${i}`, 'v'];
    expect(layoutFor(fresh(0))).toBeUndefined();
    expect(layoutFor(fresh(0))).toBeDefined();
    let compiled = 0;
    for (let i = 1; i < 200; i++) {
      layoutFor(fresh(i));
      if (layoutFor(fresh(i)) !== undefined) compiled++;
    }
    // Earlier tests and the line above took some of the 64 slots; this loop the rest.
    expect(compiled).toBeLessThan(64);
    expect(layoutFor(fresh(500))).toBeUndefined();
    expect(layoutFor(fresh(500))).toBeUndefined();
    // The environ is still right on the generic path.
    const environ = buildEnviron(request(['Host', 'h', ...fresh(501)]), context);
    expect(environ).toMatchObject({ HTTP_HOST: 'h', HTTP_X_BOUND_501: 'v' });
  });
});
