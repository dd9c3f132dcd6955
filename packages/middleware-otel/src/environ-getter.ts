import type { TextMapGetter } from '@opentelemetry/api';
import { type Environ, environKey } from '@tsgi/spec';

/**
 * Reads request headers for a propagator (`propagation.extract`) from the
 * environ's `HTTP_*` keys, named as every TSGI server names them (`environKey`
 * of `@tsgi/spec`): `get(environ, 'traceparent')` is `environ.HTTP_TRACEPARENT`;
 * `keys()` lists the headers by their lower-case, hyphenated names. A server
 * joins repeated headers with `, `, which is how `tracestate` and `baggage`
 * are split again.
 */
export const environGetter: TextMapGetter<Environ> = {
  get(environ, header) {
    const key = environKey(header);
    const value = key === null ? undefined : environ[key];
    return typeof value === 'string' ? value : undefined;
  },
  keys(environ) {
    const headers: string[] = [];
    for (const key of Object.keys(environ)) {
      if (key.startsWith('HTTP_')) headers.push(key.slice(5).toLowerCase().replaceAll('_', '-'));
    }
    return headers;
  },
};
