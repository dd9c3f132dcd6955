import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';
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

/** Collects garbage until `done()` or a bounded number of rounds. */
async function collectUntil(done: () => boolean): Promise<void> {
  for (let round = 0; round < 50 && !done(); round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
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
    await collectUntil(() => reported.length > 0);
    expect(reported.map((e) => e.rule)).toEqual(['body.5']);
  });

  test('a closed body is not reported when collected', async () => {
    const reported: TsgiValidationError[] = [];
    const app = validate(
      (_e, startResponse) => {
        startResponse('200 OK', []);
        return { *[Symbol.iterator]() {}, close() {} };
      },
      { onViolation: (error) => reported.push(error) },
    );
    for (let i = 0; i < 3; i++) await serve(app);
    await collectUntil(() => false);
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
      for (let i = 0; i < 20 && warnings.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
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
