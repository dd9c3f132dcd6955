import { describe, expect, test } from 'vitest';
import { type Application, head, jsonResponse, validate } from '../src/index.ts';
import { bytes, makeEnviron, serve } from './harness.ts';

const json: Application = (environ, startResponse) =>
  jsonResponse(startResponse, 200, { path: environ.PATH_INFO });

describe('head()', () => {
  test('without it, a HEAD response with bytes breaks body.3', async () => {
    await expect(
      serve(validate(json), makeEnviron({ REQUEST_METHOD: 'HEAD' })),
    ).rejects.toMatchObject({
      rule: 'body.3',
    });
  });

  test('HEAD keeps status and headers, drops the bytes, passes validate()', async () => {
    const get = await serve(validate(head(json)));
    const served = await serve(validate(head(json)), makeEnviron({ REQUEST_METHOD: 'HEAD' }));
    expect(served.status).toBe('200 OK');
    expect(served.headers).toEqual(get.headers);
    expect(served.body.byteLength).toBe(0);
  });

  test('write() bytes are dropped too, and an async lazy body still calls startResponse and close() once', async () => {
    let closed = 0;
    const app: Application = async (_environ, startResponse) =>
      Object.assign(
        (async function* () {
          const write = startResponse('200 OK', [['Content-Length', '4']]);
          await write(bytes('ab'));
          yield bytes('cd');
        })(),
        {
          close() {
            closed++;
          },
        },
      );
    const served = await serve(validate(head(app)), makeEnviron({ REQUEST_METHOD: 'HEAD' }));
    expect(served).toMatchObject({ status: '200 OK', text: '', closeCalls: 1 });
    expect(closed).toBe(1);
    expect((await serve(validate(head(app)))).text).toBe('abcd');
  });

  test('a long or endless body is not read for HEAD: only up to a lazy startResponse', async () => {
    let pulled = 0;
    const stream =
      (eager: boolean): Application =>
      (_environ, startResponse) => {
        if (eager) startResponse('200 OK', [['Content-Type', 'text/event-stream']]);
        return (function* () {
          if (!eager) startResponse('200 OK', [['Content-Type', 'text/event-stream']]);
          // Bounded for the test; a real event stream never ends.
          for (let i = 0; i < 100_000; i++) {
            pulled++;
            yield bytes('data: tick\n\n');
          }
        })();
      };
    for (const eager of [true, false]) {
      pulled = 0;
      const served = await serve(
        validate(head(stream(eager))),
        makeEnviron({ REQUEST_METHOD: 'HEAD' }),
      );
      expect(served).toMatchObject({ status: '200 OK', text: '' });
      expect(pulled).toBeLessThanOrEqual(1);
    }
  });
});
