/**
 * What the FastCGI listener does with records it cannot take, as data (each
 * case: the bytes, then either the status the request gets or the reason
 * logged when the connection is cut), then a fast-check fuzz over raw sockets:
 * whatever arrives, the listener never crashes or hangs, and serves on.
 */
import type { Application } from '@tsgi/spec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bound } from '../../../../tools/test-support/index.ts';
import { memoryStream } from '../helpers.js';
import { sendAndWait } from '../raw-connection.js';
import { begin, type Conn, nginxParams, pairs, rec, request, startFastcgi, T } from './helpers.js';

/** Answers 200 with a Content-Length after reading the whole body. */
const app: Application = async (environ, startResponse) => {
  let length = 0;
  for await (const chunk of environ['tsgi.input']) length += chunk.byteLength;
  startResponse('200 OK', [['Content-Type', 'text/plain']]);
  return [Buffer.from(`read ${length}`)];
};

const get = nginxParams();
const withParams = (extra: Record<string, string>) => nginxParams('GET', '/', extra);

/** Cut: the connection is closed and `log` is in `tsgi.errors`; nothing is answered. */
interface Cut {
  cut: RegExp;
}
/** Answered: request 1 ends with this status (and its body matches `body`, when given). */
interface Answered {
  status: number;
  body?: RegExp;
}

const cases: Array<[string, Buffer, Cut | Answered]> = [
  ['a whole request, as Nginx sends it', request(1, get), { status: 200, body: /^read 0$/ }],
  [
    'records with padding',
    Buffer.concat([
      begin(1),
      rec(T.PARAMS, 1, pairs(get), { padding: 7 }),
      rec(T.PARAMS, 1, undefined, { padding: 3 }),
      rec(T.STDIN, 1, Buffer.from('abc'), { padding: 5 }),
      rec(T.STDIN, 1),
    ]),
    { status: 200, body: /^read 3$/ },
  ],
  [
    'HTTP spoken to the FastCGI socket',
    Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
    { cut: /FastCGI version 71 \(only 1 exists\)/ },
  ],
  ['version 2', rec(T.BEGIN, 1, Buffer.alloc(8), { version: 2 }), { cut: /FastCGI version 2/ }],
  [
    'FCGI_BEGIN_REQUEST of 5 bytes',
    rec(T.BEGIN, 1, Buffer.alloc(5)),
    { cut: /FCGI_BEGIN_REQUEST of 5 bytes \(it has 8\)/ },
  ],
  [
    'FCGI_PARAMS with request id 0',
    rec(T.PARAMS, 0, pairs(get)),
    { cut: /FCGI_PARAMS with request id 0/ },
  ],
  [
    'FCGI_GET_VALUES with request id 3',
    rec(T.GET_VALUES, 3),
    { cut: /FCGI_GET_VALUES with request id 3 \(management records have id 0\)/ },
  ],
  [
    'FCGI_STDOUT from the web server',
    rec(T.STDOUT, 1, Buffer.from('x')),
    { cut: /FCGI_STDOUT from the web server/ },
  ],
  ['FCGI_DATA', rec(T.DATA, 1, Buffer.from('x')), { cut: /the Filter role is not served/ }],
  ['an undefined type with an id', rec(200, 1), { cut: /type 200 with request id 1/ }],
  [
    'FCGI_STDIN before the end of the params',
    Buffer.concat([begin(1), rec(T.PARAMS, 1, pairs(get)), rec(T.STDIN, 1, Buffer.from('x'))]),
    { cut: /FCGI_STDIN for request 1 before the end of its params/ },
  ],
  [
    'FCGI_PARAMS after the end of the params',
    Buffer.concat([
      begin(1),
      rec(T.PARAMS, 1, pairs(withParams({ CONTENT_LENGTH: '5' }))),
      rec(T.PARAMS, 1),
      rec(T.PARAMS, 1, pairs([['X', 'y']])),
    ]),
    { cut: /FCGI_PARAMS for request 1 after the end of its params/ },
  ],
  [
    'FCGI_BEGIN_REQUEST again for the request running',
    Buffer.concat([begin(1), rec(T.PARAMS, 1, pairs(get)), begin(1)]),
    { cut: /FCGI_BEGIN_REQUEST for request 1, which is already running/ },
  ],
  [
    'a malformed FCGI_GET_VALUES',
    rec(T.GET_VALUES, 0, Buffer.from([5, 0, 65])),
    { cut: /malformed FCGI_GET_VALUES: a name-value pair runs past the block/ },
  ],
  [
    'a name-value length past the block',
    Buffer.concat([begin(1), rec(T.PARAMS, 1, Buffer.from([9, 1, 65])), rec(T.PARAMS, 1)]),
    { status: 400, body: /^malformed FCGI_PARAMS: a name-value pair runs past the block$/m },
  ],
  [
    'a four-byte length past the block',
    Buffer.concat([begin(1), rec(T.PARAMS, 1, Buffer.from([0x80, 0, 1])), rec(T.PARAMS, 1)]),
    { status: 400, body: /a name-value length runs past the block/ },
  ],
  [
    'an empty name',
    Buffer.concat([begin(1), rec(T.PARAMS, 1, Buffer.from([0, 1, 65])), rec(T.PARAMS, 1)]),
    { status: 400, body: /a name-value pair has an empty name/ },
  ],
  [
    'CONTENT_LENGTH twice, different',
    request(1, [...withParams({ CONTENT_LENGTH: '3' }), ['CONTENT_LENGTH', '4']]),
    { status: 400, body: /CONTENT_LENGTH is given twice with different values/ },
  ],
  [
    'a param given twice takes its last value (repeated fastcgi_param lines)',
    request(1, [...get, ['HTTP_X_A', '1'], ['HTTP_X_A', '2']]),
    { status: 200 },
  ],
  [
    'no REQUEST_METHOD',
    request(
      1,
      get.filter(([name]) => name !== 'REQUEST_METHOD'),
    ),
    { status: 400, body: /the gateway sent no REQUEST_METHOD/ },
  ],
  ['CONTENT_LENGTH not digits', request(1, withParams({ CONTENT_LENGTH: '0x5' })), { status: 400 }],
  [
    'a body shorter than its CONTENT_LENGTH',
    request(1, withParams({ CONTENT_LENGTH: '10' }), Buffer.from('abc')),
    { status: 400, body: /ended 7 bytes short of CONTENT_LENGTH/ },
  ],
  [
    'a body longer than its CONTENT_LENGTH',
    request(1, withParams({ CONTENT_LENGTH: '2' }), Buffer.from('abcdef')),
    { status: 400, body: /more bytes than CONTENT_LENGTH/ },
  ],
];

