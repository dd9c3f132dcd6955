import {
  type Application,
  catchErrors,
  type Environ,
  head,
  type ResponseBody,
  requestUri,
  type StartResponse,
} from '@tsgi/spec';
import type { Match } from './compile.js';
import {
  defaultNotFound,
  methodNotAllowed,
  optionsResponse,
  redirectResponse,
} from './default-responses.js';
import { createMatcher } from './matcher.js';
import { parseMount, UNNAMED_WILDCARD } from './pattern.js';
import { hasEncodedSlash, rawPath, rawSegments } from './raw-path.js';
import { composeRoute, ROUTE_KEY } from './route-info.js';
import { ANY_METHOD } from './route-tree.js';

/** Options of `createRouter()` and `router()`. */
export interface RouterOptions {
  /** Answers requests no route matches. Default: 404 with `{"error": "no route matches GET /x"}`. */
  notFound?: Application;
  /**
   * `"strict"` (default): `/items/` and `/items` are different paths.
   * `"redirect"`: a request that matches nothing, but would with the trailing
   * slash added or removed, gets a 308 redirect there (query string kept).
   */
  trailingSlash?: 'strict' | 'redirect';
  /** Whether static segments match case-sensitively. Default `true`; params always keep their case. */
  caseSensitive?: boolean;
}

/** A TSGI application that is also the builder of its own routes. */
export interface Router extends Application {
  /** Adds a route for `GET` (and so `HEAD`, unless a `HEAD` route exists). */
  get(pattern: string, app: Application): Router;
  /** Adds a route for `POST`. */
  post(pattern: string, app: Application): Router;
  /** Adds a route for `PUT`. */
  put(pattern: string, app: Application): Router;
  /** Adds a route for `PATCH`. */
  patch(pattern: string, app: Application): Router;
  /** Adds a route for `DELETE`. */
  delete(pattern: string, app: Application): Router;
  /** Adds a route for `HEAD` (otherwise `HEAD` uses the `GET` route). */
  head(pattern: string, app: Application): Router;
  /** Adds a route for `OPTIONS` (otherwise `OPTIONS` is answered with `Allow`). */
  options(pattern: string, app: Application): Router;
  /** Adds a route for every method; a route for the exact method at the same place wins. */
  all(pattern: string, app: Application): Router;
  /** Adds a route for one method (or several). */
  on(method: string | readonly string[], pattern: string, app: Application): Router;
  /**
   * Hands every request under `prefix` to `app`, moving the matched prefix from
   * `PATH_INFO` to `SCRIPT_NAME` (decoded), like `Rack::URLMap`: `/api` matches
   * `/api` (`PATH_INFO` `""`) and `/api/...` (`PATH_INFO` `"/..."`), never `/apix`.
   * The prefix may contain `:params`.
   */
  mount(prefix: string, app: Application): Router;
  /** The lookup core: the route for `method` and a decoded `path`, or `undefined`. */
  match(method: string, path: string): Match<Handler> | undefined;
}

/**
 * What a route stores: the application (wrapped in `catchErrors`, so an error
 * it throws is answered inside the app stack, through the middleware around
 * the router), and whether it is a mount.
 */
export interface Handler {
  readonly app: Application;
  readonly mount: boolean;
}

