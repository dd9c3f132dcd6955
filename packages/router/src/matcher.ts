import { isToken } from '@tsgi/spec';
import { compileMatcher, type Match, type StaticTable, staticMatch } from './compile.js';
import { foldCase } from './fold-case.js';
import { type ParsedPattern, parsePattern, shapeOf } from './pattern.js';
import {
  ANY_METHOD,
  createNode,
  insertRoute,
  isDynamic,
  type Route,
  type TreeNode,
} from './route-tree.js';
import { walkSegments } from './walk.js';

/** Options of `createMatcher()`. */
export interface MatcherOptions {
  /** Match static segments ignoring case; param values keep their case. Default `false`. */
  caseInsensitive?: boolean;
  /**
   * Compile the routes into a specialised function with `new Function` (default `true`).
   * With `false`, or where code generation is forbidden (a CSP without `unsafe-eval`,
   * `--disallow-code-generation-from-strings`), the same tree is walked instead: same
   * answers, slower.
   */
  compile?: boolean;
}

/**
 * The router's lookup core without any TSGI around it: register `(method, pattern, data)`,
 * then `match(method, path)`. Benchmarks measure this directly.
 */
export interface Matcher<T> {
  /**
   * Registers a route. `method` is an HTTP method or `"*"` for every method;
   * `parsed` replaces the parse of `pattern` (the router uses it for mounts).
   * @throws TypeError for a malformed pattern, Error when the route collides with
   * an earlier one (the message names both).
   */
  add(method: string, pattern: string, data: T, parsed?: ParsedPattern): void;
  /**
   * Finds the route for `method` and `path` (decoded, starting with `/`):
   * static segments beat params, params beat wildcards, a route for the exact method
   * beats a `"*"` route at the same place. Returns `undefined` when nothing matches.
   */
  match(method: string, path: string): Match<T> | undefined;
  /** Like `match()`, for a path already split into decoded segments (`/a/b` is `["a", "b"]`). */
  matchSegments(method: string, segments: readonly string[]): Match<T> | undefined;
  /** The methods (as registered, `"*"` included) that have a route for `path`. */
  methodsFor(path: string): string[];
}

/** Creates an empty `Matcher`. */
export function createMatcher<T>(options: MatcherOptions = {}): Matcher<T> {
  const caseInsensitive = options.caseInsensitive === true;
  const root: TreeNode<T> = createNode();
  const statics: StaticTable<T> = new Map();
  const methods = new Set<string>();

  const walk = (method: string, path: string): Match<T> | undefined =>
    typeof path === 'string' && path.charCodeAt(0) === 47
      ? walkSegments(root, method, path.slice(1).split('/'), caseInsensitive)
      : undefined;

  const compileThenMatch = (method: string, path: string): Match<T> | undefined => {
    let compiled: Matcher<T>['match'] = walk;
    if (options.compile !== false) {
      try {
        compiled = compileMatcher(root, statics, caseInsensitive);
      } catch (error) {
        // Code generation forbidden (EvalError): walk the tree instead.
        if (!(error instanceof EvalError)) throw error;
      }
    }
    matcher.match = compiled;
    return compiled(method, path);
  };

  const matcher: Matcher<T> = {
    add(method, pattern, data, parsed = parsePattern(pattern)) {
      if (typeof method !== 'string' || !isToken(method)) {
        throw new TypeError(`route method ${JSON.stringify(method)} is not an HTTP method token`);
      }
      const route: Route<T> = Object.freeze({ method, pattern, data });
      // Check every variant before inserting any, so a rejected route leaves no trace.
      const probe: TreeNode<T> = createNode();
      for (const variant of parsed.variants) {
        const clash = insertRoute(probe, variant, route, caseInsensitive);
        if (clash !== undefined) {
          throw new Error(
            `route ${method} ${pattern} is ambiguous: its variants collide (${shapeOf(variant)})`,
          );
        }
      }
      for (const variant of parsed.variants) {
        const existing = findClash(root, variant, method, caseInsensitive);
        if (existing !== undefined) {
          const what = method === ANY_METHOD ? 'every method' : method;
          throw new Error(
            `route ${describe(route)} conflicts with ${describe(existing)}: both match the same paths for ${what}`,
          );
        }
      }
      for (const variant of parsed.variants) {
        insertRoute(root, variant, route, caseInsensitive);
        if (!isDynamic(variant)) {
          let path = '';
          for (const segment of variant)
            path += `/${segment.kind === 'static' ? segment.value : ''}`;
          const key = caseInsensitive ? foldCase(path) : path;
          let table = statics.get(key);
          if (table === undefined) {
            table = Object.create(null) as Record<string, Match<T>>;
            statics.set(key, table);
          }
          table[method] = staticMatch(route);
        }
      }
      methods.add(method);
      matcher.match = compileThenMatch;
    },
    match: compileThenMatch,
    matchSegments(method, segments) {
      return walkSegments(root, method, segments, caseInsensitive);
    },
    methodsFor(path) {
      const found: string[] = [];
      for (const method of methods) {
        const hit = matcher.match(method, path);
        if (hit !== undefined && hit.route.method === method) found.push(method);
      }
      return found;
    },
  };
  return matcher;
}

function describe(route: Route<unknown>): string {
  return `${route.method === ANY_METHOD ? 'ALL' : route.method} ${route.pattern}`;
}

function findClash<T>(
  root: TreeNode<T>,
  variant: Parameters<typeof insertRoute<T>>[1],
  method: string,
  caseInsensitive: boolean,
): Route<T> | undefined {
  // Walk the existing tree along the variant; a route stored at its end for `method` clashes.
  let node: TreeNode<T> | undefined = root;
  for (let i = 0; i < variant.length; i++) {
    const segment = variant[i];
    if (segment === undefined || node === undefined) return undefined;
    if (segment.kind === 'static') {
      node = node.statics.get(caseInsensitive ? foldCase(segment.value) : segment.value);
    } else if (segment.kind === 'param') {
      node = node.param;
    } else {
      return node.wildcard.get(method)?.route;
    }
  }
  return node?.ends.get(method)?.route;
}
