import { describe, expect, test } from 'vitest';

/** What a fetch bridge could replace or patch: the globals and their prototypes. */
function snapshot() {
  const names = ['Request', 'Response', 'Headers', 'fetch', 'ReadableStream', 'AbortController'];
  const globals = Object.fromEntries(names.map((name) => [name, Reflect.get(globalThis, name)]));
  const prototypes = Object.fromEntries(
    ['Request', 'Response', 'Headers'].map((name) => {
      const proto = (Reflect.get(globalThis, name) as { prototype: object }).prototype;
      return [
        name,
        Object.fromEntries(
          Reflect.ownKeys(proto).map((key) => [
            String(key),
            Object.getOwnPropertyDescriptor(proto, key),
          ]),
        ),
      ];
    }),
  );
  return { globals, prototypes };
}

describe('importing @tsgi/fetch', () => {
  test('leaves the globals and their prototypes as they were, and Request still works', async () => {
    const before = snapshot();
    const { fromFetchHandler, toFetchHandler } = await import('../src/index.ts');
    const app = fromFetchHandler(async (request) => new Response(await request.text()));
    const handler = toFetchHandler(app);
    const response = await handler(new Request('http://h/', { method: 'POST', body: 'hi' }));
    expect(await response.text()).toBe('hi');
    const after = snapshot();
    for (const name of Object.keys(before.globals)) {
      expect(after.globals[name], name).toBe(before.globals[name]);
    }
    expect(after.prototypes).toEqual(before.prototypes);
    expect(new Request('http://h/')).toBeInstanceOf(Request);
    expect(response).toBeInstanceOf(Response);
  });
});