/** The methods `Allow` lists first, in this order; others follow alphabetically. */
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function sortMethods(methods: Iterable<string>): string[] {
  const rank = (m: string) => {
    const i = METHOD_ORDER.indexOf(m);
    return i === -1 ? METHOD_ORDER.length : i;
  };
  return [...new Set(methods)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function checkApp(app: unknown, what: string): asserts app is Application {
  if (typeof app !== 'function') {
    throw new TypeError(
      `${what} needs a TSGI application (a function), got ${app === null ? 'null' : typeof app}`,
    );
  }
}

/**
 * Creates an empty router; add routes with `get()`, `post()`, ..., `mount()`.
 * The router itself is the TSGI application.
 *
 * @example
 * const app = createRouter()
 *   .get('/items', listItems)
 *   .post('/items', createItem)
 *   .get('/items/:id', getItem)
 *   .mount('/admin', adminApp);
 */
export function createRouter(options: RouterOptions = {}): Router {
  const matcher = createMatcher<Handler>({ caseInsensitive: options.caseSensitive === false });
  const notFound = options.notFound ?? defaultNotFound;
  checkApp(notFound, 'the notFound option');
  const redirectSlash = options.trailingSlash === 'redirect';
  if (options.trailingSlash !== undefined && options.trailingSlash !== 'strict' && !redirectSlash) {
    throw new TypeError(
      `trailingSlash must be "strict" or "redirect", got ${JSON.stringify(options.trailingSlash)}`,
    );
  }
  const methods = new Set<string>();

  /** Finds the route for `method`, from the segments when the path holds a `%2F`. */
  const find = (
    method: string,
    path: string,
    segments: string[] | undefined,
  ): Match<Handler> | undefined =>
    segments === undefined ? matcher.match(method, path) : matcher.matchSegments(method, segments);

  /** Finds the route, letting `HEAD` use a `GET` route before a route for every method. */
  const resolve = (
    method: string,
    path: string,
    segments: string[] | undefined,
  ): Match<Handler> | undefined => {
    const found = find(method, path, segments);
    if (method !== 'HEAD' || (found !== undefined && found.route.method === 'HEAD')) return found;
    const get = find('GET', path, segments);
    return get !== undefined && get.route.method === 'GET' ? get : found;
  };

  /** The methods `Allow` lists for a path; empty when no route matches it at all. */
  const allowed = (path: string, segments: string[] | undefined): string[] => {
    const found: string[] = [];
    for (const method of methods) {
      const hit = find(method, path, segments);
      if (hit !== undefined && hit.route.method === method) found.push(method);
    }
    if (found.length === 0) return found;
    if (found.includes('GET')) found.push('HEAD');
    found.push('OPTIONS');
    return sortMethods(found);
  };

  /** Every method some route answers, for `OPTIONS *`. */
  const allMethods = (): string[] => {
    const all = [...methods, 'OPTIONS'];
    if (methods.has('GET')) all.push('HEAD');
    return all;
  };

  /** Where the other trailing-slash form of this path lives, if a route answers there. */
  const slashRedirect = (
    environ: Environ,
    path: string,
    segments: string[] | undefined,
  ): string | undefined => {
    if (path === '/') return undefined;
    const other = path.endsWith('/') ? path.slice(0, -1) : `${path}/`;
    const otherSegments =
      segments === undefined
        ? undefined
        : segments.at(-1) === ''
          ? segments.slice(0, -1)
          : [...segments, ''];
    if (allowed(other, otherSegments).length === 0) return undefined;
    const raw = rawPath(environ);
    let location: string | undefined;
    if (raw !== undefined && raw.rest !== '') {
      const rest = raw.rest.endsWith('/') ? raw.rest.slice(0, -1) : `${raw.rest}/`;
      location = raw.script + rest;
      if (environ.QUERY_STRING !== '') location += `?${environ.QUERY_STRING}`;
    }
    // A relative `//host` or `/\host` would send the client to another site: use the full URL then.
    if (location === undefined || location.startsWith('//') || location.startsWith('/\\')) {
      location = requestUri({ ...environ, PATH_INFO: other });
    }
    return location;
  };

  /** Answers a request no route takes: 405, automatic OPTIONS, a slash redirect or notFound. */
  const miss = (
    environ: Environ,
    startResponse: StartResponse,
    path: string,
    segments: string[] | undefined,
  ): ResponseBody | Promise<ResponseBody> => {
    const allow = allowed(path, segments);
    if (allow.length > 0) {
      if (environ.REQUEST_METHOD === 'OPTIONS') return optionsResponse(startResponse, allow);
      return methodNotAllowed(environ, startResponse, allow);
    }
    if (redirectSlash && environ.PATH_INFO !== '') {
      const location = slashRedirect(environ, path, segments);
      if (location !== undefined) return redirectResponse(startResponse, location);
    }
    return notFound(environ, startResponse);
  };

  const handle: Application = (environ, startResponse) => {
    const method = environ.REQUEST_METHOD;
    const pathInfo = environ.PATH_INFO;
    if (pathInfo === '' && environ.REQUEST_URI === '*' && method === 'OPTIONS') {
      // `OPTIONS *` asks about the server as a whole: every method some route has.
      return optionsResponse(startResponse, sortMethods(allMethods()));
    }
    const path = pathInfo === '' ? '/' : pathInfo;
    const segments = hasEncodedSlash(environ) ? rawSegments(environ) : undefined;
    const found = resolve(method, path, segments);
    if (found === undefined) {
      // The router's own answers carry no body bytes for HEAD either (SPEC body.3).
      if (method === 'HEAD') {
        return head((env, sr) => miss(env, sr, path, segments))(environ, startResponse);
      }
      return miss(environ, startResponse, path, segments);
    }
    const handler = found.route.data;
    if (!handler.mount) {
      environ[ROUTE_KEY] = composeRoute(
        environ[ROUTE_KEY],
        found.route.pattern,
        found.params,
        false,
      );
      if (method === 'HEAD' && found.route.method === 'GET')
        return head(handler.app)(environ, startResponse);
      return handler.app(environ, startResponse);
    }
    // A mount: move the matched prefix from PATH_INFO to SCRIPT_NAME, in place (SPEC mw.1).
    const { [UNNAMED_WILDCARD]: rest, ...own } = found.params;
    let cut =
      rest === undefined || pathInfo === '' ? pathInfo.length : pathInfo.length - rest.length - 1;
    // A prefix param holding a "/" sent as %2F could leave SCRIPT_NAME ending in "/" (SPEC env.5).
    while (cut > 0 && pathInfo.charCodeAt(cut - 1) === 47) cut--;
    environ.SCRIPT_NAME += pathInfo.slice(0, cut);
    environ.PATH_INFO = pathInfo.slice(cut);
    environ[ROUTE_KEY] = composeRoute(environ[ROUTE_KEY], found.route.pattern, own, true);
    return handler.app(environ, startResponse);
  };

  const add = (method: string, pattern: string, app: Application): void => {
    checkApp(app, `route ${method === ANY_METHOD ? 'ALL' : method} ${pattern}`);
    matcher.add(method, pattern, { app: catchErrors(app), mount: false });
    if (method !== ANY_METHOD) methods.add(method);
  };

  const router = handle as Router;
  const verb = (method: string) => (pattern: string, app: Application) => {
    add(method, pattern, app);
    return router;
  };
  router.get = verb('GET');
  router.post = verb('POST');
  router.put = verb('PUT');
  router.patch = verb('PATCH');
  router.delete = verb('DELETE');
  router.head = verb('HEAD');
  router.options = verb('OPTIONS');
  router.all = verb(ANY_METHOD);
  router.on = (method, pattern, app) => {
    for (const m of typeof method === 'string' ? [method] : method) add(m, pattern, app);
    return router;
  };
  router.mount = (prefix, app) => {
    checkApp(app, `mount ${prefix}`);
    matcher.add(ANY_METHOD, prefix, { app: catchErrors(app), mount: true }, parseMount(prefix));
    return router;
  };
  router.match = (method, path) => matcher.match(method, path);
  return router;
}
