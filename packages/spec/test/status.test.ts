import { describe, expect, test } from 'vitest';
import { jsonResponse, statusLine, statusText, validate } from '../src/index.ts';
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
