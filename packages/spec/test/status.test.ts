import { describe, expect, test } from 'vitest';
import {
  ContentLengthMismatch,
  checkContentLength,
  jsonResponse,
  parseContentLength,
  parseStatus,
  statusLine,
  statusText,
  validate,
} from '../src/index.ts';
import { checkStatus } from '../src/validate/headers.ts';
import { serve } from './harness.ts';

describe('statusText, statusLine', () => {
  test('known and unknown codes', () => {
    expect(statusText(404)).toBe('Not Found');
    expect(statusLine(200)).toBe('200 OK');
    expect(statusLine(418)).toBe("418 I'm a Teapot");
    expect(statusLine(299)).toBe('299 Unknown');
  });

  test('every line for 200..599 is a valid status (sr.1, sr.2)', () => {
    for (let code = 200; code <= 599; code++) expect(checkStatus(statusLine(code))).toBe(code);
  });
});

describe('parseStatus, parseContentLength', () => {
  test('a good status splits into code and reason', () => {
    expect(parseStatus('404 Not Found', true)).toEqual({
      code: 404,
      reason: 'Not Found',
      clean: true,
    });
    expect(parseStatus('200 Tab\there', true).clean).toBe(true);
  });

  test.each([
    ['200', 'status must be "NNN Reason"'],
    ['2e2 OK', 'status code must be 200-599'],
    ['099 Old', 'status code must be 200-599'],
    ['600 Odd', 'status code must be 200-599'],
    ['+20 OK', 'status code must be 200-599'],
  ])('%j is refused: %s', (status, message) => {
    expect(() => parseStatus(status, true)).toThrow(message);
  });

  test('a control character in the reason is refused only when asked', () => {
    expect(() => parseStatus('200 O\nK', true)).toThrow('control character');
    expect(parseStatus('200 O\nK', false).clean).toBe(false);
  });

  test.each([
    ['0', 0],
    ['42', 42],
    ['999999999999999', 999999999999999],
    ['', -1],
    [' 4', -1],
    ['4.0', -1],
    ['-1', -1],
    ['1234567890123456', -1],
  ])('Content-Length %j is %d', (value, length) => {
    expect(parseContentLength(value)).toBe(length);
  });
});

describe('checkContentLength', () => {
  test('no length, or the exact length, passes; more, or less once complete, throws', () => {
    expect(() => checkContentLength(-1, 10, true)).not.toThrow();
    expect(() => checkContentLength(5, 5, true)).not.toThrow();
    expect(() => checkContentLength(5, 3, false)).not.toThrow();
    expect(() => checkContentLength(5, 6, false)).toThrow(ContentLengthMismatch);
    expect(() => checkContentLength(5, 3, true)).toThrow(
      'response body is 3 bytes but its Content-Length says 5',
    );
  });
});

describe('jsonResponse', () => {
  test('UTF-8 JSON with an exact Content-Length, passing validate()', async () => {
    const app = validate((_environ, startResponse) =>
      jsonResponse(startResponse, 200, { name: 'café ☕' }, [['X-Extra', '1']]),
    );
    const served = await serve(app);
    expect(served.status).toBe('200 OK');
    expect(served.headers).toEqual([
      ['Content-Type', 'application/json; charset=utf-8'],
      ['Content-Length', String(served.body.byteLength)],
      ['X-Extra', '1'],
    ]);
    expect(JSON.parse(served.text)).toEqual({ name: 'café ☕' });
    expect(served.body.byteLength).toBeGreaterThan(served.text.length);
  });
});
