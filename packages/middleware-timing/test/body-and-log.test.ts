import type { Application, ResponseBody } from '@tsgi/spec';
import { describe, expect, it } from 'vitest';
import { type TimingEntry, timing } from '../src/index.ts';
import { encoder, makeEnviron, serve, sleep } from './harness.ts';

const TEXT_LINE = /^\[\d\d:\d\d:\d\d\] GET \/health → \d+\.\dms\n$/;

function appReturning(body: () => ResponseBody): Application {
  return (_environ, startResponse) => {
    startResponse('200 OK', []);
    return body();
  };
}

describe('log line', () => {
  it("goes to tsgi.errors in the tutorial's form, once, after close()", async () => {
    const { environ, errors } = makeEnviron();
    const app = timing(appReturning(() => [encoder.encode('ok')]));
    const body = (await app(environ, () => async () => {})) as Iterable<Uint8Array> & {
      close(): void;
    };
    expect([...body]).toHaveLength(1);
    expect(errors).toEqual([]); // not before the server closed the body
    body.close();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(TEXT_LINE);
    body.close();
    expect(errors).toHaveLength(1);
  });

  it('logs once after close() for an array an async app resolves to, leaving it alone', async () => {
    const { environ, errors } = makeEnviron();
    const shared = [encoder.encode('ok')];
    const app = timing(async (_environ, startResponse) => {
      startResponse('200 OK', []);
      return shared;
    });
    const body = (await app(environ, () => async () => {})) as Uint8Array[] & { close(): void };
    expect(Array.isArray(body)).toBe(true);
    expect(body).not.toBe(shared);
    expect('close' in shared).toBe(false);
    expect(errors).toEqual([]);
    body.close();
    body.close();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(TEXT_LINE);
  });

  it('uses SCRIPT_NAME + PATH_INFO, leaves the query string out, and adds the request id', async () => {
    const { environ, errors } = makeEnviron({
      REQUEST_METHOD: 'POST',
      SCRIPT_NAME: '/api',
      PATH_INFO: '/items',
      QUERY_STRING: 'token=secret',
      'tsgi.request_id': 'req-42',
    });
    await serve(timing(appReturning(() => [])), environ);
    expect(errors[0]).toMatch(/^\[\d\d:\d\d:\d\d\] POST \/api\/items → \d+\.\dms id=req-42\n$/);
    expect(errors[0]).not.toContain('secret');
  });

  it('writes one JSON object per line with format: "json"', async () => {
    const { environ, errors } = makeEnviron({ 'tsgi.request_id': 'abc' });
    const app: Application = (_environ, startResponse) => {
      startResponse('201 Created', []);
      return [];
    };
    await serve(timing(app, { format: 'json', digits: 3 }), environ);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.endsWith('\n')).toBe(true);
    const record = JSON.parse(errors[0]!);
    expect(Object.keys(record)).toEqual([
      'time',
      'method',
      'path',
      'status',
      'processMs',
      'totalMs',
      'requestId',
    ]);
    expect(record).toMatchObject({ method: 'GET', path: '/health', status: 201, requestId: 'abc' });
    expect(new Date(record.time).toISOString()).toBe(record.time);
    expect(record.totalMs).toBeGreaterThanOrEqual(record.processMs);
  });

  it('hands the line and the entry to a log function instead of tsgi.errors', async () => {
    const { environ, errors } = makeEnviron();
    const seen: Array<[string, TimingEntry]> = [];
    await serve(
      timing(
        appReturning(() => []),
        { log: (line, entry) => seen.push([line, entry]) },
      ),
      environ,
    );
    expect(errors).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(`${seen[0]![0]}\n`).toMatch(TEXT_LINE);
    expect(seen[0]![1]).toMatchObject({
      method: 'GET',
      path: '/health',
      status: 200,
      aborted: false,
    });
  });

  it('survives a log function that throws, and says so on tsgi.errors', async () => {
    const { environ, errors } = makeEnviron();
    const app = timing(
      appReturning(() => [encoder.encode('x')]),
      {
        log: () => {
          throw new Error('disk full');
        },
      },
    );
    const res = await serve(app, environ);
    expect(res.chunks).toHaveLength(1);
    expect(errors).toEqual(['timing: the log function threw: disk full\n']);
  });

  it('logs and rethrows when the app throws, sync or async', async () => {
    for (const app of [
      (() => {
        throw new Error('sync boom');
      }) as Application,
      (async () => {
        throw new Error('async boom');
      }) as Application,
    ]) {
      const { environ, errors } = makeEnviron();
      await expect(serve(timing(app), environ)).rejects.toThrow(/boom/);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/→ \d+\.\dms \(error: (a)?sync boom\)\n$/);
    }
  });

  it('writes nothing and returns the body untouched with log: false', async () => {
    const body = [encoder.encode('x')];
    const { environ, errors } = makeEnviron();
    const res = await serve(
      timing(
        appReturning(() => body),
        { log: false },
      ),
      environ,
    );
    expect(res.body).toBe(body);
    expect(errors).toEqual([]);
  });
});

