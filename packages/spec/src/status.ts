import { STATUS_CODES } from 'node:http';
import { isFieldValue } from './grammar.js';

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

/** Three ASCII digits at the start. */
const DIGITS3 = /^\d{3}/;

/** A status line split into code and reason; `clean` when the reason is a valid field value. */
export interface ParsedStatus {
  readonly code: number;
  readonly reason: string;
  readonly clean: boolean;
}

/**
 * Checks a `startResponse` status [sr.1], [sr.2] (`"NNN Reason"`, 200-599) and splits it; throws
 * a TypeError naming the problem. `checkReason` refuses control characters in the
 * reason phrase (when the sink does not).
 */
export function parseStatus(status: string, checkReason: boolean): ParsedStatus {
  if (typeof status !== 'string' || status.length < 4 || status.charCodeAt(3) !== 32) {
    throw new TypeError(
      `startResponse: status must be "NNN Reason", got ${JSON.stringify(status)}`,
    );
  }
  const code = Number(status.slice(0, 3));
  if (!DIGITS3.test(status) || code < 200 || code > 599) {
    throw new TypeError(
      `startResponse: status code must be 200-599, got ${JSON.stringify(status)}`,
    );
  }
  const reason = status.slice(4);
  const clean = isFieldValue(reason);
  if (checkReason && !clean) {
    throw new TypeError('startResponse: the reason phrase holds a control character');
  }
  return { code, reason, clean };
}
