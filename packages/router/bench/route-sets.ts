import { readFileSync } from 'node:fs';

/** A route in our pattern syntax (`:name`, `*name`) with the handler id every router stores. */
export interface BenchRoute {
  method: string;
  pattern: string;
}

/** A lookup and the pattern it must resolve to (checked for every router before timing). */
export interface Lookup {
  method: string;
  path: string;
  expect: string;
}

/** One named route set and the lookups measured against it. */
export interface RouteSet {
  name: string;
  routes: BenchRoute[];
  cases: { name: string; lookups: Lookup[] }[];
}

const github: BenchRoute[] = (
  JSON.parse(readFileSync(new URL('./github-api-routes.json', import.meta.url), 'utf8')) as [
    string,
    string,
  ][]
).map(([method, pattern]) => ({ method, pattern }));

/** Fills every `:param` of a pattern with a plausible value. */
function fill(pattern: string): string {
  return pattern.replace(/:([A-Za-z_]+)/g, (_, name: string) => `${name}-value`);
}

const staticRoutes: BenchRoute[] = [
  '/',
  '/health',
  '/items',
  '/environ',
  '/user',
  '/user/comments',
  '/user/avatar',
  '/user/lookup/username',
  '/user/lookup/email',
  '/event/comments',
  '/very/deeply/nested/route/hello/there',
].map((pattern) => ({ method: 'GET', pattern }));

const paramRoutes: BenchRoute[] = [
  { method: 'GET', pattern: '/user/:id' },
  { method: 'GET', pattern: '/user/:id/posts' },
  { method: 'GET', pattern: '/user/:id/posts/:postId' },
  { method: 'GET', pattern: '/event/:id/comments' },
  { method: 'POST', pattern: '/event/:id/comments' },
  { method: 'GET', pattern: '/shop/:shop/items/:item/reviews/:review' },
  { method: 'GET', pattern: '/static/:file' },
];

const wildcardRoutes: BenchRoute[] = [
  { method: 'GET', pattern: '/assets/*path' },
  { method: 'GET', pattern: '/files/:bucket/*path' },
  { method: 'GET', pattern: '/docs/*path' },
  { method: 'GET', pattern: '/api/:version/*path' },
];

/** The route sets the common router benchmarks use, with our lookups. */
export const routeSets: RouteSet[] = [
  {
    name: 'short static',
    routes: staticRoutes,
    cases: [
      { name: 'GET /user', lookups: [{ method: 'GET', path: '/user', expect: '/user' }] },
      {
        name: 'all static routes in turn',
        lookups: staticRoutes.map((r) => ({
          method: r.method,
          path: r.pattern,
          expect: r.pattern,
        })),
      },
    ],
  },
  {
    name: 'GitHub API',
    routes: github,
    cases: [
      {
        name: 'static GET /user/repos',
        lookups: [{ method: 'GET', path: '/user/repos', expect: '/user/repos' }],
      },
      {
        name: 'GET /repos/julienschmidt/httprouter/stargazers',
        lookups: [
          {
            method: 'GET',
            path: '/repos/julienschmidt/httprouter/stargazers',
            expect: '/repos/:owner/:repo/stargazers',
          },
        ],
      },
      {
        name: 'all 203 routes in turn (params filled)',
        lookups: github.map((r) => ({
          method: r.method,
          path: fill(r.pattern),
          expect: r.pattern,
        })),
      },
    ],
  },
  {
    name: 'params',
    routes: paramRoutes,
    cases: [
      { name: 'GET /user/42', lookups: [{ method: 'GET', path: '/user/42', expect: '/user/:id' }] },
      {
        name: 'GET /shop/:shop/items/:item/reviews/:review',
        lookups: [
          {
            method: 'GET',
            path: '/shop/acme/items/1234/reviews/99',
            expect: '/shop/:shop/items/:item/reviews/:review',
          },
        ],
      },
      {
        name: 'all param routes in turn',
        lookups: paramRoutes.map((r) => ({
          method: r.method,
          path: fill(r.pattern),
          expect: r.pattern,
        })),
      },
    ],
  },
  {
    name: 'wildcards',
    routes: wildcardRoutes,
    cases: [
      {
        name: 'GET /assets/js/vendor/app.js',
        lookups: [{ method: 'GET', path: '/assets/js/vendor/app.js', expect: '/assets/*path' }],
      },
      {
        name: 'all wildcard routes in turn',
        lookups: [
          { method: 'GET', path: '/assets/css/site.css', expect: '/assets/*path' },
          { method: 'GET', path: '/files/photos/2026/11/cat.jpg', expect: '/files/:bucket/*path' },
          { method: 'GET', path: '/docs/guide/intro', expect: '/docs/*path' },
          { method: 'GET', path: '/api/v2/users/42/avatar', expect: '/api/:version/*path' },
        ],
      },
    ],
  },
];
