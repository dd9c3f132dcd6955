import type { Environ } from '@tsgi/spec';

/** The environ key a router sets for the handler it calls (a registered TSGI extension). */
export const ROUTE_KEY = 'tsgi.route';

/** What `environ['tsgi.route']` holds: the matched pattern and the decoded params. */
export interface RouteInfo {
  /** The route's pattern as registered, e.g. `/items/:id` (for a mount, its prefix). */
  readonly pattern: string;
  /** The path params by name, each percent-decoded exactly once. */
  readonly params: Readonly<Record<string, string>>;
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
