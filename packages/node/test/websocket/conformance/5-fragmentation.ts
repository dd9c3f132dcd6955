/**
 * Section 5, fragmentation: fragmented text is reassembled and echoed, pings
 * between fragments are answered at once, and fragmented control frames,
 * continuations with nothing to continue and a new message inside a
 * fragmented one fail the connection with 1002.
 */

import { type ConformanceCase, echoCase, failCase, send } from './case.js';
import type { RawConnection, WriteOptions } from './client.js';
import { pong, text } from './events.js';
import { type FrameSpec, OP } from './frames.js';

type Chops = WriteOptions & { sync?: boolean };
const WAYS: readonly [string, Chops][] = [
  ['in one write', {}],
  ['one write per frame', { sync: true }],
  ['octet by octet', { chop: 1 }],
];

const TWO_FRAGMENTS: FrameSpec[] = [
  { opcode: OP.text, fin: false, payload: 'fragment1' },
  { opcode: OP.continuation, payload: 'fragment2' },
];
const WITH_PING: FrameSpec[] = [
  { opcode: OP.text, fin: false, payload: 'fragment1' },
  { opcode: OP.ping, payload: 'ping payload' },
  { opcode: OP.continuation, payload: 'fragment2' },
];
const NOTHING_TO_CONTINUE = (fin: boolean): FrameSpec[] => [
  { opcode: OP.continuation, fin, payload: 'non-continuation payload' },
  { opcode: OP.text, payload: 'Hello, world!' },
];

/** 5.19 and 5.20: the first pong must come before the last fragments are sent. */
function pingsBetweenFragments(id: string, options: Chops): ConformanceCase {
  const parts = ['fragment1', 'fragment2', 'fragment3', 'fragment4', 'fragment5'];
  const pings = ['pongme 1!', 'pongme 2!'];
  return echoCase(
    id,
    `A text message in 5 fragments with a ping after the second and the fourth; the last three ` +
      `are sent only once the first pong came (${options.sync ? 'one write per frame' : 'few writes'}).`,
    async (connection: RawConnection, ms: number) => {
      await connection.sendFrames(
        [
          { opcode: OP.text, fin: false, payload: parts[0] },
          { opcode: OP.continuation, fin: false, payload: parts[1] },
          { opcode: OP.ping, payload: pings[0] },
        ],
        options,
      );
      const first = () => connection.events.some((e) => e.type === 'pong');
      if (!(await connection.until(() => first() || !connection.open, ms)) || !first())
        throw new Error('the first ping was not answered before the message was complete');
      await connection.sendFrames(
        [
          { opcode: OP.continuation, fin: false, payload: parts[2] },
          { opcode: OP.continuation, fin: false, payload: parts[3] },
          { opcode: OP.ping, payload: pings[1] },
          { opcode: OP.continuation, payload: parts[4] },
        ],
        options,
      );
    },
    [pong(pings[0]), pong(pings[1]), text(parts.join(''))],
  );
}

/** Section 5 (fragmentation). */
export const FRAGMENTATION: ConformanceCase[] = [
  failCase(
    '5.1',
    'Send a ping fragmented into 2 fragments.',
    send([
      { opcode: OP.ping, fin: false, payload: 'fragment1' },
      { opcode: OP.continuation, payload: 'fragment2' },
    ]),
    1002,
  ),
  failCase(
    '5.2',
    'Send a pong fragmented into 2 fragments.',
    send([
      { opcode: OP.pong, fin: false, payload: 'fragment1' },
      { opcode: OP.continuation, payload: 'fragment2' },
    ]),
    1002,
  ),
  ...WAYS.map(([how, options], i) =>
    echoCase(
      `5.${3 + i}`,
      `Send a text message fragmented into 2 fragments, ${how}.`,
      send(TWO_FRAGMENTS, options),
      [text('fragment1fragment2')],
    ),
  ),
  ...WAYS.map(([how, options], i) =>
    echoCase(
      `5.${6 + i}`,
      `Send a text message in 2 fragments with a ping between them, ${how}.`,
      send(WITH_PING, options),
      [pong('ping payload'), text('fragment1fragment2')],
    ),
  ),
  ...[true, false].flatMap((fin, f) =>
    WAYS.map(([how, options], i) =>
      failCase(
        `5.${9 + 3 * f + i}`,
        `Send a continuation frame with FIN = ${fin} with nothing to continue, then a text ` +
          `message, ${how}.`,
        send(NOTHING_TO_CONTINUE(fin), options),
        1002,
      ),
    ),
  ),
  failCase(
    '5.15',
    'Send a text message in 2 fragments, then a continuation with FIN = false with nothing ' +
      'to continue, then a text message.',
    send([
      ...TWO_FRAGMENTS,
      { opcode: OP.continuation, fin: false, payload: 'fragment3' },
      { opcode: OP.text, payload: 'fragment4' },
    ]),
    1002,
    [text('fragment1fragment2')],
  ),
  ...[false, true].map((fin, i) =>
    failCase(
      `5.${16 + i}`,
      `Twice: a continuation with FIN = ${fin} with nothing to continue, then a text message ` +
        'in 2 fragments.',
      send(
        [0, 1].flatMap(() => [
          { opcode: OP.continuation, fin, payload: 'fragment1' },
          { opcode: OP.text, fin: false, payload: 'fragment2' },
          { opcode: OP.continuation, payload: 'fragment3' },
        ]),
      ),
      1002,
    ),
  ),
  failCase(
    '5.18',
    'Send a text message in 2 fragments, both with the text opcode.',
    send([
      { opcode: OP.text, fin: false, payload: 'fragment1' },
      { opcode: OP.text, payload: 'fragment2' },
    ]),
    1002,
  ),
  pingsBetweenFragments('5.19', {}),
  pingsBetweenFragments('5.20', { sync: true }),
];