describe('body pass-through', () => {
  it('keeps an array an array, copies it, and leaves the original alone', async () => {
    const shared = [encoder.encode('a'), encoder.encode('b')];
    const { environ } = makeEnviron();
    const res = await serve(timing(appReturning(() => shared)), environ);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body).not.toBe(shared);
    expect(res.chunks).toEqual(shared);
    expect('close' in shared).toBe(false);
  });

  it('keeps a sync iterable sync (no async iterator on the wrapper)', async () => {
    function* gen() {
      yield encoder.encode('1');
      yield encoder.encode('2');
    }
    const { environ } = makeEnviron();
    const res = await serve(timing(appReturning(() => gen())), environ);
    expect(typeof (res.body as Iterable<Uint8Array>)[Symbol.iterator]).toBe('function');
    expect(Symbol.asyncIterator in res.body).toBe(false);
    expect(res.chunks.map((c) => new TextDecoder().decode(c))).toEqual(['1', '2']);
  });

  it('hands each chunk on before the next one exists (no buffering)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let produced = 0;
    const app = timing(
      appReturning(() =>
        (async function* () {
          produced++;
          yield encoder.encode('first');
          await gate;
          produced++;
          yield encoder.encode('second');
        })(),
      ),
      { log: () => {} },
    );
    const { environ } = makeEnviron();
    const body = (await app(environ, () => async () => {})) as AsyncIterable<Uint8Array>;
    const it = body[Symbol.asyncIterator]();
    const first = await it.next();
    expect(new TextDecoder().decode(first.value)).toBe('first');
    expect(produced).toBe(1);
    release();
    const second = await it.next();
    expect(new TextDecoder().decode(second.value)).toBe('second');
    expect((await it.next()).done).toBe(true);
  });

  it("calls the app's close() exactly once and logs after an async close settles", async () => {
    let closes = 0;
    const events: string[] = [];
    const body = Object.assign([encoder.encode('x')], {
      close: async () => {
        closes++;
        await sleep(10);
        events.push('inner closed');
      },
    });
    const { environ } = makeEnviron();
    const app = timing(
      appReturning(() => body),
      { log: () => events.push('logged') },
    );
    const wrapped = (await app(environ, () => async () => {})) as ResponseBody;
    await Promise.all([wrapped.close?.(), wrapped.close?.()]);
    expect(closes).toBe(1);
    expect(events).toEqual(['inner closed', 'logged']);
  });

  it('marks a streamed body closed early as aborted and runs the generator cleanup', async () => {
    let cleanedUp = false;
    const seen: TimingEntry[] = [];
    const app = timing(
      appReturning(() =>
        (async function* () {
          try {
            for (let i = 0; i < 10; i++) yield encoder.encode(String(i));
          } finally {
            cleanedUp = true;
          }
        })(),
      ),
      { log: (_line, entry) => seen.push(entry) },
    );
    const { environ } = makeEnviron();
    const res = await serve(app, environ, { stopAfter: 2 });
    expect(res.chunks).toHaveLength(2);
    expect(cleanedUp).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.aborted).toBe(true);
  });

  it('logs a body error and still closes once', async () => {
    let closes = 0;
    const broken = {
      *[Symbol.iterator]() {
        yield encoder.encode('ok');
        throw new Error('disk gone');
      },
      close() {
        closes++;
      },
    };
    const seen: TimingEntry[] = [];
    const app = timing(
      appReturning(() => broken),
      { log: (_l, e) => seen.push(e) },
    );
    const { environ } = makeEnviron();
    const body = (await app(environ, () => async () => {})) as Iterable<Uint8Array> & {
      close(): void;
    };
    expect(() => [...body]).toThrow('disk gone');
    body.close();
    expect(closes).toBe(1);
    expect(seen[0]!.aborted).toBe(true);
    expect((seen[0]!.error as Error).message).toBe('disk gone');
  });

  it('passes a non-body (an app bug) through untouched for the server to report, and logs', async () => {
    for (const bad of [null, 'text', { not: 'iterable' }]) {
      const lines: string[] = [];
      const app = timing(
        appReturning(() => bad as never),
        { log: (line) => lines.push(line) },
      );
      const { environ } = makeEnviron();
      const result = await app(environ, () => async () => {});
      expect(result).toBe(bad);
      expect(lines).toHaveLength(1);
    }
  });
});
