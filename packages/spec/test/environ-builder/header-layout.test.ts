import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compiledLayout } from '../../src/environ-builder/header-layout.ts';
import {
  buildEnviron,
  type EnvironContext,
  type InputStream,
  type RequestHead,
} from '../../src/index.ts';

const context: EnvironContext = {
  options: { scriptName: '', maxUrlLength: 8192, maxHeadersCount: 100, multiprocess: false },
  errors: { write() {}, flush() {} },
  trust: undefined,
};

class BodyInput {}

/** A request head with these raw headers, as the HTTP transport gives it. */
function head(headers: readonly string[]): RequestHead {
  return {
    method: 'POST',
    target: '/p?q=1',
    protocol: 'HTTP/1.1',
    headers,
    remoteAddr: '127.0.0.1',
    remotePort: '40000',
    scheme: 'http',
    localPort: 8000,
    openInput: (declared, chunked) =>
      (declared > 0 || chunked ? new BodyInput() : { empty: true }) as unknown as InputStream,
  };
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
  it('build the same environ as the generic path, keys in the same order', () => {
    fc.assert(
      fc.property(headerList, (raw) => {
        // A distinct list: the first sighting takes the generic path, the next ones a layout.
        const tagged = [...raw, 'X-Case', String(Math.random())];
        tagged[tagged.length - 2] = `X-Case-${Math.random().toString(36).slice(2)}`;
        const generic = snapshot(buildEnviron(head(tagged), context));
        expect(compiledLayout(tagged, 'http')).toBeDefined();
        const compiled = snapshot(buildEnviron(head([...tagged]), context));
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
    expect(compiledLayout(long, 'http')).toBeUndefined();
    expect(compiledLayout(long, 'http')).toBeUndefined();
    const fresh = (i: number) => [`X-Bound-${i}`, 'v'];
    expect(compiledLayout(fresh(0), 'http')).toBeUndefined();
    expect(compiledLayout(fresh(0), 'http')).toBeDefined();
    let compiled = 0;
    for (let i = 1; i < 200; i++) {
      compiledLayout(fresh(i), 'http');
      if (compiledLayout(fresh(i), 'http') !== undefined) compiled++;
    }
    // Earlier tests and the line above took some of the 64 slots; this loop the rest.
    expect(compiled).toBeLessThan(64);
    expect(compiledLayout(fresh(500), 'http')).toBeUndefined();
    expect(compiledLayout(fresh(500), 'http')).toBeUndefined();
    // The environ is still right on the generic path.
    const environ = buildEnviron(head(['Host', 'h', ...fresh(501)]), context);
    expect(environ).toMatchObject({ HTTP_HOST: 'h', HTTP_X_BOUND_501: 'v' });
  });
});
