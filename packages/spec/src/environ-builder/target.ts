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

/** A request-target in origin-form, and the authority an absolute-form one named. */
export interface OriginForm {
  /** The path and query (`/a?b`), or `*`. */
  readonly target: string;
  /** The absolute-form's authority (`host[:port]`); `undefined` for origin-form and `*`. */
  readonly authority: string | undefined;
}

/**
 * The origin-form of a request-target: absolute-form (`http://host/path`, as
 * proxies send it) loses its scheme and authority, which it returns apart
 * (RFC 9112 §3.2.2: the authority stands for the `Host` header); origin-form
 * and `*` stay as they are; anything else, or an absolute-form with userinfo
 * or an empty host, is a 400.
 *
 * @example
 * originForm('http://a.example/x?q'); // { target: '/x?q', authority: 'a.example' }
 */
export function originForm(target: string): OriginForm | RequestProblem {
  if (target.charCodeAt(0) === 47 /* / */ || target === '*') {
    return { target, authority: undefined };
  }
  const scheme = target.indexOf('://');
  if (scheme === -1) {
    return new RequestProblem(400, 'request target must be a path, an absolute URL or *');
  }
  const slash = target.indexOf('/', scheme + 3);
  const query = target.indexOf('?', scheme + 3);
  const end = slash !== -1 && (query === -1 || slash < query) ? slash : query;
  const authority = target.slice(scheme + 3, end === -1 ? target.length : end);
  if (authority.includes('@')) {
    return new RequestProblem(400, 'request target must not hold userinfo (user@host)');
  }
  if (authority === '' || authority.startsWith(':')) {
    return new RequestProblem(400, 'absolute-form request target has an empty host');
  }
  const path = end === -1 ? '/' : end === slash ? target.slice(slash) : `/${target.slice(query)}`;
  return { target: path, authority };
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
