/**
 * Section 2, pings and pongs: a ping is answered by a pong with its payload
 * (up to 125 octets; more fails the connection), an unsolicited pong is
 * ignored, and ten pings get ten pongs.
 */
import { type ConformanceCase, echoCase, failCase, repeat, send } from './case.js';
import { pong } from './events.js';
import { OP } from './frames.js';

const BINARY = Uint8Array.of(0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff);
const TEN = Array.from({ length: 10 }, (_, i) => `payload-${i}`);

/** Section 2 (pings). */
export const PINGS: ConformanceCase[] = [
  echoCase('2.1', 'Send a ping without payload.', send([{ opcode: OP.ping }]), [pong()]),
  echoCase(
    '2.2',
    'Send a ping with a small text payload.',
    send([{ opcode: OP.ping, payload: 'Hello, world!' }]),
    [pong('Hello, world!')],
  ),
  echoCase(
    '2.3',
    'Send a ping with a small binary (non UTF-8) payload.',
    send([{ opcode: OP.ping, payload: BINARY }]),
    [pong(BINARY)],
  ),
  echoCase(
    '2.4',
    'Send a ping with a binary payload of 125 octets.',
    send([{ opcode: OP.ping, payload: repeat(Uint8Array.of(0xfe), 125) }]),
    [pong(repeat(Uint8Array.of(0xfe), 125))],
  ),
  failCase(
    '2.5',
    'Send a ping with a binary payload of 126 octets (control frames hold at most 125).',
    send([{ opcode: OP.ping, payload: repeat(Uint8Array.of(0xfe), 126) }]),
    1002,
  ),
  echoCase(
    '2.6',
    'Send a ping with a binary payload of 125 octets, written octet by octet.',
    send([{ opcode: OP.ping, payload: repeat(Uint8Array.of(0xfe), 125) }], { chop: 1 }),
    [pong(repeat(Uint8Array.of(0xfe), 125))],
  ),
  echoCase('2.7', 'Send an unsolicited pong without payload.', send([{ opcode: OP.pong }]), []),
  echoCase(
    '2.8',
    'Send an unsolicited pong with a payload.',
    send([{ opcode: OP.pong, payload: 'unsolicited pong payload' }]),
    [],
  ),
  echoCase(
    '2.9',
    'Send an unsolicited pong with a payload, then a ping with a payload.',
    send([
      { opcode: OP.pong, payload: 'unsolicited pong payload' },
      { opcode: OP.ping, payload: 'ping payload' },
    ]),
    [pong('ping payload')],
  ),
  echoCase(
    '2.10',
    'Send 10 pings with payloads.',
    send(TEN.map((payload) => ({ opcode: OP.ping, payload }))),
    TEN.map((payload) => pong(payload)),
  ),
  echoCase(
    '2.11',
    'Send 10 pings with payloads, written octet by octet.',
    send(
      TEN.map((payload) => ({ opcode: OP.ping, payload })),
      { chop: 1 },
    ),
    TEN.map((payload) => pong(payload)),
  ),
];
