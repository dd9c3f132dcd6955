import { type Application, jsonResponse, validate } from '@tsgi/spec';
import { createClient } from '@tsgi/test-client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMatcher, createRouter, params } from '../src/index.js';

type Seg = { kind: 'static'; text: string } | { kind: 'param'; name: string };

/** Static segment text: lower-case words, so that generated param values (which hold an upper-case letter) never equal one. */
const staticText = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,7}$/);
const segment: fc.Arbitrary<Seg> = fc.oneof(
  staticText.map((text) => ({ kind: 'static', text }) as Seg),
  fc.constant({ kind: 'param', name: '' } as Seg),
);
/** A route shape: up to 6 segments, and maybe a trailing wildcard. */
const shape = fc.record({
  segments: fc.array(segment, { minLength: 0, maxLength: 6 }),
  wildcard: fc.boolean(),
});

function patternOf(segments: Seg[], wildcard: boolean): { pattern: string; names: string[] } {
  const names: string[] = [];
  let pattern = '';
  for (const s of segments) {
    if (s.kind === 'static') pattern += `/${s.text}`;
    else {
      const name = `p${names.length}`;
      names.push(name);
      pattern += `/:${name}`;
    }
  }
  if (wildcard) {
    names.push('rest');
    pattern += '/*rest';
  }
  return { pattern: pattern || '/', names };
}

/** Param values: any text without "/" that has an upper-case letter; never "." or "..". */
const paramValue = fc
  .tuple(
    fc.string({ unit: 'grapheme', minLength: 0, maxLength: 6 }),
    fc.constantFrom('A', 'Z', 'Q'),
  )
  .map(([text, upper]) => `${upper}${text}`.replaceAll('/', '_').replaceAll('\u0000', '_'));

describe('property: a registered pattern matches its own paths', () => {
  it('returns exactly the param values that were filled in (matcher, decoded path)', () => {
    fc.assert(
      fc.property(
        shape,
        fc.array(paramValue, { minLength: 7, maxLength: 7 }),
        fc.array(fc.stringMatching(/^[A-Za-z0-9]{0,4}$/), { minLength: 0, maxLength: 3 }),
        ({ segments, wildcard }, values, restParts) => {
          const { pattern, names } = patternOf(segments, wildcard);
          const m = createMatcher<string>();
          m.add('GET', pattern, pattern);
          let path = '';
          const expected: Record<string, string> = {};
          let i = 0;
          for (const s of segments) {
            if (s.kind === 'static') path += `/${s.text}`;
            else {
              const value = values[i] as string;
              expected[names[i] as string] = value;
              path += `/${value}`;
              i++;
            }
          }
          if (wildcard) {
            expected.rest = restParts.join('/');
            path += `/${expected.rest}`;
          }
          const found = m.match('GET', path || '/');
          expect(found?.route.pattern).toBe(pattern);
          expect({ ...found?.params }).toEqual(expected);
          // The interpreted walk over segments agrees with the compiled code.
          const walked = m.matchSegments('GET', (path || '/').slice(1).split('/'));
          expect(walked?.route.pattern).toBe(pattern);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('compiled matching agrees with the interpreted walk on random route sets and paths', () => {
    const pathArb = fc
      .array(fc.oneof(staticText, paramValue, fc.constant('')), { minLength: 0, maxLength: 7 })
      .map((parts) => `/${parts.join('/')}`);
    fc.assert(
      fc.property(
        fc.array(shape, { minLength: 1, maxLength: 12 }),
        fc.array(pathArb, { maxLength: 20 }),
        (shapes, paths) => {
          const m = createMatcher<string>();
          const added: string[] = [];
          for (const { segments, wildcard } of shapes) {
            const { pattern } = patternOf(segments, wildcard);
            try {
              m.add('GET', pattern, pattern);
              added.push(pattern);
            } catch (error) {
              expect(String(error)).toMatch(/conflicts with GET/);
            }
          }
          // Every registered pattern still finds itself with its own static text.
          for (const path of [
            ...paths,
            ...added.map((p) => p.replace(/:p\d+/g, 'Q').replace('*rest', 'x/y')),
          ]) {
            const compiled = m.match('GET', path);
            const walked = m.matchSegments('GET', path.slice(1).split('/'));
            expect(compiled?.route.pattern).toBe(walked?.route.pattern);
            expect({ ...compiled?.params }).toEqual({ ...walked?.params });
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('property: through the router, params survive percent-encoding', () => {
  const app = createRouter()
    .get('/a/:x/b/:y', (environ, startResponse) =>
      jsonResponse(startResponse, 200, params(environ)),
    )
    .get('/w/*rest', (environ, startResponse) => jsonResponse(startResponse, 200, params(environ)));
  const client = createClient(app);
  /** Any well-formed text, "/" and "%" included, except NUL and dot segments. */
  const value = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
    .map((s) => s.replaceAll('\u0000', '0'))
    .filter((s) => s !== '.' && s !== '..');

  it('decodes each param exactly once, keeping "/" sent as %2F inside it', async () => {
    await fc.assert(
      fc.asyncProperty(value, value, async (x, y) => {
        const res = await client.get(`/a/${encodeURIComponent(x)}/b/${encodeURIComponent(y)}`);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ x, y });
      }),
      { numRuns: 150 },
    );
  });
});

describe('property: mounting keeps SCRIPT_NAME + PATH_INFO', () => {
  const word = fc.stringMatching(/^[a-z0-9]{1,6}$/);
  const restText = fc.array(
    fc
      .string({ unit: 'grapheme', maxLength: 5 })
      .map((s) => s.replaceAll('\u0000', '0'))
      .filter((s) => s !== '.' && s !== '..'),
    { maxLength: 4 },
  );

  it('moves exactly the prefix, for nested mounts too', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(word, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 3 }),
        restText,
        fc.boolean(),
        async (prefixes, rest, trailingSlash) => {
          const seen: { scriptName: string; pathInfo: string }[] = [];
          let app: Application = validate((environ, startResponse) => {
            seen.push({ scriptName: environ.SCRIPT_NAME, pathInfo: environ.PATH_INFO });
            return jsonResponse(startResponse, 200, {});
          });
          for (const prefix of [...prefixes].reverse())
            app = createRouter().mount(`/${prefix.join('/')}`, app);
          const prefixPath = prefixes.map((p) => `/${p.join('/')}`).join('');
          const restPath =
            rest.map((s) => `/${s}`).join('') + (trailingSlash && rest.length > 0 ? '/' : '');
          const sent =
            prefixPath +
            rest.map((s) => `/${encodeURIComponent(s)}`).join('') +
            (trailingSlash && rest.length > 0 ? '/' : '');
          const res = await createClient(app).get(sent);
          expect(res.status).toBe(200);
          expect(seen).toEqual([{ scriptName: prefixPath, pathInfo: restPath }]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
