import type { Environ } from './environ.js';

const LEADING_SEGMENT = /^\/+([^/]+)/;

/**
 * Moves the first segment of `PATH_INFO` to the end of `SCRIPT_NAME` and
 * returns it, like `wsgiref.util.shift_path_info`: with `SCRIPT_NAME` `"/api"`
 * and `PATH_INFO` `"/items/7"`, it returns `"items"` and leaves `"/api/items"`
 * and `"/7"`. Mutates the environ in place (SPEC.md rule mw.1).
 *
 * `SCRIPT_NAME + PATH_INFO` never changes, and the environ stays valid:
 * - returns `undefined` and changes nothing when `PATH_INFO` has no segment
 *   left (`""`, `"/"`, `"//"`), where wsgiref would return `""` and leave a
 *   `SCRIPT_NAME` ending in `/`;
 * - empty segments (`"//a"`) move with the segment after them instead of being
 *   collapsed, and `.`/`..` are returned as they are, never resolved (wsgiref
 *   normalises them, which changes the path). Treat `..` as data, not as
 *   "go up", if you map segments to files.
 *
 * @example
 * const environ = { ...base, SCRIPT_NAME: '', PATH_INFO: '/v1/items' };
 * shiftPathInfo(environ); // 'v1'; SCRIPT_NAME '/v1', PATH_INFO '/items'
 */
export function shiftPathInfo(environ: Environ): string | undefined {
  const path = environ.PATH_INFO ?? '';
  const match = LEADING_SEGMENT.exec(path);
  if (!match) return undefined;
  environ.SCRIPT_NAME = (environ.SCRIPT_NAME ?? '') + match[0];
  environ.PATH_INFO = path.slice(match[0].length);
  return match[1];
}
