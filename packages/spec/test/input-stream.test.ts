import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { BodyTooLargeError, RequestBodyError } from '../src/errors.ts';
import { BytesInput, StreamInput } from '../src/input-stream.ts';

async function readAllWith(
  input: BytesInput | StreamInput,
  sizes: number[],
): Promise<{ bytes: number[]; ok: boolean }> {
  const bytes: number[] = [];
  let ok = true;
  for (let i = 0; i < 10_000; i++) {
    const size = sizes[i % sizes.length]!;
    const chunk = await input.read(size);
    if (chunk.byteLength === 0) break;
    if (chunk.byteLength > size) ok = false;
    bytes.push(...chunk);
  }
  // After the end, every read stays empty.
  if ((await input.read(1)).byteLength !== 0 || (await input.read()).byteLength !== 0) ok = false;
  return { bytes, ok };
}

describe('tsgi.input', () => {
  test('read(size) returns 1..size bytes, in order, then empty reads (any chunking)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 10 }),
        async (body, sizes, cuts) => {
          const memory = await readAllWith(new BytesInput(body), sizes);
          expect(memory.ok).toBe(true);
          expect(memory.bytes).toEqual([...body]);

          const points = [...new Set(cuts.map((c) => Math.min(c * 7, body.length)))].sort(
            (a, b) => a - b,
          );
          async function* pieces() {
            let at = 0;
            for (const point of [...points, body.length]) {
              yield body.slice(at, point); // may be empty: the input must skip those
              at = point;
            }
          }
          const streamed = await readAllWith(new StreamInput(pieces()), sizes);
          expect(streamed.ok).toBe(true);
          expect(streamed.bytes).toEqual([...body]);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('read() without size returns the rest; Content-Length caps a longer stream', async () => {
    async function* source() {
      yield new Uint8Array([1, 2, 3]);
      yield new Uint8Array([4, 5, 6]);
    }
    const input = new StreamInput(source(), { contentLength: 4 });
    expect([...(await input.read(2))]).toEqual([1, 2]);
    expect([...(await input.read())]).toEqual([3, 4]);
    expect((await input.read()).byteLength).toBe(0);
  });

  test('a size that is not a positive integer is a RangeError', async () => {
    const input = new BytesInput(new Uint8Array(3));
    expect(() => input.read(0)).toThrow(RangeError);
    expect(() => input.read(1.5)).toThrow(RangeError);
  });

  test('reads issued without awaiting resolve in order', async () => {
    async function* source() {
      yield new Uint8Array([1, 2]);
      await new Promise((r) => setTimeout(r, 2));
      yield new Uint8Array([3, 4]);
    }
    const input = new StreamInput(source());
    const reads = await Promise.all([input.read(1), input.read(2), input.read(5), input.read(1)]);
    expect(reads.map((r) => [...r])).toEqual([[1], [2], [3, 4], []]);
  });

  test('async iteration yields the remaining bytes', async () => {
    const input = new BytesInput(new Uint8Array([9, 8, 7]));
    await input.read(1);
    const seen: number[] = [];
    for await (const chunk of input) seen.push(...chunk);
    expect(seen).toEqual([8, 7]);
  });

  test('a source that ends before its Content-Length rejects with a 400 [input.8]', async () => {
    async function* source() {
      yield new Uint8Array([1, 2, 3]);
    }
    const input = new StreamInput(source(), { contentLength: 5 });
    const error = await input.read().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RequestBodyError);
    expect((error as RequestBodyError).status).toBe(400);
    expect((error as Error).message).toBe(
      'request body ended after 3 of the 5 bytes its Content-Length announced',
    );
  });

  test('a body past the limit rejects with a BodyTooLargeError and stops the source', async () => {
    let stopped = false;
    async function* source() {
      try {
        for (let i = 0; i < 10; i++) yield new Uint8Array(4);
      } finally {
        stopped = true;
      }
    }
    const input = new StreamInput(source(), { limit: 10 });
    expect((await input.read(4)).byteLength).toBe(4);
    expect((await input.read(4)).byteLength).toBe(4);
    await expect(input.read(4)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(stopped).toBe(true);
  });

  test('a source chunk that is not bytes is a TypeError naming its type', async () => {
    async function* source() {
      yield 'text' as unknown as Uint8Array;
    }
    await expect(new StreamInput(source()).read()).rejects.toThrow(
      'tsgi.input: the body source yielded string, not bytes',
    );
  });

  test('nothing is read from the source before the first read', async () => {
    let pulled = 0;
    const source = {
      [Symbol.asyncIterator]: () => {
        pulled++;
        return { next: async () => ({ done: true as const, value: undefined }) };
      },
    };
    const input = new StreamInput(source);
    expect(pulled).toBe(0);
    expect((await input.read()).byteLength).toBe(0);
    expect(pulled).toBe(1);
  });
});
