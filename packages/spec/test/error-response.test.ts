import { expect, test } from 'vitest';
import { type Application, BodyTooLargeError, catchErrors, validate } from '../src/index.ts';
import { type ErrorLog, makeEnviron, serve } from './harness.ts';

test.each([
  [
    'a sync throw',
    (() => {
      throw new BodyTooLargeError(10);
    }) as Application,
  ],
  [
    'a rejection',
    (async () => {
      throw new BodyTooLargeError(10);
    }) as Application,
  ],
])('catchErrors answers a RequestBodyError from %s with its status, as JSON', async (_, app) => {
  const log: ErrorLog = { text: '' };
  const served = await serve(validate(catchErrors(app)), makeEnviron({}, log));
  expect(served.status).toBe('413 Payload Too Large');
  expect(JSON.parse(served.text)).toEqual({
    error: 'request body is larger than the limit of 10 bytes',
  });
  expect(log.text).toBe('');
});

test('catchErrors answers other errors 500 without details and reports them', async () => {
  const log: ErrorLog = { text: '' };
  const app = catchErrors((_environ, startResponse) => {
    startResponse('200 OK', [['Content-Type', 'text/plain']]);
    throw new TypeError('secret detail');
  });
  const served = await serve(validate(app), makeEnviron({}, log));
  expect(served.status).toBe('500 Internal Server Error');
  expect(served.text).not.toContain('secret');
  expect(log.text).toMatch(/^GET \/items: TypeError: secret detail/);
});
