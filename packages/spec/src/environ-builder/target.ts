import { RequestProblem } from './request-problem.js';

/**
 * Percent-decodes a path as UTF-8; `undefined` when a sequence is invalid.
 *
 * @example
 * decodePath('/caf%C3%A9'); // '/café'
 */
export function decodePath(path: string): string | undefined {
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

/**
 * The origin-form of a request-target: absolute-form (`http://host/path`, as
 * proxies send it) loses its scheme and authority; origin-form and `*` stay as
 * they are; anything else is a 400.
 */
export function originForm(target: string): string | RequestProblem {
  if (target.charCodeAt(0) === 47 /* / */ || target === '*') return target;
  const scheme = target.indexOf('://');
  if (scheme === -1) {
    return new RequestProblem(400, 'request target must be a path, an absolute URL or *');
  }
  const slash = target.indexOf('/', scheme + 3);
  const query = target.indexOf('?', scheme + 3);
  return slash !== -1 && (query === -1 || slash < query)
    ? target.slice(slash)
    : `/${query === -1 ? '' : target.slice(query)}`;
}

/**
 * Splits a decoded path at the mount prefix: `SCRIPT_NAME + PATH_INFO` is
 * always the whole path, and a path outside the prefix gets an empty
 * `SCRIPT_NAME`.
 *
 * @example
 * mountSplit('/api/items', '/api'); // ['/api', '/items']
 * mountSplit('/health', '/api');    // ['', '/health']
 */
export function mountSplit(path: string, prefix: string): [scriptName: string, pathInfo: string] {
  if (prefix === '') return ['', path];
  if (path === prefix || path.startsWith(`${prefix}/`)) return [prefix, path.slice(prefix.length)];
  return ['', path];
}
