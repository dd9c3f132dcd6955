import { describe, expect, test } from 'vitest';
import {
  appendToken,
  type BodyOutcome,
  type HeaderList,
  isFieldValue,
  isQuotedString,
  isToken,
  onClose,
  quoteString,
  type ResponseBody,
  textResponse,
  textResponseParts,
} from '../src/index.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('grammar', () => {
  test.each([
    ['X-Request-Id', true],
    ["!#$%&'*+-.^_`|~09az", true],
    ['', false],
    ['Bad Name', false],
    ['a:b', false],
    ['é', false],
  ])('isToken(%j) is %s', (name, ok) => expect(isToken(name)).toBe(ok));

  test.each([
    ['text/plain; charset=utf-8', true],
    ['tab\tinside', true],
    ['latin1 é', true],
    ['cr\rlf', false],
    ['nul\0', false],
    ['del\x7f', false],
    ['snowman ☃', false],
  ])('isFieldValue(%j) is %s', (value, ok) => expect(isFieldValue(value)).toBe(ok));

  test('quoteString escapes quotes and backslashes, and round-trips through isQuotedString', () => {
    expect(quoteString('a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
    expect(isQuotedString(quoteString('a "b" \\c'))).toBe(true);
    expect(isQuotedString('"unterminated')).toBe(false);
    expect(isQuotedString('"bare " quote"')).toBe(false);
    expect(() => quoteString('line\nbreak')).toThrow(/control character/);
  });
});

describe('appendToken', () => {
  test('adds to the first field of that name, in any case, as a new pair', () => {
    const original: [string, string] = ['vary', 'Accept'];
    const headers: HeaderList = [['Content-Type', 'text/plain'], original];
    appendToken(headers, 'Vary', 'Origin');
    expect(headers).toEqual([
      ['Content-Type', 'text/plain'],
      ['vary', 'Accept, Origin'],
    ]);
    expect(original).toEqual(['vary', 'Accept']);
  });

  test('a token listed in any field, in any case, is not repeated; * covers all', () => {
    const headers: HeaderList = [
      ['Vary', 'Accept'],
      ['Vary', 'origin'],
    ];
    appendToken(headers, 'Vary', ['Origin', 'Accept-Encoding', 'accept-encoding']);
    expect(headers).toEqual([
      ['Vary', 'Accept, Accept-Encoding'],
      ['Vary', 'origin'],
    ]);
    const star: HeaderList = [['Vary', '*']];
    appendToken(star, 'Vary', 'Origin');
    expect(star).toEqual([['Vary', '*']]);
  });

  test('items with parameters are compared by name, the part before ;', () => {
    const headers: HeaderList = [['Server-Timing', 'db;dur=5, App;dur=9']];
    appendToken(headers, 'Server-Timing', 'app;dur=1');
    expect(headers).toEqual([['Server-Timing', 'db;dur=5, App;dur=9']]);
    appendToken(headers, 'server-timing', ['cache;desc="hit"', 'cache;dur=2']);
    expect(headers).toEqual([['Server-Timing', 'db;dur=5, App;dur=9, cache;desc="hit"']]);
  });

  test('a missing or empty field gets the tokens alone', () => {
    const none: HeaderList = [];
    appendToken(none, 'Server-Timing', 'app;dur=1.5');
    expect(none).toEqual([['Server-Timing', 'app;dur=1.5']]);
    const empty: HeaderList = [['Vary', ' ']];
    appendToken(empty, 'Vary', 'Origin');
    expect(empty).toEqual([['Vary', 'Origin']]);
  });
});

