import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';
import { until } from '../../../tools/test-support/index.ts';
import {
  type Application,
  type Environ,
  rules,
  TsgiValidationError,
  validate,
} from '../src/index.ts';
import { bytes, makeEnviron, makeInput, serve, textApp } from './harness.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Collects garbage until `done()`, bounded: finalization callbacks run in a
 * task after the collection, so each check after the first follows a pause.
 */
function collectUntil(done: () => boolean, what: string): Promise<void> {
  return until(
    () => {
      if (done()) return true;
      gc();
      return false;
    },
    { what },
  );
}

describe('validate()', () => {
  test('a conforming exchange passes through unchanged', async () => {
    const served = await serve(validate(textApp('hello', [['Set-Cookie', 'a=1']])));
    expect(served).toMatchObject({ status: '200 OK', text: 'hello' });
    expect(served.headers).toContainEqual(['Set-Cookie', 'a=1']);
  });

  test('the message starts with the rule id and quotes the rule', async () => {
    const app = validate((_e, startResponse) => {
      startResponse('200 OK', [['Transfer-Encoding', 'chunked']]);
      return [];
    });
    const error = await serve(app).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TsgiValidationError);
    expect((error as Error).message).toBe(
      `[sr.6] the application set Transfer-Encoding. SPEC.md: ${rules['sr.6'].text}`,
    );
  });

  test('modifies the environ in place: outer layers see keys inner layers add', async () => {
    let seenByOuter: unknown;
    const inner: Application = (environ, startResponse) => {
      environ['tsgi.route'] = { pattern: '/items', params: {} };
      return textApp()(environ, startResponse);
    };
    const outer: Application = async (environ, startResponse) => {
      const body = await validate(inner)(environ, startResponse);
      seenByOuter = environ['tsgi.route'];
      return body;
    };
    const environ = makeEnviron();
    await serve(validate(outer), environ);
    expect(seenByOuter).toEqual({ pattern: '/items', params: {} });
    expect(environ['tsgi.input']).not.toBe(undefined);
  });

  test('stacks: validate(validate(app)) reads the body through both wrappers', async () => {
    const app = validate(
      validate(async (environ, startResponse) => {
        const chunks: Uint8Array[] = [];
        for await (const chunk of environ['tsgi.input']) chunks.push(chunk);
        startResponse('200 OK', []);
        return chunks;
      }),
    );
    const environ = makeEnviron({
      REQUEST_METHOD: 'POST',
      CONTENT_LENGTH: '11',
      'tsgi.input': makeInput(bytes('hello world')),
    });
    expect((await serve(app, environ)).text).toBe('hello world');
  });

  test('an async body is checked chunk by chunk and close() is forwarded once', async () => {
    let closed = 0;
    const app = validate((_e, startResponse) => {
      startResponse('200 OK', [['Content-Length', '6']]);
      return Object.assign(
        (async function* () {
          yield bytes('abc');
          yield bytes('def');
        })(),
        {
          close() {
            closed++;
          },
        },
      );
    });
    const served = await serve(app);
    expect(served.text).toBe('abcdef');
    expect(closed).toBe(1);
  });

  test('a body never closed is reported once garbage-collected (body.5)', async () => {
    const reported: TsgiValidationError[] = [];
    const app = validate(
      (_e, startResponse) => {
        startResponse('200 OK', []);
        return { *[Symbol.iterator]() {}, close() {} };
      },
      { onViolation: (error) => reported.push(error) },
    );
    await (async () => {
      const body = (await app(makeEnviron(), () => async () => {})) as Iterable<Uint8Array>;
      for (const _ of body) {
      }
      // The body is dropped here without close().
    })();
    await collectUntil(() => reported.length > 0, 'the body.5 report of a collected body');
    expect(reported.map((e) => e.rule)).toEqual(['body.5']);
  });

  test('a closed body is not reported when collected', async () => {
    const reported: TsgiValidationError[] = [];
    // The wrapped bodies validate hands out are the objects its registry watches: once all
    // three are collected, a report for them (if any) would be due.
    let collected = 0;
    const watch = new FinalizationRegistry<void>(() => {
      collected++;
    });
    const app = validate(
      (_e, startResponse) => {
        startResponse('200 OK', []);
        return { *[Symbol.iterator]() {}, close() {} };
      },
      { onViolation: (error) => reported.push(error) },
    );
    // serve() closes each body; `watched` only notes the body validate returned.
    const watched: Application = async (environ, startResponse) => {
      const body = await app(environ, startResponse);
      watch.register(body);
      return body;
    };
    for (let i = 0; i < 3; i++) await serve(watched);
    await collectUntil(() => collected === 3, 'the three closed bodies to be collected');
    // What must NOT happen: validate's own finalization callback for these bodies runs in a
    // task beside ours, and no event marks that it did not run; a few collections and a short
    // pause give it the chance to report.
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(reported).toEqual([]);
  });

  test('by default, late violations become process warnings', async () => {
    const warnings: Error[] = [];
    const listener = (warning: Error) => warnings.push(warning);
    process.on('warning', listener);
    try {
      const app = validate((_e, startResponse) => {
        void startResponse('200 OK', [])(bytes('x'));
        return [];
      });
      await app(makeEnviron(), () => () => Promise.reject(new Error('EPIPE')));
      // The failed write settles after the app returned: the warning follows, asynchronously.
      await until(() => warnings.length > 0, { what: 'a process warning for write.3' });
    } finally {
      process.off('warning', listener);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toBeInstanceOf(TsgiValidationError);
    expect((warnings[0] as TsgiValidationError).rule).toBe('write.3');
  });

  test('errors of the application itself pass through untouched', async () => {
    const boom = new Error('boom');
    const app = validate(() => {
      throw boom;
    });
    await expect(serve(app)).rejects.toBe(boom);
    const asyncApp = validate(async () => {
      throw boom;
    });
    await expect(serve(asyncApp)).rejects.toBe(boom);
  });

  test('the environ type accepts extension keys', () => {
    const environ: Environ = makeEnviron({ 'myserver.socket': 1 });
    expect(environ['myserver.socket']).toBe(1);
  });
});
