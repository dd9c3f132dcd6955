import type { Application, ResponseBody } from '../../src/index.ts';
import { bytes, makeEnviron, respond } from '../harness.ts';
import { custom, type RuleTable, served } from './cases.ts';

const x = bytes('x');
const returns =
  (body: unknown): Application =>
  (_e, startResponse) => {
    startResponse('200 OK', []);
    return body as ResponseBody;
  };
const server = () => async () => {};

/** Serves `app` with a server that consumes the body with `consume`. */
const consumed = (
  name: string,
  app: Application,
  consume: (body: ResponseBody) => Promise<unknown> | unknown,
) => custom(name, async (ctx) => consume(await ctx.validate(app)(makeEnviron(), server)));

const closable = (): Application =>
  returns({
    *[Symbol.iterator]() {
      yield x;
    },
    close() {},
  });

export const bodyCases: RuleTable = {
  'body.1': {
    pass: [
      served('an array', returns([x])),
      served(
        'a generator',
        returns(
          (function* () {
            yield x;
          })(),
        ),
      ),
      served(
        'an async generator',
        returns(
          (async function* () {
            yield x;
          })(),
        ),
      ),
    ],
    fail: [
      served('a string', returns('text')),
      served('a Buffer', returns(Buffer.from('x'))),
      served('a Uint8Array', returns(x)),
      served('null', returns(null)),
      served('undefined', returns(undefined)),
      served('a plain object', returns({ body: 'x' })),
    ],
  },
  'body.2': {
    pass: [served('a Buffer chunk', returns([Buffer.from('x'), new Uint8Array()]))],
    fail: [
      served('a string chunk', returns(['text'])),
      served('an array of numbers', returns([[1, 2]])),
      served('an ArrayBuffer', returns([new ArrayBuffer(1)])),
    ],
  },
  'body.3': {
    pass: [
      served('HEAD keeps Content-Length', respond('200 OK', [['Content-Length', '5']]), {
        REQUEST_METHOD: 'HEAD',
      }),
      served('204 with an empty chunk', respond('204 No Content', [], [new Uint8Array()])),
    ],
    fail: [
      served('HEAD with bytes', respond('200 OK', [], [x]), { REQUEST_METHOD: 'HEAD' }),
      served('204 with bytes', respond('204 No Content', [], [x])),
      served('304 with bytes', respond('304 Not Modified', [], [x])),
      served(
        'HEAD with write',
        (_e, startResponse) => {
          void startResponse('200 OK', [])(x);
          return [];
        },
        { REQUEST_METHOD: 'HEAD' },
      ),
    ],
  },
  'body.4': {
    pass: [
      served('write and yield add up', (_e, startResponse) => {
        void startResponse('200 OK', [['Content-Length', '2']])(x);
        return [x];
      }),
    ],
    fail: [
      served('too few bytes', respond('200 OK', [['Content-Length', '5']], [x])),
      served('too many bytes', respond('200 OK', [['Content-Length', '1']], [x, x])),
    ],
  },
  'body.5': {
    pass: [served('closed once by the server', closable())],
    fail: [
      consumed('closed twice', closable(), (body) => {
        for (const _ of body as Iterable<Uint8Array>) {
        }
        body.close!();
        body.close!();
      }),
    ],
  },
  'body.6': {
    pass: [served('iterated once', returns([x]))],
    fail: [
      consumed('iterated twice', returns([x]), (body) => {
        for (const _ of body as Iterable<Uint8Array>) {
        }
        for (const _ of body as Iterable<Uint8Array>) {
        }
      }),
      consumed('next() after close()', closable(), (body) => {
        const it = (body as Iterable<Uint8Array>)[Symbol.iterator]();
        body.close!();
        it.next();
      }),
      consumed(
        'concurrent next()',
        returns(
          (async function* () {
            yield x;
            yield x;
          })(),
        ),
        async (body) => {
          const it = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
          await Promise.all([it.next(), it.next()]);
        },
      ),
    ],
  },
  'body.7': {
    pass: [
      served(
        'a hand-written iterator',
        returns({
          [Symbol.iterator]() {
            let sent = false;
            return {
              next() {
                if (sent) return { done: true, value: undefined };
                sent = true;
                return { done: false, value: x };
              },
            };
          },
        }),
      ),
    ],
    fail: [
      served('next() returns a number', returns({ [Symbol.iterator]: () => ({ next: () => 42 }) })),
      served(
        'next() resolves null',
        returns({ [Symbol.asyncIterator]: () => ({ next: async () => null }) }),
      ),
    ],
  },
  'async.1': {
    pass: [
      served('resolves an array', async (_e, startResponse) => {
        startResponse('200 OK', []);
        return [x];
      }),
    ],
    fail: [
      served('resolves undefined (a forgotten return)', (async (
        _e: unknown,
        startResponse: (s: string, h: []) => void,
      ) => {
        startResponse('200 OK', []);
      }) as unknown as Application),
      served('resolves a string', (async (
        _e: unknown,
        startResponse: (s: string, h: []) => void,
      ) => {
        startResponse('200 OK', []);
        return 'text';
      }) as unknown as Application),
    ],
  },
};