describe('textResponse', () => {
  test('parts: UTF-8 body, exact Content-Length, extra headers after', () => {
    const parts = textResponseParts(404, 'no route for /é\n', [['Allow', 'GET']]);
    expect(parts.code).toBe(404);
    expect(parts.status).toBe('404 Not Found');
    expect(parts.headers).toEqual([
      ['Content-Type', 'text/plain; charset=utf-8'],
      ['Content-Length', '17'],
      ['Allow', 'GET'],
    ]);
    expect(new TextDecoder().decode(parts.body)).toBe('no route for /é\n');
  });

  test('starts the response and returns the body', () => {
    const calls: unknown[] = [];
    const body = textResponse(
      (status, headers) => {
        calls.push(status, headers);
        return async () => {};
      },
      503,
      'down',
    );
    expect(calls[0]).toBe('503 Service Unavailable');
    expect([...(body as Iterable<Uint8Array>)].map((c) => new TextDecoder().decode(c))).toEqual([
      'down',
    ]);
  });
});

describe('onClose', () => {
  function tracked<T extends object>(body: T, log: string[]): T & { close(): void } {
    return Object.assign(body, { close: () => void log.push('inner close') });
  }

  test('an array stays an array (a copy); close runs the inner close, then fn, once', () => {
    const log: string[] = [];
    const shared = [bytes('a')];
    const outcomes: BodyOutcome[] = [];
    const body = onClose(tracked(shared, log), (outcome) => {
      log.push('fn');
      outcomes.push(outcome);
    }) as Uint8Array[] & { close(): void };
    expect(Array.isArray(body)).toBe(true);
    expect(body).not.toBe(shared);
    body.close();
    body.close();
    expect(log).toEqual(['inner close', 'fn']);
    expect(outcomes).toEqual([{ completed: true, error: undefined }]);
  });

  test('a sync iterable stays sync and closes itself when exhausted', () => {
    const log: string[] = [];
    function* chunks() {
      yield bytes('a');
      yield bytes('b');
    }
    const inner = tracked({ [Symbol.iterator]: chunks }, log);
    const body = onClose(inner, ({ completed }) => void log.push(`fn ${completed}`));
    expect(typeof (body as Iterable<Uint8Array>)[Symbol.iterator]).toBe('function');
    expect([...(body as Iterable<Uint8Array>)]).toHaveLength(2);
    expect(log).toEqual(['inner close', 'fn true']);
    void body.close?.();
    expect(log).toEqual(['inner close', 'fn true']);
  });

  test('an async iterable abandoned early closes once, not completed', async () => {
    const log: string[] = [];
    async function* chunks() {
      yield bytes('a');
      yield bytes('b');
    }
    const body = onClose(
      tracked({ [Symbol.asyncIterator]: chunks }, log),
      ({ completed }) => void log.push(`fn ${completed}`),
    );
    for await (const _ of body as AsyncIterable<Uint8Array>) break;
    await body.close?.();
    expect(log).toEqual(['inner close', 'fn false']);
  });

  test('an error from iteration or from the inner close reaches fn; close still rethrows', async () => {
    const outcomes: BodyOutcome[] = [];
    const failing: ResponseBody = {
      *[Symbol.iterator]() {
        yield bytes('a');
        throw new Error('boom');
      },
    };
    const body = onClose(failing, (o) => void outcomes.push(o));
    expect(() => [...(body as Iterable<Uint8Array>)]).toThrow('boom');
    await body.close?.();
    expect(outcomes).toHaveLength(1);
    expect((outcomes[0]!.error as Error).message).toBe('boom');

    const seen: unknown[] = [];
    const rejecting = onClose(
      Object.assign([bytes('x')], { close: () => Promise.reject(new Error('close failed')) }),
      ({ error }) => void seen.push(error),
    );
    await expect(rejecting.close?.()).rejects.toThrow('close failed');
    expect((seen[0] as Error).message).toBe('close failed');
  });

  test('a value that is not a body is passed through and fn runs at once', () => {
    let called = 0;
    const notABody = 'oops' as unknown as ResponseBody;
    expect(onClose(notABody, () => void called++)).toBe(notABody);
    expect(called).toBe(1);
  });
});
