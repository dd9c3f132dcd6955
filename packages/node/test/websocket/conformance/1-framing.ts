/**
 * Section 1, framing: text and binary messages of every length-encoding
 * boundary (7-bit, 16-bit, 64-bit), in one write or chopped into 997-octet
 * writes. The server echoes each.
 */
import { type ConformanceCase, echoCase, repeat, send } from './case.js';
import { binary, text } from './events.js';
import { OP } from './frames.js';

const LENGTHS = [0, 125, 126, 127, 128, 65535, 65536];

function cases(section: number, kind: 'text' | 'binary'): ConformanceCase[] {
  const opcode = kind === 'text' ? OP.text : OP.binary;
  const payloadOf = (length: number) => repeat(kind === 'text' ? '*' : Uint8Array.of(0xfe), length);
  const expect = (payload: Buffer) => [kind === 'text' ? text(payload) : binary(payload)];
  const whole = LENGTHS.map((length, i) => {
    const payload = payloadOf(length);
    return echoCase(
      `1.${section}.${i + 1}`,
      `Send a ${kind} message with a payload of ${length} octets.`,
      send([{ opcode, payload }]),
      expect(payload),
    );
  });
  const payload = payloadOf(65536);
  return [
    ...whole,
    echoCase(
      `1.${section}.8`,
      `Send a ${kind} message with a payload of 65536 octets, written in chops of 997 octets.`,
      send([{ opcode, payload }], { chop: 997 }),
      expect(payload),
    ),
  ];
}

/** Section 1 (framing): 1.1.x text, 1.2.x binary. */
export const FRAMING: ConformanceCase[] = [...cases(1, 'text'), ...cases(2, 'binary')];
