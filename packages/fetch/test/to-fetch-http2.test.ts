// toFetchHandler with `protocol: 'HTTP/2.0'`: the environ keeps [env.24] (no
// connection-specific fields, no chunked framing), and tsgi.input still reads a
// body of unknown length. Every app runs behind validate(), which checks it.
import { type Application, validate } from '@tsgi/spec';
import { describe, expect, test } from 'vitest';
import { toFetchHandler } from '../src/index.ts';
import { errorLog } from './support/error-log.ts';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Answers with the environ's string keys and the whole of `tsgi.input`, as JSON. */
const environAndBody: Application = async (environ, startResponse) => {
  const keys: Record<string, string> = {};
  for (const [key, value] of Object.entries(environ))
    if (typeof value === 'string') keys[key] = value;
  const body = new TextDecoder().decode(await environ['tsgi.input'].read());
  startResponse('200 OK', [['Content-Type', 'application/json']]);
  return [text(JSON.stringify({ keys, body }))];
};

interface Seen {
  keys: Record<string, string>;
  body: string;
}

/** What `environAndBody` saw of `request` under `protocol`, through validate(). */
async function seen(request: Request, protocol?: string): Promise<Seen> {
  const handler = toFetchHandler(validate(environAndBody), { protocol, errors: errorLog() });
  const response = await handler(request);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Seen;
}

/** A stream body of `parts`, with no length the Request knows of. */
function streamOf(...parts: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(text(part));
      controller.close();
    },
  });
}

/** A POST whose body has no Content-Length: a stream, as an HTTP/2 runtime hands it over. */
function streamedPost(headers: Record<string, string> = {}): Request {
  return new Request('http://h2.example/upload', {
    method: 'POST',
    headers,
    body: streamOf('one,', 'two,', 'three'),
    duplex: 'half',
  } as RequestInit);
}

/** Connection-specific fields a Node, Bun or Deno `Request` holds when the client sent them. */
const HOP_BY_HOP = {
  connection: 'keep-alive, X-Hop',
  'keep-alive': 'timeout=5',
  'proxy-connection': 'keep-alive',
  upgrade: 'h2c',
  'transfer-encoding': 'chunked',
  te: 'gzip, Trailers',
  'x-hop': 'named by Connection',
  'x-kept': 'yes',
};

describe('toFetchHandler with protocol HTTP/2.0 [env.24]', () => {
  test('a body of unknown length has no Transfer-Encoding and no CONTENT_LENGTH, and is read whole', async () => {
    const { keys, body } = await seen(streamedPost(), 'HTTP/2.0');
    expect(keys.SERVER_PROTOCOL).toBe('HTTP/2.0');
    expect(keys.HTTP_TRANSFER_ENCODING).toBeUndefined();
    expect(keys.CONTENT_LENGTH).toBeUndefined();
    expect(body).toBe('one,two,three');
  });

  test('a body with its Content-Length keeps it', async () => {
    const { keys, body } = await seen(
      new Request('http://h2.example/', {
        method: 'PUT',
        headers: { 'content-length': '5' },
        body: 'hello',
      }),
      'HTTP/2.0',
    );
    expect(keys.CONTENT_LENGTH).toBe('5');
    expect(keys.HTTP_TRANSFER_ENCODING).toBeUndefined();
    expect(body).toBe('hello');
  });

  test('connection-specific fields, and those Connection names, are dropped; TE keeps only trailers', async () => {
    const { keys, body } = await seen(streamedPost(HOP_BY_HOP), 'HTTP/2.0');
    for (const key of [
      'HTTP_CONNECTION',
      'HTTP_KEEP_ALIVE',
      'HTTP_PROXY_CONNECTION',
      'HTTP_UPGRADE',
      'HTTP_TRANSFER_ENCODING',
      'HTTP_X_HOP',
    ]) {
      expect(keys[key], key).toBeUndefined();
    }
    expect(keys.HTTP_TE).toBe('trailers');
    expect(keys.HTTP_X_KEPT).toBe('yes');
    expect(body).toBe('one,two,three');
  });

  test('a TE without trailers is dropped; HTTP/3 is treated as HTTP/2', async () => {
    const { keys } = await seen(
      new Request('http://h3.example/', { headers: { te: 'gzip', connection: 'close' } }),
      'HTTP/3',
    );
    expect(keys.SERVER_PROTOCOL).toBe('HTTP/3');
    expect(keys.HTTP_TE).toBeUndefined();
    expect(keys.HTTP_CONNECTION).toBeUndefined();
  });

  test('HTTP/1.1 (the default) still announces chunked and passes the fields through', async () => {
    const { keys, body } = await seen(streamedPost({ connection: 'keep-alive', te: 'gzip' }));
    expect(keys.SERVER_PROTOCOL).toBe('HTTP/1.1');
    expect(keys.HTTP_TRANSFER_ENCODING).toBe('chunked');
    expect(keys.HTTP_CONNECTION).toBe('keep-alive');
    expect(keys.HTTP_TE).toBe('gzip');
    expect(body).toBe('one,two,three');
  });
});
