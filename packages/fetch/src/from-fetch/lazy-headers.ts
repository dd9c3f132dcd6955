import type { Environ } from '@tsgi/spec';
import { standIn } from './delegate.js';
import { environHeaders } from './environ-headers.js';

/** The real `Headers` behind a lazy one, made on first need. */
const REAL = Symbol('real Headers');

/**
 * The request's `Headers`, read from the environ: `get()` and `has()` look
 * up the one environ key (`x-test` → `HTTP_X_TEST`, `content-type` →
 * `CONTENT_TYPE`) without making anything; any other member (iteration,
 * `set()`, `append()`…) makes the real `Headers` once (`environHeaders`) and
 * works on it from then on. It is an `instanceof Headers`.
 */
export class LazyHeaders {
  readonly #environ: Environ;
  #real: Headers | undefined;

  constructor(environ: Environ) {
    this.#environ = environ;
  }

  get(name: string): string | null {
    const real = this.#real;
    if (real !== undefined) return real.get(name);
    const value = this.#environ[environKeyOf(String(name))];
    return typeof value === 'string' ? value : null;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  /** The real `Headers`, made once. */
  [REAL](): Headers {
    this.#real ??= environHeaders(this.#environ);
    return this.#real;
  }
}

standIn(LazyHeaders, Headers, (headers) => headers[REAL]());

/** The environ key of a field name, as servers make it [env.12], [env.17]. */
function environKeyOf(name: string): string {
  const upper = name.toUpperCase().replaceAll('-', '_');
  return upper === 'CONTENT_TYPE' || upper === 'CONTENT_LENGTH' ? upper : `HTTP_${upper}`;
}

/** The request headers of `environ`, read lazily. */
export function lazyHeaders(environ: Environ): Headers {
  return new LazyHeaders(environ) as unknown as Headers;
}

/** The real `Headers` behind `headers` (itself when it is not a lazy one), for a real `Request`. */
export function realHeaders(headers: Headers): Headers {
  return headers instanceof LazyHeaders ? headers[REAL]() : headers;
}
