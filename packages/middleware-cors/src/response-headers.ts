import { appendToken, type HeaderList } from '@tsgi/spec';

/** The CORS headers an actual response can get, lower-cased, for the "app already set it" check. */
const ALLOW_ORIGIN = 'access-control-allow-origin';

/**
 * What an allowed actual response gets besides `Access-Control-Allow-Origin`:
 * fixed per middleware instance (credentials, expose headers).
 */
export interface CorsTail {
  headers: HeaderList;
  lowerNames: string[];
}

/** Builds the {@link CorsTail} once, at set-up. */
export function corsTail(headers: HeaderList): CorsTail {
  return { headers, lowerNames: headers.map(([name]) => name.toLowerCase()) };
}

/**
 * The app's headers plus the CORS headers of an actual (non-preflight)
 * response, as a copy: the app's list may be a shared constant. A CORS header
 * the app set itself (any case) wins and is not duplicated; `vary` (e.g.
 * `Origin`) is merged into the app's `Vary`. `allowOrigin` undefined adds
 * only `Vary`.
 *
 * One pass over the app's headers; names are lower-cased only when their
 * length could match (every `Access-Control-*` response header is at least
 * 27 characters long), so the common case does no string work.
 */
export function withCorsHeaders(
  headers: HeaderList,
  allowOrigin: string | undefined,
  tail: CorsTail,
  vary: string | undefined,
): HeaderList {
  let hasVary = false;
  let appHasOrigin = false;
  let appHasTail = 0; // bit i: the app set tail.headers[i]
  for (let i = 0; i < headers.length; i++) {
    const name = headers[i]![0];
    const length = name.length;
    if (length === 4) {
      if (!hasVary && name.toLowerCase() === 'vary') hasVary = true;
    } else if (length >= 27 && allowOrigin !== undefined) {
      const lower = name.toLowerCase();
      if (lower === ALLOW_ORIGIN) appHasOrigin = true;
      else {
        for (let j = 0; j < tail.lowerNames.length; j++) {
          if (lower === tail.lowerNames[j]) appHasTail |= 1 << j;
        }
      }
    }
  }
  // One copy of the final size: slice() then push() would allocate twice.
  const addOrigin = allowOrigin !== undefined && !appHasOrigin;
  let extra = addOrigin ? 1 : 0;
  if (allowOrigin !== undefined) {
    for (let j = 0; j < tail.headers.length; j++) if ((appHasTail & (1 << j)) === 0) extra++;
  }
  if (vary !== undefined && !hasVary) extra++;
  const length = headers.length;
  const out: HeaderList = new Array(length + extra);
  for (let i = 0; i < length; i++) out[i] = headers[i]!;
  let next = length;
  if (addOrigin) out[next++] = ['Access-Control-Allow-Origin', allowOrigin];
  if (allowOrigin !== undefined) {
    for (let j = 0; j < tail.headers.length; j++) {
      if ((appHasTail & (1 << j)) === 0) out[next++] = tail.headers[j]!;
    }
  }
  if (vary !== undefined) {
    if (hasVary) appendToken(out, 'Vary', vary);
    else out[next] = ['Vary', vary];
  }
  return out;
}
