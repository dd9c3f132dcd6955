import { CONNECTION_SPECIFIC_KEYS } from '@tsgi/spec';

/** HTTP/1.1's connection-specific fields, which no HTTP/2 request holds (RFC 9113 §8.2.2), as field names. */
const CONNECTION_SPECIFIC = CONNECTION_SPECIFIC_KEYS.map((key) =>
  key.slice('HTTP_'.length).toLowerCase().replaceAll('_', '-'),
);

/**
 * The lower-case names of the fields an HTTP/1.x request must lose before it
 * is seen as an HTTP/2 one [env.24]: the five connection-specific fields and
 * every field the `Connection` field names as a connection option (RFC 9110
 * §7.6.1), as an intermediary removes them. `TE` is left to {@link teTrailers}.
 */
export function connectionFields(headers: Headers): Set<string> {
  const names = new Set(CONNECTION_SPECIFIC);
  const options = headers.get('connection');
  if (options !== null) {
    for (const option of options.split(',')) {
      const name = option.trim().toLowerCase();
      if (name !== '') names.add(name);
    }
  }
  return names;
}

/**
 * What is left of a `TE` field on an HTTP/2 request, where it may name only
 * `trailers` [env.24]: `"trailers"` when the field offered it, else
 * `undefined` (the field is dropped).
 */
export function teTrailers(value: string): string | undefined {
  for (const item of value.split(',')) {
    if (item.trim().toLowerCase() === 'trailers') return 'trailers';
  }
  return undefined;
}
