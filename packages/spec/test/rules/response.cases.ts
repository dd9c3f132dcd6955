import type { Application, HeaderList, Write } from '../../src/index.ts';
import { bytes, makeEnviron, respond } from '../harness.ts';
import { custom, type RuleTable, served } from './cases.ts';

const x = bytes('x');
const status = (s: unknown) => respond(s as string, []);
const headers = (h: unknown) => respond('200 OK', h as HeaderList);
const header = (name: string, value: string) => respond('200 OK', [[name, value]]);

/** A server whose startResponse and write do what the case says. */
const laxServer =
  (write: unknown = async () => {}) =>
  () =>
    write as Write;

export const responseCases: RuleTable = {
  'sr.1': {
    pass: [
      served('404 Not Found', status('404 Not Found')),
      served('a custom phrase', status('299 Quite\tgood')),
    ],
    fail: [
      served('no reason', status('200')),
      served('empty reason', status('200 ')),
      served('a number', status(200)),
      served('CRLF', status('200 OK\r\n')),
      served('two-digit code', status('20 OK')),
    ],
  },
  'sr.2': {
    pass: [served('599', status('599 Network Timeout'))],
    fail: [served('100 Continue', status('100 Continue')), served('600', status('600 Beyond'))],
  },
  'sr.3': {
    pass: [served('an empty list', headers([]))],
    fail: [
      served('an object', headers({ 'Content-Type': 'text/plain' })),
      served('a single string pair member', headers([['X-A']])),
      served('a number value', headers([['Content-Length', 0]])),
      served('one argument', (_e, startResponse) => {
        (startResponse as unknown as (s: string) => void)('200 OK');
        return [];
      }),
    ],
  },
  'sr.4': {
    pass: [
      served('lower case', header('x-request-id', 'a')),
      served('mixed case', header('X-Custom', 'a')),
    ],
    fail: [
      served('a space', header('Bad Name', 'a')),
      served('Status', header('status', '200')),
      served('a colon', header('X:Y', 'a')),
      served('empty', header('', 'a')),
    ],
  },
  'sr.5': {
    pass: [
      served('a tab inside', header('X-A', 'a\tb')),
      served('Latin-1 text (obs-text)', header('X-A', 'café')),
    ],
    fail: [
      served('CRLF injection', header('X-A', 'a\r\nSet-Cookie: x=1')),
      served('a character above U+00FF', header('Location', '/商店/items/4')),
      served('NUL', header('X-A', 'a\0')),
      served('leading space', header('X-A', ' a')),
      served('trailing tab', header('X-A', 'a\t')),
    ],
  },
  'sr.6': {
    pass: [served('Cache-Control', header('Cache-Control', 'no-store'))],
    fail: [
      'Connection',
      'keep-alive',
      'Proxy-Connection',
      'Transfer-Encoding',
      'TE',
      'Trailer',
      'Upgrade',
    ].map((name) => served(name, header(name, 'x'))),
  },
  'sr.7': {
    pass: [served('"0"', header('Content-Length', '0'))],
    fail: [
      served(
        'twice',
        headers([
          ['Content-Length', '0'],
          ['content-length', '0'],
        ]),
      ),
      served('not digits', header('Content-Length', '1e3')),
    ],
  },
  'sr.8': {
    pass: [
      served('204 bare', status('204 No Content')),
      served(
        '304 with Content-Length and ETag',
        respond('304 Not Modified', [
          ['ETag', '"a"'],
          ['Content-Length', '10'],
        ]),
      ),
    ],
    fail: [
      served('204 with Content-Length', respond('204 No Content', [['Content-Length', '0']])),
      served('204 with Content-Type', respond('204 No Content', [['Content-Type', 'text/plain']])),
      served(
        '304 with Content-Type',
        respond('304 Not Modified', [['Content-Type', 'text/plain']]),
      ),
    ],
  },
  'sr.9': {
    pass: [
      served('replaced with excInfo before sending', (_e, startResponse) => {
        startResponse('200 OK', []);
        startResponse('500 Internal Server Error', [['Content-Length', '0']], new Error('boom'));
        return [];
      }),
    ],
    fail: [
      served('twice without excInfo', (_e, startResponse) => {
        startResponse('200 OK', []);
        startResponse('404 Not Found', []);
        return [];
      }),
      served('after the body ended', (_e, startResponse) => {
        startResponse('200 OK', []);
        return {
          *[Symbol.iterator]() {},
          close() {
            startResponse('500 Internal Server Error', [], new Error('late'));
          },
        };
      }),
    ],
  },
  'sr.10': {
    pass: [
      served('the server rethrows', (_e, startResponse) => {
        startResponse('200 OK', []);
        return (function* () {
          yield x;
          const error = new Error('boom');
          try {
            startResponse('500 Internal Server Error', [], error);
          } catch (thrown) {
            if (thrown !== error) throw thrown;
          }
        })();
      }),
    ],
    fail: [
      custom('the server returns instead', async (ctx) => {
        const app: Application = (_e, startResponse) => {
          startResponse('200 OK', []);
          return (function* () {
            yield x;
            startResponse('500 Internal Server Error', [], new Error('boom'));
          })();
        };
        const body = await ctx.validate(app)(makeEnviron(), laxServer());
        for await (const _ of body) {
        }
      }),
    ],
  },
  'sr.11': {
    pass: [
      served('called after an await', async (_e, startResponse) => {
        await new Promise((resolve) => setImmediate(resolve));
        startResponse('200 OK', []);
        return [x];
      }),
      served('called inside the body before the first chunk', (_e, startResponse) =>
        (function* () {
          startResponse('200 OK', []);
          yield x;
        })(),
      ),
    ],
    fail: [served('a chunk first', () => [x]), served('an empty body, never called', () => [])],
  },
  'sr.12': {
    pass: [served('a write function', status('200 OK'))],
    fail: [
      custom('the server returns undefined', (ctx) =>
        ctx.validate(status('200 OK'))(makeEnviron(), laxServer(null)),
      ),
    ],
  },
  'write.1': {
    pass: [
      served('bytes', async (_e, startResponse) => {
        await startResponse('200 OK', [])(x);
        return [];
      }),
    ],
    fail: [
      served('a string', (_e, startResponse) => {
        startResponse('200 OK', [])('text' as never);
        return [];
      }),
      served('no argument', (_e, startResponse) => {
        (startResponse('200 OK', []) as unknown as () => void)();
        return [];
      }),
    ],
  },
  'write.2': {
    pass: [
      served('during iteration', (_e, startResponse) => {
        const write = startResponse('200 OK', []);
        return (function* () {
          void write(x);
          yield x;
        })();
      }),
    ],
    fail: [
      served('from close()', (_e, startResponse) => {
        const write = startResponse('200 OK', []);
        return {
          *[Symbol.iterator]() {},
          close() {
            void write(x);
          },
        };
      }),
    ],
  },
  'write.3': {
    pass: [
      served('resolves', async (_e, startResponse) => {
        await startResponse('200 OK', [])(x);
        return [];
      }),
    ],
    fail: [
      custom('the server’s write rejects', async (ctx) => {
        const app: Application = (_e, startResponse) => {
          void startResponse('200 OK', [])(x);
          return [];
        };
        await ctx.validate(app)(
          makeEnviron(),
          laxServer(() => Promise.reject(new Error('EPIPE'))),
        );
      }),
      custom('the server’s write returns undefined', async (ctx) => {
        const app: Application = (_e, startResponse) => {
          void startResponse('200 OK', [])(x);
          return [];
        };
        await ctx.validate(app)(
          makeEnviron(),
          laxServer(() => undefined),
        );
      }),
    ],
  },
};
