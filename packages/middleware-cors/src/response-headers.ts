import type { HeaderList } from '@tsgi/spec';
import { mergeVary } from './vary.js';

function hasHeader(headers: HeaderList, lowerName: string): boolean {
  for (let i = 0; i < headers.length; i++) {
    const name = headers[i]![0];
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return true;
  }
  return false;
}

/**
 * The app's headers plus the CORS headers of an actual (non-preflight)
 * response: a copy, since the app's list may be a shared constant. A CORS
 * header the app set itself (any case) wins and is not duplicated; `Vary`
 * tokens are merged into the app's `Vary`.
 */
export function withCorsHeaders(
  headers: HeaderList,
  cors: HeaderList,
  vary: readonly string[],
): HeaderList {
  const out = headers.slice();
  for (const pair of cors) {
    if (!hasHeader(headers, pair[0].toLowerCase())) out.push(pair);
  }
  if (vary.length !== 0) mergeVary(out, vary);
  return out;
}
