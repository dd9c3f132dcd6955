import { describe, expect, test } from 'vitest';
import {
  BodyTooLargeError,
  type InputStream,
  InvalidJsonError,
  jsonResponse,
  RequestBodyError,
  readBody,
  readJson,
  readText,
  UnsupportedCharsetError,
  UnsupportedMediaTypeError,
  validate,
} from '../src/index.ts';
import { bytes, makeEnviron, makeInput, serve } from './harness.ts';

const withBody = (text: string | Uint8Array, extra: Record<string, unknown> = {}) => {
  const body = typeof text === 'string' ? bytes(text) : text;
  return makeEnviron({
    REQUEST_METHOD: 'POST',
    CONTENT_LENGTH: String(body.byteLength),
    'tsgi.input': makeInput(body),
    ...extra,
  });
};

/** An input that counts how many bytes were asked for. */
function counting(body: Uint8Array): InputStream & { reads: number } {
  const inner = makeInput(body);
  const stream = {
    reads: 0,
    read(size?: number) {
      stream.reads++;
      return inner.read(size);
    },
    [Symbol.asyncIterator]: () => inner[Symbol.asyncIterator](),
  };
  return stream;
}

describe('readBody, readText, readJson', () => {
  test('reads the whole body', async () => {
    const big = new Uint8Array(200_000).fill(7);
    expect(await readBody(withBody(big), { limit: 300_000 })).toEqual(big);
    expect(await readText(withBody('héllo'))).toBe('héllo');
    expect(await readJson(withBody('{"name":"apple"}'))).toEqual({ name: 'apple' });
  });

  test('CONTENT_LENGTH over the limit fails fast with 413, reading nothing', async () => {
    const input = counting(bytes('0123456789'));
    const environ = withBody('0123456789', { 'tsgi.input': input });
    const error = await readBody(environ, { limit: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect(error).toMatchObject({ status: 413, limit: 5 });
    expect(input.reads).toBe(0);
  });

  test('a body without CONTENT_LENGTH (chunked) is cut off at the limit', async () => {
    const environ = withBody(new Uint8Array(100_000), { CONTENT_LENGTH: undefined });
    await expect(readBody(environ, { limit: 1000 })).rejects.toMatchObject({ status: 413 });
    const exact = withBody(new Uint8Array(1000), { CONTENT_LENGTH: undefined });
    expect((await readBody(exact, { limit: 1000 })).byteLength).toBe(1000);
  });

  test('invalid JSON is a 400 naming the problem', async () => {
    const error = await readJson(withBody('{"name":')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidJsonError);
    expect(error).toMatchObject({ status: 400 });
    expect((error as Error).message).toMatch(/^request body is not valid JSON: /);
    await expect(readJson(withBody(''))).rejects.toThrow('request body is empty; expected JSON');
  });

  test('invalid UTF-8 is a 400', async () => {
    const error = await readText(withBody(new Uint8Array([0xff, 0xfe]))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestBodyError);
    expect(error).toMatchObject({ status: 400, message: 'request body is not valid UTF-8' });
  });

  test('contentType: true gives 415 for a non-JSON type, before reading', async () => {
    const input = counting(bytes('{}'));
    const environ = withBody('{}', { CONTENT_TYPE: 'text/plain', 'tsgi.input': input });
    const error = await readJson(environ, { contentType: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
    expect(error).toMatchObject({ status: 415, contentType: 'text/plain' });
    expect(input.reads).toBe(0);
    await expect(readJson(withBody('{}'), { contentType: true })).rejects.toThrow(
      'request has no Content-Type; expected application/json',
    );
    for (const type of [
      'application/json',
      'Application/JSON; charset=utf-8',
      'application/merge-patch+json',
    ]) {
      expect(
        await readJson(withBody('[1]', { CONTENT_TYPE: type }), { contentType: true }),
      ).toEqual([1]);
    }
  });

  test('contentType: true gives 415 naming a charset other than UTF-8, before reading', async () => {
    for (const [type, charset] of [
      ['application/json; charset=latin1', 'latin1'],
      ['application/json;charset="ISO-8859-1"', 'ISO-8859-1'],
      ['application/json; charset=utf-16', 'utf-16'],
      ['application/merge-patch+json; Charset=windows-1252', 'windows-1252'],
      ['application/json; charset=', ''],
    ] as const) {
      const input = counting(bytes('{}'));
      const environ = withBody('{}', { CONTENT_TYPE: type, 'tsgi.input': input });
      const error = await readJson(environ, { contentType: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsupportedCharsetError);
      expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
      expect(error).toMatchObject({
        status: 415,
        charset,
        contentType: type,
        message: `request Content-Type ${JSON.stringify(type)} has charset ${JSON.stringify(charset)}; only UTF-8 is accepted`,
      });
      expect(input.reads).toBe(0);
    }
    for (const type of [
      'application/json; charset=UTF-8',
      'application/json; charset=utf8',
      'application/json; charset="utf-8"',
      'application/json ; foo=bar ; CHARSET = Utf-8',
    ]) {
      expect(await readJson(withBody('"é"', { CONTENT_TYPE: type }), { contentType: true })).toBe(
        'é',
      );
    }
    // Without contentType: true the Content-Type is not looked at, charset included.
    const latin1 = withBody('[2]', { CONTENT_TYPE: 'application/json; charset=latin1' });
    expect(await readJson(latin1)).toEqual([2]);
  });

  test('an app turns the errors into responses, and passes validate()', async () => {
    const app = validate(async (environ, startResponse) => {
      try {
        const value = await readJson(environ, { limit: 10, contentType: true });
        return jsonResponse(startResponse, 201, { created: value });
      } catch (error) {
        if (error instanceof RequestBodyError) {
          return jsonResponse(startResponse, error.status, { error: error.message });
        }
        throw error;
      }
    });
    const json = { CONTENT_TYPE: 'application/json' };
    expect(await serve(app, withBody('{"a":1}', json))).toMatchObject({
      status: '201 Created',
      text: '{"created":{"a":1}}',
    });
    expect(await serve(app, withBody('{"a":', json))).toMatchObject({ status: '400 Bad Request' });
    expect(await serve(app, withBody('{"a":"0123456789"}', json))).toMatchObject({
      status: '413 Payload Too Large',
      text: '{"error":"request body is larger than the limit of 10 bytes"}',
    });
    expect(await serve(app, withBody('{}'))).toMatchObject({
      status: '415 Unsupported Media Type',
    });
  });
});
