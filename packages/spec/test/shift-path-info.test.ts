import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { shiftPathInfo } from '../src/index.ts';
import { checkEnviron } from '../src/validate/environ.ts';
import { makeEnviron } from './harness.ts';

const env = (SCRIPT_NAME: string, PATH_INFO: string) => {
  const path = SCRIPT_NAME + PATH_INFO || '/';
  return makeEnviron({
    SCRIPT_NAME,
    PATH_INFO,
    REQUEST_URI: path.split('/').map(encodeURIComponent).join('/'),
  });
};

describe('shiftPathInfo', () => {
  test.each([
    ['', '/a/b', 'a', '/a', '/b'],
    ['/app', '/items/7', 'items', '/app/items', '/7'],
    ['/app', '/items', 'items', '/app/items', ''],
    ['', '/a/', 'a', '/a', '/'],
    ['', '//a/b', 'a', '//a', '/b'],
    ['', '/../x', '..', '/..', '/x'],
    ['', '/./x', '.', '/.', '/x'],
    ['', '/café/ü', 'café', '/café', '/ü'],
  ])('SCRIPT_NAME %j, PATH_INFO %j → %j', (script, path, segment, newScript, newPath) => {
    const environ = env(script, path);
    expect(shiftPathInfo(environ)).toBe(segment);
    expect([environ.SCRIPT_NAME, environ.PATH_INFO]).toEqual([newScript, newPath]);
  });

  test.each([
    ['', '/'],
    ['/app', ''],
    ['/app', '/'],
    ['/app', '///'],
  ])('no segment left in SCRIPT_NAME %j, PATH_INFO %j: undefined, unchanged', (script, path) => {
    const environ = env(script, path);
    expect(shiftPathInfo(environ)).toBeUndefined();
    expect([environ.SCRIPT_NAME, environ.PATH_INFO]).toEqual([script, path]);
  });

  const segment = fc.string({
    unit: fc.constantFrom('a', 'b', 'é', '.', '%', ' ', '?'),
    maxLength: 4,
  });
  const path = fc
    .array(segment, { maxLength: 6 })
    .map((parts) => parts.map((p) => `/${p}`).join(''));
  const script = fc
    .array(
      segment.filter((s) => s !== ''),
      { maxLength: 3 },
    )
    .map((parts) => parts.map((p) => `/${p}`).join(''));

  test('property: SCRIPT_NAME + PATH_INFO never changes and the environ stays valid', () => {
    fc.assert(
      fc.property(script, path, (s, p) => {
        fc.pre(s + p !== '');
        const environ = env(s, p);
        const whole = s + p;
        const segments: string[] = [];
        for (let i = 0; i < 10; i++) {
          const next = shiftPathInfo(environ);
          expect(environ.SCRIPT_NAME + environ.PATH_INFO).toBe(whole);
          checkEnviron(environ);
          if (next === undefined) break;
          segments.push(next);
        }
        // Every non-empty segment was shifted, in order, and only slashes remain.
        expect(segments).toEqual(p.split('/').filter((x) => x !== ''));
        expect(environ.PATH_INFO).toMatch(/^\/*$/);
      }),
      { numRuns: 500 },
    );
  });
});