async function outcome(conn: Conn): Promise<void> {
  await conn.until(() => conn.closed || conn.records.some((r) => r.type === T.END && r.id === 1));
}

describe('malformed records and params (corpus)', () => {
  it.each(cases)('%s', async (_name, bytes, expected) => {
    const errors = memoryStream();
    const { open } = await startFastcgi(app, { errors });
    const conn = await open();
    conn.send(bytes);
    await outcome(conn);
    if ('cut' in expected) {
      await conn.until(() => conn.closed);
      expect(conn.records.filter((r) => r.type === T.STDOUT)).toEqual([]);
      expect(errors.text()).toMatch(expected.cut);
    } else {
      const answer = await conn.response(1);
      expect(answer.status).toBe(expected.status);
      if (expected.body !== undefined) expect(answer.body.toString()).toMatch(expected.body);
    }
    // The listener serves on.
    const next = await open();
    next.send(request(7, get));
    expect((await next.response(7)).status).toBe(200);
  });
});

/** Known record types, an undefined one, and made-up ones, each with content of its kind. */
const someRecord = fc
  .record({
    type: fc.oneof(
      fc.constantFrom(T.BEGIN, T.PARAMS, T.PARAMS, T.STDIN, T.STDIN, T.ABORT, T.GET_VALUES),
      fc.integer({ min: 0, max: 255 }),
    ),
    id: fc.oneof(fc.constant(1), fc.constant(0), fc.integer({ min: 0, max: 65_535 })),
    kind: fc.constantFrom('empty', 'params', 'bytes', 'begin'),
    bytes: fc.uint8Array({ maxLength: 300 }),
    padding: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 255 })),
    version: fc.oneof(fc.constant(1), fc.constant(1), fc.integer({ min: 0, max: 255 })),
  })
  .map(({ type, id, kind, bytes, padding, version }) => {
    const content =
      kind === 'empty'
        ? new Uint8Array(0)
        : kind === 'params'
          ? pairs(get)
          : kind === 'begin'
            ? begin(1).subarray(8)
            : bytes;
    return rec(type, id, content, { version, padding });
  });

/** A whole valid request, then random records, cut anywhere (or not). */
const randomStream = fc
  .record({
    lead: fc.boolean(),
    records: fc.array(someRecord, { maxLength: 8 }),
    cut: fc.option(fc.nat({ max: 3000 }), { freq: 3 }),
  })
  .map(({ lead, records, cut }) => {
    const bytes = Buffer.concat([...(lead ? [request(1, get)] : []), ...records]);
    return cut === null ? bytes : bytes.subarray(0, cut);
  });

/** True when `bytes` is whole FastCGI records of the types an application sends. */
function wellFormed(bytes: Buffer): boolean {
  let at = 0;
  while (at < bytes.byteLength) {
    if (bytes.byteLength - at < 8 || bytes[at] !== 1) return false;
    const answerTypes: number[] = [T.STDOUT, T.STDERR, T.END, T.GET_VALUES_RESULT, T.UNKNOWN_TYPE];
    if (!answerTypes.includes(bytes[at + 1]!)) {
      return false;
    }
    at += 8 + bytes.readUInt16BE(at + 4) + bytes[at + 6]!;
  }
  return at === bytes.byteLength;
}

describe('random record streams (fast-check, bounded)', () => {
  it('never crash or hang the listener: every connection ends, answered in whole records', async () => {
    const errors = memoryStream();
    const { port, open } = await startFastcgi(app, {
      headersTimeout: 200,
      keepAliveTimeout: 300,
      idleTimeout: 1000,
      errors,
    });
    await fc.assert(
      fc.asyncProperty(randomStream, async (bytes) => {
        const result = await sendAndWait(port, bytes);
        expect(result).not.toBe('hung');
        if (result !== 'hung') expect(wellFormed(result)).toBe(true);
      }),
      { numRuns: 150, interruptAfterTimeLimit: bound(60_000) },
    );
    const conn = await open(request(1, get));
    expect((await conn.response(1)).status).toBe(200);
  });
});
