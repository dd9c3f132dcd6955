/**
 * Section 6, UTF-8: valid text in any fragmentation is echoed; invalid UTF-8
 * fails the connection with 1007, and the fail-fast cases (6.4.x) check that
 * the server fails it as soon as the invalid octet arrives, not at the end of
 * the message.
 */
import { bound } from '../../../../../tools/test-support/index.ts';
import { type ConformanceCase, echoCase, failCase, fragments, send, serverFails } from './case.js';
import type { RawConnection } from './client.js';
import { mark, text } from './events.js';
import { encodeFrame, OP } from './frames.js';
import { KOSME, UTF8_GROUPS } from './utf8-sequences.js';

const HELLO = 'Hello-µ@ßöäüàá-UTF-8!!';
/** Invalid at its 12th octet (0xa0 after 0xed: a surrogate). */
const INVALID = Buffer.concat([KOSME, Buffer.from('eda080', 'hex'), Buffer.from('edited')]);
/** Invalid at its 13th octet (0x90 after 0xf4: above U+10FFFF). */
const FAIL_FAST = Buffer.concat([KOSME, Buffer.from('f4908080', 'hex'), Buffer.from('edited')]);
const PARTS = [KOSME, FAIL_FAST.subarray(11, 15), FAIL_FAST.subarray(15)];
const PARTS_TIGHT = [FAIL_FAST.subarray(0, 12), FAIL_FAST.subarray(12, 13), FAIL_FAST.subarray(13)];

/** How long a chop inside one frame is given to be failed (only OK against NON-STRICT rides on it). */
const SETTLE_MS = 500;

/**
 * 6.4.1/6.4.2: three frames. After each of the first two, a ping of the
 * client's own tells in order whether the server read the frame and kept the
 * connection open (a mark) or failed it first.
 */
async function framesFailFast(connection: RawConnection, ms: number, parts: Buffer[]) {
  const steps = [
    { opcode: OP.text, fin: false, payload: parts[0] },
    { opcode: OP.continuation, fin: false, payload: parts[1] },
  ];
  for (const [i, step] of steps.entries()) {
    await connection.sendFrame(step);
    const state = await connection.sync(ms);
    if (state === 'closed') return;
    if (state === 'timeout') throw new Error(`the server answered no ping after frame ${i + 1}`);
    connection.mark(i === 0 ? 'A' : 'B');
  }
  await connection.sendFrame({ opcode: OP.continuation, payload: parts[2] });
}

/**
 * 6.4.3/6.4.4: one frame written in three chops. Inside a frame no ping can
 * tell the order, so the server gets a short, bounded wait to fail it; a slow
 * fail-fast server is graded NON-STRICT, never FAILED.
 */
async function chopsFailFast(connection: RawConnection, parts: Buffer[]) {
  const frame = encodeFrame({ opcode: OP.text, payload: Buffer.concat(parts) });
  const head = frame.length - FAIL_FAST.length;
  const ends = [head + parts[0]!.length, head + parts[0]!.length + parts[1]!.length];
  let at = 0;
  for (const [i, end] of ends.entries()) {
    await connection.sendBytes(frame.subarray(at, end));
    at = end;
    await connection.until(() => !connection.open, bound(SETTLE_MS));
    if (!connection.open) return;
    connection.mark(i === 0 ? 'A' : 'B');
  }
  await connection.sendBytes(frame.subarray(at));
}

function failFast(id: string, description: string, run: ConformanceCase['run']): ConformanceCase {
  return {
    id,
    description,
    expectation:
      'The first part is accepted; the part with the invalid octet fails the connection at ' +
      'once with 1007 (OK), or the server fails it only at the end of the message (NON-STRICT).',
    run,
    expected: { OK: [mark('A')], 'NON-STRICT': [mark('A'), mark('B')] },
    close: serverFails(1007),
  };
}

function sequenceCases(): ConformanceCase[] {
  return UTF8_GROUPS.flatMap((group, g) =>
    group.sequences.map(({ valid, bytes }, i) => {
      const id = `6.${g + 5}.${i + 1}`;
      const what = `${group.title}: a text message of 0x${bytes.toString('hex')}`;
      const run = send([{ opcode: OP.text, payload: bytes }]);
      return valid
        ? echoCase(id, `${what} (valid).`, run, [text(bytes)])
        : failCase(id, `${what} (invalid).`, run, 1007);
    }),
  );
}

/** Section 6 (UTF-8 handling). */
export const UTF8: ConformanceCase[] = [
  echoCase('6.1.1', 'Send a text message of length 0.', send([{ opcode: OP.text }]), [text('')]),
  echoCase(
    '6.1.2',
    'Send a text message in 3 fragments, each of length 0.',
    send([
      { opcode: OP.text, fin: false },
      { opcode: OP.continuation, fin: false },
      { opcode: OP.continuation },
    ]),
    [text('')],
  ),
  echoCase(
    '6.1.3',
    'Send a text message in 3 fragments: empty, "middle frame payload", empty.',
    send([
      { opcode: OP.text, fin: false },
      { opcode: OP.continuation, fin: false, payload: 'middle frame payload' },
      { opcode: OP.continuation },
    ]),
    [text('middle frame payload')],
  ),
  echoCase(
    '6.2.1',
    `Send valid UTF-8 text in one frame: ${HELLO}`,
    send([{ opcode: OP.text, payload: HELLO }]),
    [text(HELLO)],
  ),
  echoCase(
    '6.2.2',
    'Send valid UTF-8 text in 2 fragments split on a code point boundary.',
    send([
      { opcode: OP.text, fin: false, payload: 'Hello-µ@ßöä' },
      { opcode: OP.continuation, payload: 'üàá-UTF-8!!' },
    ]),
    [text(HELLO)],
  ),
  echoCase(
    '6.2.3',
    'Send valid UTF-8 text in fragments of 1 octet (fragments end inside code points).',
    send(fragments(OP.text, Buffer.from(HELLO), 1)),
    [text(HELLO)],
  ),
  echoCase(
    '6.2.4',
    'Send "κόσμε" in fragments of 1 octet (fragments end inside code points).',
    send(fragments(OP.text, KOSME, 1)),
    [text(KOSME)],
  ),
  failCase(
    '6.3.1',
    'Send invalid UTF-8 text (a surrogate) in one frame.',
    send([{ opcode: OP.text, payload: INVALID }]),
    1007,
  ),
  failCase(
    '6.3.2',
    'Send invalid UTF-8 text (a surrogate) in fragments of 1 octet.',
    send(fragments(OP.text, INVALID, 1)),
    1007,
  ),
  failFast(
    '6.4.1',
    'Send invalid UTF-8 text in 3 frames: valid, then the code point above U+10FFFF, then the rest.',
    (connection, ms) => framesFailFast(connection, ms, PARTS),
  ),
  failFast(
    '6.4.2',
    'As 6.4.1, but the second frame is only the octet that makes the text invalid.',
    (connection, ms) => framesFailFast(connection, ms, PARTS_TIGHT),
  ),
  failFast('6.4.3', 'As 6.4.1, in 3 chops of one frame.', (connection) =>
    chopsFailFast(connection, PARTS),
  ),
  failFast('6.4.4', 'As 6.4.2, in 3 chops of one frame.', (connection) =>
    chopsFailFast(connection, PARTS_TIGHT),
  ),
  ...sequenceCases(),
];
