/**
 * Section 3, reserved bits: with no extension negotiated, a frame with any
 * RSV bit set fails the connection with 1002; what came before it is echoed.
 */
import { type ConformanceCase, failCase, send } from './case.js';
import { text } from './events.js';
import { OP } from './frames.js';

const HELLO = 'Hello, world!';
const BINARY = Uint8Array.of(0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff);

/** Text, the same text with `rsv`, then a ping (whose pong must not come). */
function textThenReserved(rsv: number) {
  return [
    { opcode: OP.text, payload: HELLO },
    { opcode: OP.text, payload: HELLO, rsv },
    { opcode: OP.ping },
  ];
}

/** Section 3 (reserved bits). */
export const RESERVED_BITS: ConformanceCase[] = [
  failCase(
    '3.1',
    'Send a small text message with RSV = 1.',
    send([{ opcode: OP.text, payload: HELLO, rsv: 1 }]),
    1002,
  ),
  failCase(
    '3.2',
    'Send a small text message, then again with RSV = 2, then a ping.',
    send(textThenReserved(2)),
    1002,
    [text(HELLO)],
  ),
  failCase(
    '3.3',
    'Send a small text message, then again with RSV = 3, then a ping, one write per frame.',
    send(textThenReserved(3), { sync: true }),
    1002,
    [text(HELLO)],
  ),
  failCase(
    '3.4',
    'Send a small text message, then again with RSV = 4, then a ping, octet by octet.',
    send(textThenReserved(4), { chop: 1 }),
    1002,
    [text(HELLO)],
  ),
  failCase(
    '3.5',
    'Send a small binary message with RSV = 5.',
    send([{ opcode: OP.binary, payload: BINARY, rsv: 5 }]),
    1002,
  ),
  failCase(
    '3.6',
    'Send a ping with RSV = 6.',
    send([{ opcode: OP.ping, payload: HELLO, rsv: 6 }]),
    1002,
  ),
  failCase('3.7', 'Send a close frame with RSV = 7.', send([{ opcode: OP.close, rsv: 7 }]), 1002),
];
