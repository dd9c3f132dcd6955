import { STATUS_CODES } from 'node:http';

/**
 * The reason phrase for a status code, e.g. `statusText(404)` is `"Not Found"`.
 * Unknown codes get `"Unknown"`, so the result is always a valid reason phrase.
 */
export function statusText(code: number): string {
  return STATUS_CODES[code] ?? 'Unknown';
}

/**
 * The status line `startResponse` takes: `statusLine(404)` is `"404 Not Found"`.
 */
export function statusLine(code: number): string {
  return `${code} ${statusText(code)}`;
}
