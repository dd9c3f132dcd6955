import type { Application, InputStream } from '../../src/index.ts';
import { bytes, makeInput } from '../harness.ts';
import { type RuleTable, served } from './cases.ts';

/** An app that does something with the input, then answers 200 with no body. */
const reader =
  (use: (input: InputStream) => Promise<unknown>): Application =>
  async (environ, startResponse) => {
    await use(environ['tsgi.input']);
    startResponse('200 OK', [['Content-Length', '0']]);
    return [];
  };

const drain = async (input: InputStream) => {
  while ((await input.read(3)).byteLength > 0) {}
};

/** An input stream that resolves `reads` in turn, then empty arrays. */
function scripted(reads: unknown[]): InputStream {
  return {
    read: async () => (reads.length > 0 ? reads.shift() : new Uint8Array()) as Uint8Array,
    async *[Symbol.asyncIterator]() {
      while (reads.length > 0) yield reads.shift() as Uint8Array;
    },
  };
}

/** A 4-byte request body; a getter so each case gets a fresh stream. */
const body4 = {
  CONTENT_LENGTH: '4',
  get 'tsgi.input'() {
    return makeInput(bytes('abcd'));
  },
};

export const inputCases: RuleTable = {
  'input.1': {
    pass: [
      served(
        'read(2)',
        reader((i) => i.read(2)),
        body4,
      ),
      served(
        'read()',
        reader((i) => i.read()),
        body4,
      ),
    ],
    fail: [
      served(
        'read(0)',
        reader((i) => i.read(0)),
        body4,
      ),
      served(
        'read(1.5)',
        reader((i) => i.read(1.5)),
        body4,
      ),
      served(
        'read("2")',
        reader((i) => i.read('2' as never)),
        body4,
      ),
    ],
  },
  'input.2': {
    pass: [served('chunks of at most size', reader(drain), body4)],
    fail: [
      served(
        'a string',
        reader((i) => i.read(2)),
        { 'tsgi.input': scripted(['ab']) },
      ),
      served(
        'more than size',
        reader((i) => i.read(2)),
        {
          'tsgi.input': scripted([bytes('abcdef')]),
        },
      ),
    ],
  },
  'input.3': {
    pass: [
      served(
        'read() takes all',
        reader(async (i) => [await i.read(), await i.read()]),
        body4,
      ),
    ],
    fail: [
      served(
        'read() returns part',
        reader((i) => i.read()),
        {
          CONTENT_LENGTH: '4',
          'tsgi.input': scripted([bytes('ab'), bytes('cd')]),
        },
      ),
      served(
        'bytes after read()',
        reader(async (i) => [await i.read(), await i.read()]),
        {
          'tsgi.input': scripted([bytes('ab'), bytes('cd')]),
        },
      ),
    ],
  },
  'input.4': {
    pass: [
      served(
        'empty stays empty',
        reader(async (i) => [await i.read(9), await i.read(9), await i.read(9)]),
        body4,
      ),
    ],
    fail: [
      served(
        'bytes after the end',
        reader(async (i) => [await i.read(9), await i.read(9)]),
        {
          'tsgi.input': scripted([new Uint8Array(), bytes('late')]),
        },
      ),
    ],
  },
  'input.5': {
    pass: [served('exactly CONTENT_LENGTH', reader(drain), body4)],
    fail: [
      served('more than CONTENT_LENGTH', reader(drain), {
        CONTENT_LENGTH: '2',
        'tsgi.input': makeInput(bytes('abcd')),
      }),
    ],
  },
  'input.6': {
    pass: [
      served(
        'reads in turn',
        reader(async (i) => [await i.read(1), await i.read(1)]),
        body4,
      ),
    ],
    fail: [
      served(
        'two reads at once',
        reader((i) => Promise.all([i.read(1), i.read(1)])),
        body4,
      ),
      served(
        'next() during read()',
        reader((i) => Promise.all([i.read(1), i[Symbol.asyncIterator]().next()])),
        body4,
      ),
    ],
  },
  'input.7': {
    pass: [
      served(
        'for await',
        reader(async (i) => {
          for await (const chunk of i) if (chunk.byteLength === 0) throw new Error('empty');
        }),
        body4,
      ),
    ],
    fail: [
      served(
        'an empty chunk',
        reader(async (i) => {
          for await (const _ of i) {
          }
        }),
        { 'tsgi.input': scripted([new Uint8Array()]) },
      ),
      served(
        'a string chunk',
        reader(async (i) => {
          for await (const _ of i) {
          }
        }),
        { 'tsgi.input': scripted(['abc']) },
      ),
    ],
  },
  'input.8': {
    pass: [served('ends at CONTENT_LENGTH', reader(drain), body4)],
    fail: [
      served('ends early', reader(drain), {
        CONTENT_LENGTH: '10',
        'tsgi.input': makeInput(bytes('abc')),
      }),
      served(
        'iteration ends early',
        reader(async (i) => {
          for await (const _ of i) {
          }
        }),
        { CONTENT_LENGTH: '10', 'tsgi.input': makeInput(bytes('abc')) },
      ),
    ],
  },
  'errors.1': {
    pass: [
      served('a string', async (environ, startResponse) => {
        environ['tsgi.errors'].write('note\n');
        environ['tsgi.errors'].flush();
        startResponse('204 No Content', []);
        return [];
      }),
    ],
    fail: [
      served('a number', (environ, startResponse) => {
        environ['tsgi.errors'].write(42 as never);
        startResponse('204 No Content', []);
        return [];
      }),
    ],
  },
  'errors.2': {
    pass: [
      served('a stream that keeps text', (environ, startResponse) => {
        environ['tsgi.errors'].write('ok\n');
        startResponse('204 No Content', []);
        return [];
      }),
    ],
    fail: [
      served(
        'write throws',
        (environ, startResponse) => {
          environ['tsgi.errors'].write('x');
          startResponse('204 No Content', []);
          return [];
        },
        {
          'tsgi.errors': {
            write() {
              throw new Error('disk full');
            },
            flush() {},
          },
        },
      ),
      served(
        'flush throws',
        (environ, startResponse) => {
          environ['tsgi.errors'].flush();
          startResponse('204 No Content', []);
          return [];
        },
        {
          'tsgi.errors': {
            write() {},
            flush() {
              throw new Error('closed');
            },
          },
        },
      ),
    ],
  },
};
