/**
 * No byte sequence from a peer ends a FastCGI worker: the listener runs in a
 * child process (so a crash is the child's exit, not the runner's), once with
 * an app that reads the body and once with one that never reads it. Each
 * sequence (the ones that once ended it, then fast-check's: ABORT mid-body,
 * stray record types, huge lengths, truncation, the peer leaving at any
 * point) is followed by a normal request on a new connection, which must be
 * answered, and the child must still run.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { expect } from 'vitest';
import { type ChildListener, describeSurvival, type Leave } from '../gateway-child.js';
import { begin, Conn, nginxParams, pairs, rec, request, T } from './helpers.js';

/** BEGIN and the params of a POST with this CONTENT_LENGTH, as Nginx sends them. */
const head = (length: string, id = 1, keepConn = true) =>
  Buffer.concat([
    begin(id, { keepConn }),
    rec(T.PARAMS, id, pairs(nginxParams('POST', '/', { CONTENT_LENGTH: length }))),
    rec(T.PARAMS, id),
  ]);
const stdin = (text: string, id = 1) => rec(T.STDIN, id, Buffer.from(text));

/** The sequences that ended the worker before its body streams had an 'error' listener. */
const known: Array<[string, Buffer]> = [
  [
    'FCGI_ABORT_REQUEST after part of the body',
    Buffer.concat([head('5'), stdin('he'), rec(T.ABORT, 1)]),
  ],
  [
    'FCGI_DATA while the request runs',
    Buffer.concat([head('5'), rec(T.DATA, 1, Buffer.from('x'))]),
  ],
  [
    'FCGI_STDOUT while the request runs',
    Buffer.concat([head('5'), rec(T.STDOUT, 1, Buffer.from('x'))]),
  ],
  [
    'a CONTENT_LENGTH past 2^53, then an empty FCGI_STDIN',
    Buffer.concat([head('99999999999999999999999'), rec(T.STDIN, 1)]),
  ],
  [
    'a CONTENT_LENGTH over the body limit, then an empty FCGI_STDIN',
    Buffer.concat([head('2000000'), rec(T.STDIN, 1)]),
  ],
  [
    'a body shorter than its CONTENT_LENGTH',
    Buffer.concat([head('5'), stdin('he'), rec(T.STDIN, 1)]),
  ],
  ['a body longer than its CONTENT_LENGTH', Buffer.concat([head('2'), stdin('hello')])],
  ['the connection closed mid-body', Buffer.concat([head('5'), stdin('he')])],
];

/** A normal GET on a new connection: it must be answered 200. */
async function health(child: ChildListener, after: string): Promise<void> {
  child.assertAlive(after);
  const socket = connect({ host: '127.0.0.1', port: child.port });
  const conn = new Conn(socket);
  try {
    conn.send(request(9, nginxParams('GET', '/health'), undefined, { keepConn: false }));
    const answer = await conn.response(9).catch((error: Error) => {
      child.assertAlive(after);
      throw new Error(`no answer to the request after ${after}: ${error.message}`);
    });
    expect(answer.status, after).toBe(200);
  } finally {
    socket.destroy();
  }
  child.assertAlive(after);
}

const LENGTHS = ['', '0', '2', '5', '64', 'x', '2000000', '99999999999999999999999'];

/** One record or a piece of one: the request's own, stray types and ids, garbage. */
const step = fc.oneof(
  fc
    .record({ keepConn: fc.boolean(), length: fc.constantFrom(...LENGTHS) })
    .map(({ keepConn, length }) => head(length, 1, keepConn)),
  fc.constant(begin(1)),
  fc
    .constantFrom(...LENGTHS)
    .map((length) => rec(T.PARAMS, 1, pairs(nginxParams('POST', '/', { CONTENT_LENGTH: length })))),
  fc.constant(rec(T.PARAMS, 1)),
  fc.uint8Array({ minLength: 1, maxLength: 80 }).map((bytes) => rec(T.STDIN, 1, bytes)),
  fc.constant(rec(T.STDIN, 1)),
  fc.constantFrom(1, 2).map((id) => rec(T.ABORT, id)),
  fc
    .record({
      type: fc.oneof(
        fc.constantFrom(T.STDOUT, T.STDERR, T.DATA, T.END, T.GET_VALUES_RESULT, T.UNKNOWN_TYPE),
        fc.integer({ min: 0, max: 255 }),
      ),
      id: fc.constantFrom(0, 1, 2),
      bytes: fc.uint8Array({ maxLength: 40 }),
    })
    .map(({ type, id, bytes }) => rec(type, id, bytes)),
  fc.constant(rec(T.GET_VALUES, 0, pairs([['FCGI_MPXS_CONNS', '']]))),
  // A header announcing 65535 content bytes and 255 of padding, then far fewer.
  fc
    .constantFrom(T.PARAMS, T.STDIN, T.GET_VALUES)
    .map((type) =>
      Buffer.concat([
        Buffer.from([1, type, 0, type === T.GET_VALUES ? 0 : 1, 0xff, 0xff, 0xff, 0]),
        Buffer.alloc(100),
      ]),
    ),
  fc.uint8Array({ minLength: 1, maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
);

/** Usually a request's head first (so the body and ABORT meet a running request), then steps, maybe cut. */
const sequence = fc
  .record({
    lead: fc.option(fc.constantFrom(...LENGTHS), { freq: 4 }),
    steps: fc.array(step, { maxLength: 6 }),
    cut: fc.option(fc.nat({ max: 2000 }), { freq: 3 }),
    leave: fc.constantFrom<Leave>('end', 'destroy', 'stall'),
  })
  .map(({ lead, steps, cut, leave }) => {
    const bytes = Buffer.concat([...(lead === null ? [] : [head(lead)]), ...steps]);
    return { bytes: cut === null ? bytes : bytes.subarray(0, cut), leave };
  });

describeSurvival('fastcgi', { title: 'FastCGI', known, sequence, health });
