/**
 * Section 4, opcodes: a frame with a reserved opcode, data (3–7) or control
 * (11–15), fails the connection with 1002; what came before it is echoed.
 */
import { type ConformanceCase, failCase, send } from './case.js';
import { text } from './events.js';
import { OP } from './frames.js';

const HELLO = 'Hello, world!';

function reservedOpcodeCases(group: number, first: number): ConformanceCase[] {
  const kind = group === 1 ? 'non-control' : 'control';
  const alone = (n: number, opcode: number, payload?: string) =>
    failCase(
      `4.${group}.${n}`,
      `Send a frame with reserved ${kind} opcode ${opcode}${payload ? ' and a payload' : ''}.`,
      send([{ opcode, payload }]),
      1002,
    );
  const between = (n: number, opcode: number, payload?: string, chop?: number) =>
    failCase(
      `4.${group}.${n}`,
      `Send a small text message, then a frame with reserved ${kind} opcode ${opcode}` +
        `${payload ? ' and a payload' : ''}, then a ping${chop ? ', octet by octet' : ''}.`,
      send(
        [{ opcode: OP.text, payload: HELLO }, { opcode, payload }, { opcode: OP.ping }],
        chop ? { chop } : {},
      ),
      1002,
      [text(HELLO)],
    );
  return [
    alone(1, first),
    alone(2, first + 1, HELLO),
    between(3, first + 2),
    between(4, first + 3, HELLO),
    between(5, first + 4, HELLO, 1),
  ];
}

/** Section 4 (opcodes): 4.1.x reserved data opcodes 3–7, 4.2.x reserved control opcodes 11–15. */
export const OPCODES: ConformanceCase[] = [
  ...reservedOpcodeCases(1, 3),
  ...reservedOpcodeCases(2, 11),
];
