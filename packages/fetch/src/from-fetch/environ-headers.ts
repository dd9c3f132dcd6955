import type { Environ } from '@tsgi/spec';

/**
 * The request's header fields back from its environ: `CONTENT_TYPE`,
 * `CONTENT_LENGTH` and every `HTTP_*` key, the name lower-cased with `_`
 * turned back into `-` [env.17]. Repeats were joined by the server and stay
 * joined (`Cookie` with `"; "`).
 */
export function environHeaders(environ: Environ): Headers {
  const headers = new Headers();
  for (const key in environ) {
    const value = environ[key];
    if (typeof value !== 'string') continue;
    if (key.startsWith('HTTP_')) {
      headers.append(key.slice(5).toLowerCase().replaceAll('_', '-'), value);
    } else if (key === 'CONTENT_TYPE') {
      headers.append('content-type', value);
    } else if (key === 'CONTENT_LENGTH') {
      headers.append('content-length', value);
    }
  }
  return headers;
}
