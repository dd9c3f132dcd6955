import type { Application } from '@tsgi/spec';
import { createRouter, type Router, type RouterOptions } from './router.js';

/** A route table value: one application for every method, or one per method. */
export type RouteTableEntry = Application | Readonly<Record<string, Application>>;

/**
 * Builds a router from a table that reads like the tutorial's `ROUTES`: a pattern
 * maps to one application (every method) or to `{ GET: app, POST: app, ... }`.
 *
 * @example
 * const app = router({
 *   '/health': viewHealth,
 *   '/items': { GET: listItems, POST: createItem },
 *   '/items/:id': { GET: getItem },
 * });
 */
export function router(
  table: Readonly<Record<string, RouteTableEntry>>,
  options: RouterOptions = {},
): Router {
  const result = createRouter(options);
  for (const [pattern, entry] of Object.entries(table)) {
    if (typeof entry === 'function') {
      result.all(pattern, entry);
      continue;
    }
    if (entry === null || typeof entry !== 'object') {
      throw new TypeError(
        `route ${pattern} needs an application or an object of methods, got ${String(entry)}`,
      );
    }
    for (const [method, app] of Object.entries(entry)) {
      if (method !== method.toUpperCase()) {
        throw new TypeError(
          `route ${pattern}: method "${method}" must be upper-case (HTTP methods are case-sensitive)`,
        );
      }
      if (method === 'ALL') result.all(pattern, app);
      else result.on(method, pattern, app);
    }
  }
  return result;
}
