import { ABOVE_LATIN1, CONTROL_EXCEPT_TAB, DIGITS, HOP_BY_HOP, TOKEN } from '../grammar.js';
import { show, violation } from './violation.js';

const STATUS = /^([0-9]{3}) [\x21-\x7e][\t\x20-\x7e]*$/;
const EDGE_WHITESPACE = /^[ \t]|[ \t]$/;

/** Checks a status line (sr.1, sr.2) and returns its code. */
export function checkStatus(status: unknown): number {
  const match = typeof status === 'string' ? STATUS.exec(status) : null;
  if (!match) throw violation('sr.1', `status is ${show(status)}`);
  const code = Number(match[1]);
  if (code < 200 || code > 599) throw violation('sr.2', `status code is ${code}`);
  return code;
}

/**
 * Checks response headers for a status code (sr.3–sr.8) and returns the
 * `Content-Length`, if any.
 */
export function checkHeaders(headers: unknown, code: number): number | undefined {
  if (!Array.isArray(headers)) throw violation('sr.3', `headers are ${show(headers)}`);
  let contentLength: number | undefined;
  let hasContentType = false;
  for (const pair of headers as unknown[]) {
    if (
      !Array.isArray(pair) ||
      pair.length !== 2 ||
      typeof pair[0] !== 'string' ||
      typeof pair[1] !== 'string'
    ) {
      throw violation('sr.3', `header entry is ${show(pair)}`);
    }
    const [name, value] = pair as [string, string];
    const lower = name.toLowerCase();
    if (!TOKEN.test(name) || lower === 'status') {
      throw violation('sr.4', `header name ${show(name)}`);
    }
    if (CONTROL_EXCEPT_TAB.test(value) || ABOVE_LATIN1.test(value) || EDGE_WHITESPACE.test(value)) {
      throw violation('sr.5', `value of ${name} is ${show(value)}`);
    }
    if (HOP_BY_HOP.has(lower)) throw violation('sr.6', `the application set ${name}`);
    if (lower === 'content-length') {
      if (contentLength !== undefined) throw violation('sr.7', 'Content-Length appears twice');
      if (!DIGITS.test(value)) throw violation('sr.7', `Content-Length is ${show(value)}`);
      contentLength = Number(value);
    } else if (lower === 'content-type') {
      hasContentType = true;
    }
  }
  if (code === 204 && contentLength !== undefined) {
    throw violation('sr.8', 'a 204 response has a Content-Length');
  }
  if ((code === 204 || code === 304) && hasContentType) {
    throw violation('sr.8', `a ${code} response has a Content-Type`);
  }
  return contentLength;
}
