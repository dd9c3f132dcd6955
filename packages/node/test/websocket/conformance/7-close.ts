/**
 * Section 7, closing: the server answers a close (with a valid code, none, or
 * a reason up to 123 octets) cleanly and ignores what follows it; a close
 * with a 1-octet payload, an invalid code, a reason that is too long or not
 * UTF-8 is answered with 1002 (or 1007) or a dropped connection.
 */
import { type CloseExpectation, type ConformanceCase, NORMAL_CLOSE, repeat } from './case.js';
import type { RawConnection } from './client.js';
import { text } from './events.js';
import { closePayload, OP } from './frames.js';

const BAD_UTF8 = Buffer.from('cebae1bdb9cf83cebcceb5eda080656469746564', 'hex');

function closeCase(
  id: string,
  description: string,
  expectation: string,
  run: (connection: RawConnection) => Promise<unknown>,
  close: CloseExpectation,
  options: { expected?: ConformanceCase['expected']; informational?: boolean } = {},
): ConformanceCase {
  return {
    id,
    description,
    expectation,
    run: async (connection) => void (await run(connection)),
    expected: options.expected ?? { OK: [] },
    close,
    sendsClose: true,
    ...(options.informational ? { informational: true } : {}),
  };
}

/** A close frame with this exact payload (a code and reason, or anything else). */
const closeWith = (payload: Uint8Array) => (connection: RawConnection) =>
  connection.sendClosePayload(payload);

const PROTOCOL_ERROR: CloseExpectation = { closedByMe: true, codes: [1002], requireClean: false };
const VALID = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999];
const INVALID = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999];

/** Section 7 (closing handshake). */
export const CLOSE: ConformanceCase[] = [
  {
    id: '7.1.1',
    description: 'Send a message, then (after its echo) a close frame.',
    expectation: 'The echo, then a clean close with 1000.',
    run: (connection) => connection.sendFrame({ opcode: OP.text, payload: 'Hello World!' }),
    expected: { OK: [text('Hello World!')] },
    close: NORMAL_CLOSE,
  },
  closeCase(
    '7.1.2',
    'Send two close frames.',
    'A clean close with 1000; the second close frame is ignored.',
    async (c) => {
      await c.sendClose(1000);
      await c.sendFrame({ opcode: OP.close });
    },
    NORMAL_CLOSE,
  ),
  closeCase(
    '7.1.3',
    'Send a ping after the close frame.',
    'A clean close with 1000; no pong.',
    async (c) => {
      await c.sendClose(1000);
      await c.sendFrame({ opcode: OP.ping });
    },
    NORMAL_CLOSE,
  ),
  closeCase(
    '7.1.4',
    'Send a text message after the close frame.',
    'A clean close with 1000; the message is ignored.',
    async (c) => {
      await c.sendClose(1000);
      await c.sendFrame({ opcode: OP.text, payload: 'Hello World!' });
    },
    NORMAL_CLOSE,
  ),
  closeCase(
    '7.1.5',
    'Send the first fragment of a message, a close frame, then the last fragment.',
    'A clean close with 1000.',
    async (c) => {
      await c.sendFrame({ opcode: OP.text, fin: false, payload: 'fragment1' });
      await c.sendClose(1000);
      await c.sendFrame({ opcode: OP.continuation, payload: 'fragment2' });
    },
    NORMAL_CLOSE,
  ),
  closeCase(
    '7.1.6',
    'Send a 256 KiB message and a small one, then a close frame and a ping, back to back.',
    'Implementation-defined: the echoes may or may not come before the close.',
    async (c) => {
      await c.sendFrames([
        { opcode: OP.text, payload: repeat('BAsd7&jh23', 256 * 1024) },
        { opcode: OP.text, payload: 'Hello World!' },
      ]);
      await c.sendClose(1000);
      await c.sendFrame({ opcode: OP.ping });
    },
    NORMAL_CLOSE,
    { informational: true },
  ),
  closeCase(
    '7.3.1',
    'Send a close frame with an empty payload (no code, no reason).',
    'A clean close (1000 or no code).',
    (c) => c.sendClose(),
    NORMAL_CLOSE,
  ),
  closeCase(
    '7.3.2',
    'Send a close frame with a 1-octet payload.',
    'A close with 1002, or a dropped TCP connection.',
    closeWith(Buffer.from('a')),
    PROTOCOL_ERROR,
  ),
  closeCase(
    '7.3.3',
    'Send a close frame with code 1000 and no reason.',
    'A clean close with 1000.',
    (c) => c.sendClose(1000),
    NORMAL_CLOSE,
  ),
  closeCase(
    '7.3.4',
    'Send a close frame with code 1000 and a reason.',
    'A clean close with 1000.',
    (c) => c.sendClose(1000, 'Hello World!'),
    NORMAL_CLOSE,
  ),
  closeCase(
    '7.3.5',
    'Send a close frame with code 1000 and a reason of 123 octets (the most).',
    'A clean close with 1000.',
    (c) => c.sendClose(1000, '*'.repeat(123)),
    NORMAL_CLOSE,
  ),
  closeCase(
    '7.3.6',
    'Send a close frame with code 1000 and a reason of 124 octets (a 126-octet control frame).',
    'A close with 1002, or a dropped TCP connection.',
    closeWith(closePayload(1000, '*'.repeat(124))),
    PROTOCOL_ERROR,
  ),
  closeCase(
    '7.5.1',
    'Send a close frame with code 1000 and a reason that is not valid UTF-8.',
    'A close with 1002 or 1007, or a dropped TCP connection.',
    closeWith(closePayload(1000, BAD_UTF8)),
    { closedByMe: true, codes: [1002, 1007], requireClean: false },
  ),
  ...VALID.map((code, i) =>
    closeCase(
      `7.7.${i + 1}`,
      `Send a close frame with the valid code ${code}.`,
      'A clean close with 1000 or the same code.',
      (c) => c.sendClose(code),
      { closedByMe: true, codes: [1000, code], requireClean: true },
    ),
  ),
  ...INVALID.map((code, i) =>
    closeCase(
      `7.9.${i + 1}`,
      `Send a close frame with the invalid code ${code}.`,
      'A close with 1002, or a dropped TCP connection.',
      closeWith(closePayload(code)),
      PROTOCOL_ERROR,
    ),
  ),
  ...[5000, 65535].map((code, i) =>
    closeCase(
      `7.13.${i + 1}`,
      `Send a close frame with code ${code}.`,
      'Undefined by RFC 6455: reported only.',
      closeWith(closePayload(code)),
      { closedByMe: true, codes: [1000, code, 1002], requireClean: false },
      { informational: true },
    ),
  ),
];
