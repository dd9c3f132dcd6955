import type { Environ } from '@tsgi/spec';

/** The environ key a router sets for the handler it calls (a registered TSGI extension). */
export const ROUTE_KEY = 'tsgi.route';

/** What `environ['tsgi.route']` holds: the matched pattern and the decoded params. */
export interface RouteInfo {
  /**
   * The route's pattern as registered, e.g. `/items/:id` (for a mount, its
   * prefix); under a mount, the mount's pattern and then the route's, e.g.
   * `/api/items/:id`, so it names the route in the whole URL space.
   */
  readonly pattern: string;
  /** The path params by name (the mounts' first, then the route's), each percent-decoded exactly once. */
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Marks the `RouteInfo` of a mount, so a router inside it knows its patterns
 * continue that one. A `Symbol.for` key, not enumerable: two copies of this
 * package agree on it, and it stays out of comparisons and JSON.
 */
const MOUNTED = Symbol.for('@tsgi/router.mounted');

/**
 * The `RouteInfo` for a route matched with `pattern` and `params`, composed
 * with the mount the request came through (`outer`, the environ's
 * `tsgi.route` before this router), if any; `mount` marks it as a mount's own.
 */
export function composeRoute(
  outer: unknown,
  pattern: string,
  params: Readonly<Record<string, string>>,
  mount: boolean,
): RouteInfo {
  let info: RouteInfo = { pattern, params };
  if (isMount(outer)) {
    const base = outer.pattern.replace(/\/+$/, '');
    info = {
      pattern: pattern === '/' ? base || '/' : base + pattern,
      params: { ...outer.params, ...params },
    };
  }
  if (mount) Object.defineProperty(info, MOUNTED, { value: true });
  return info;
}

function isMount(value: unknown): value is RouteInfo {
  return typeof value === 'object' && value !== null && MOUNTED in value;
}

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The path params of the route that matched this request, `{}` outside a route.
 *
 * @example
 * const getItem: Application = (environ, startResponse) =>
 *   jsonResponse(startResponse, 200, { id: params(environ).id });
 */
export function params(environ: Environ): Readonly<Record<string, string>> {
  const route = environ[ROUTE_KEY] as RouteInfo | undefined;
  return route?.params ?? NO_PARAMS;
}

/** The `tsgi.route` value of this request, or `undefined` when no router matched it. */
export function routeInfo(environ: Environ): RouteInfo | undefined {
  return environ[ROUTE_KEY] as RouteInfo | undefined;
}
