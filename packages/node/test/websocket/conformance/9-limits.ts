/**
 * Section 9, limits and performance, at smaller sizes than Autobahn's so the
 * suite runs in seconds: single-frame messages up to 4 MiB, 1 MiB messages in
 * frames of 64 octets up to 1 MiB, 1 MiB frames written in chops of 64 to
 * 2048 octets, and 100 round trips of small messages. Each is echoed whole.
 */
import { type ConformanceCase, echoCase, fragments, repeat, send } from './case.js';
import type { RawConnection } from './client.js';
import { binary, type Received, text } from './events.js';
import { OP } from './frames.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const TEXT = 'BAsd7&jh23';
const BINARY = Uint8Array.of(0x00, 0xfe, 0x23, 0xfa, 0xf0);

type Kind = 'text' | 'binary';
const opcodeOf = (kind: Kind) => (kind === 'text' ? OP.text : OP.binary);
const payloadOf = (kind: Kind, length: number) => repeat(kind === 'text' ? TEXT : BINARY, length);
const echoOf = (kind: Kind, payload: Buffer): Received =>
  kind === 'text' ? text(payload) : binary(payload);
const size = (n: number) => (n >= MiB ? `${n / MiB} MiB` : n >= KiB ? `${n / KiB} KiB` : `${n} B`);

function single(section: number, kind: Kind): ConformanceCase[] {
  return [64 * KiB, 256 * KiB, MiB, 4 * MiB].map((length, i) => {
    const payload = payloadOf(kind, length);
    return echoCase(
      `9.${section}.${i + 1}`,
      `Send a ${kind} message of ${size(length)} in one frame.`,
      send([{ opcode: opcodeOf(kind), payload }]),
      [echoOf(kind, payload)],
    );
  });
}

function fragmented(section: number, kind: Kind): ConformanceCase[] {
  const payload = payloadOf(kind, MiB);
  return [64, 256, KiB, 4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, MiB].map((frame, i) =>
    echoCase(
      `9.${section}.${i + 1}`,
      `Send a ${kind} message of 1 MiB in frames of ${size(frame)}.`,
      send(fragments(opcodeOf(kind), payload, frame)),
      [echoOf(kind, payload)],
    ),
  );
}

function chopped(section: number, kind: Kind): ConformanceCase[] {
  const payload = payloadOf(kind, MiB);
  return [64, 128, 256, 512, KiB, 2 * KiB].map((chop, i) =>
    echoCase(
      `9.${section}.${i + 1}`,
      `Send a ${kind} message of 1 MiB in one frame, written in chops of ${chop} octets.`,
      send([{ opcode: opcodeOf(kind), payload }], { chop }),
      [echoOf(kind, payload)],
    ),
  );
}

const ROUND_TRIPS = 100;

function roundTrips(section: number, kind: Kind): ConformanceCase[] {
  return [0, 16, 64, 256, KiB, 4 * KiB].map((length, i) => {
    const payload = payloadOf(kind, length);
    return echoCase(
      `9.${section}.${i + 1}`,
      `Send ${ROUND_TRIPS} ${kind} messages of ${size(length)}, each after the echo of the last.`,
      async (connection: RawConnection, ms: number) => {
        for (let n = 1; n <= ROUND_TRIPS; n++) {
          await connection.sendFrame({ opcode: opcodeOf(kind), payload });
          if (
            !(await connection.until(() => connection.events.length >= n || !connection.open, ms))
          )
            throw new Error(`no echo of message ${n} within ${ms} ms`);
          if (!connection.open) return;
        }
      },
      Array.from({ length: ROUND_TRIPS }, () => echoOf(kind, payload)),
    );
  });
}

/** Section 9 (limits): 9.1–9.2 single frames, 9.3–9.4 fragmented, 9.5–9.6 chopped, 9.7–9.8 round trips. */
export const LIMITS: ConformanceCase[] = [
  ...single(1, 'text'),
  ...single(2, 'binary'),
  ...fragmented(3, 'text'),
  ...fragmented(4, 'binary'),
  ...chopped(5, 'text'),
  ...chopped(6, 'binary'),
  ...roundTrips(7, 'text'),
  ...roundTrips(8, 'binary'),
];
