import findMyWay from 'find-my-way';
import KoaTreeRouter from 'koa-tree-router';
import { Memoirist } from 'memoirist';
import { addRoute, createRouter as createRou3, findRoute } from 'rou3';
import { compileRouter } from 'rou3/compiler';
import { createMatcher } from '../src/index.js';
import type { BenchRoute } from './route-sets.js';

/** `(method, path)` to the pattern of the route found, for the pre-timing check. */
export type Lookup = (method: string, path: string) => unknown;

/** A router under test: builds from routes, returns a lookup and how to read the found pattern. */
export interface Contender {
  name: string;
  build(routes: BenchRoute[]): Lookup;
  patternOf(result: unknown): string | undefined;
}

type Found = { data?: string } | null | undefined;

const namedWildcard = (pattern: string, replacement: (name: string) => string): string =>
  pattern.replace(/\*([A-Za-z_]*)$/, (_, name: string) => replacement(name));

/** A rou3 tree of `routes` (`*rest` becomes rou3's `**:rest`), for both rou3 contenders. */
function rou3Tree(routes: BenchRoute[]) {
  const router = createRou3<string>();
  for (const r of routes)
    addRoute(
      router,
      r.method,
      namedWildcard(r.pattern, (n) => `**:${n}`),
      r.pattern,
    );
  return router;
}

/** Our router and the four peers, each with its own pattern syntax. */
export const contenders: Contender[] = [
  {
    name: '@tsgi/router',
    build(routes) {
      const m = createMatcher<string>();
      for (const r of routes) m.add(r.method, r.pattern, r.pattern);
      return (method, path) => m.match(method, path);
    },
    patternOf: (r) => (r as { route: { data: string } } | undefined)?.route.data,
  },
  {
    name: 'find-my-way',
    build(routes) {
      const router = findMyWay();
      for (const r of routes) {
        const pattern = r.pattern;
        router.on(
          r.method as 'GET',
          namedWildcard(pattern, () => '*'),
          () => {},
          { pattern },
        );
      }
      return (method, path) => router.find(method as 'GET', path);
    },
    patternOf: (r) => (r as { store?: { pattern: string } } | null)?.store?.pattern,
  },
  {
    name: 'rou3 (tree)',
    build(routes) {
      const router = rou3Tree(routes);
      return (method, path) => findRoute(router, method, path);
    },
    patternOf: (r) => (r as Found)?.data,
  },
  {
    name: 'rou3 (compiled)',
    build(routes) {
      return compileRouter(rou3Tree(routes));
    },
    patternOf: (r) => (r as Found)?.data,
  },
  {
    name: 'memoirist',
    build(routes) {
      const router = new Memoirist<string>();
      for (const r of routes)
        router.add(
          r.method,
          namedWildcard(r.pattern, () => '*'),
          r.pattern,
        );
      return (method, path) => router.find(method, path);
    },
    patternOf: (r) => (r as { store?: string } | null)?.store,
  },
  {
    name: 'koa-tree-router',
    build(routes) {
      const router = new KoaTreeRouter();
      for (const r of routes) {
        const pattern = r.pattern;
        const handler = Object.assign(() => {}, { pattern });
        router.on(
          r.method,
          namedWildcard(pattern, (n) => `*${n || 'rest'}`),
          handler,
        );
      }
      // `find` exists at runtime (router.js) but not in the package's types.
      const typed = router as unknown as { find(method: string, path: string): unknown };
      return (method, path) => typed.find(method, path);
    },
    patternOf: (r) => {
      const handle = (r as { handle?: Array<{ pattern: string }> | null }).handle;
      return handle?.[0]?.pattern;
    },
  },
];
