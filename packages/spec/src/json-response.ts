import type { HeaderList, ResponseBody, StartResponse } from './application.js';
import { statusLine } from './status.js';

const encoder = new TextEncoder();

/**
 * Starts a JSON response and returns its body, like the tutorial's `json_response`:
 * UTF-8 without escaping non-ASCII, an exact `Content-Length`, and
 * `Content-Type: application/json; charset=utf-8`. Extra `headers` go after those two.
 *
 * @example
 * const app: Application = (environ, startResponse) =>
 *   jsonResponse(startResponse, 200, { status: 'ok' });
 */
export function jsonResponse(
  startResponse: StartResponse,
  status: number,
  value: unknown,
  headers: HeaderList = [],
): ResponseBody {
  const payload = encoder.encode(JSON.stringify(value));
  startResponse(statusLine(status), [
    ['Content-Type', 'application/json; charset=utf-8'],
    ['Content-Length', String(payload.byteLength)],
    ...headers,
  ]);
  return [payload];
}
