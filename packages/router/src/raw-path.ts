import type { Environ } from '@tsgi/spec';

/** The request path as sent, split where `SCRIPT_NAME` ends, both parts still percent-encoded. */
export interface RawPath {
  /** The encoded text that decodes to `SCRIPT_NAME`. */
  script: string;
  /** The encoded text that decodes to `PATH_INFO`. */
  rest: string;
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The path part of `REQUEST_URI` (origin-form or absolute-form), or `undefined`. */
function requestPath(uri: unknown): string | undefined {
  if (typeof uri !== 'string') return undefined;
  const query = uri.indexOf('?');
  let path = query === -1 ? uri : uri.slice(0, query);
  if (path.charCodeAt(0) !== 47) {
    const authority = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/.exec(path);
    if (authority === null) return undefined;
    path = path.slice(authority[0].length) || '/';
  }
  return path;
}

/** Whether the path of `REQUEST_URI` contains `%2F`/`%2f`, i.e. a `/` inside a segment. */
export function hasEncodedSlash(environ: Environ): boolean {
  const uri = environ.REQUEST_URI;
  if (typeof uri !== 'string') return false;
  let at = uri.indexOf('%2');
  const query = uri.indexOf('?');
  while (at !== -1 && (query === -1 || at < query)) {
    const c = uri.charCodeAt(at + 2);
    if (c === 70 || c === 102) return true;
    at = uri.indexOf('%2', at + 1);
  }
  return false;
}

/**
 * Finds the still-encoded text of `SCRIPT_NAME` and `PATH_INFO` in `REQUEST_URI`,
 * cutting at a `/` that was sent as `/`. Returns `undefined` when they do not
 * agree (a middleware rewrote the path, or the URI is malformed): the decoded
 * `PATH_INFO` is then all there is.
 */
export function rawPath(environ: Environ): RawPath | undefined {
  const path = requestPath(environ.REQUEST_URI);
  if (path === undefined) return undefined;
  const script = environ.SCRIPT_NAME;
  let at = 0;
  let decoded = '';
  while (decoded.length < script.length) {
    const next = path.indexOf('/', at + 1);
    const stop = next === -1 ? path.length : next;
    const part = decode(path.slice(at, stop));
    if (part === undefined) return undefined;
    decoded += part;
    at = stop;
    if (next === -1) break;
  }
  if (decoded !== script) return undefined;
  const rest = path.slice(at);
  if (decode(rest) !== environ.PATH_INFO) return undefined;
  return { script: path.slice(0, at), rest };
}

/**
 * The decoded segments of `PATH_INFO`, cut only at slashes sent as `/`, so that
 * `/files/a%2Fb` gives `["files", "a/b"]`. `undefined` when `REQUEST_URI` and
 * `PATH_INFO` disagree.
 */
export function rawSegments(environ: Environ): string[] | undefined {
  const raw = rawPath(environ);
  if (raw === undefined || raw.rest === '') return undefined;
  const segments = raw.rest.slice(1).split('/');
  for (let i = 0; i < segments.length; i++) {
    const segment = decode(segments[i] as string);
    if (segment === undefined) return undefined;
    segments[i] = segment;
  }
  return segments;
}
