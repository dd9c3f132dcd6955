/**
 * The shape of a conformance case (one Autobahn|Testsuite case, modelled) and
 * the small builders the section files write their cases with.
 */
import type { RawConnection, WriteOptions } from './client.js';
import type { Received } from './events.js';
import type { FrameSpec } from './frames.js';

/** Autobahn's grades. A suite passes when no case is FAILED. */
export type Grade = 'OK' | 'NON-STRICT' | 'INFORMATIONAL' | 'UNIMPLEMENTED' | 'FAILED';

/** How the connection is expected to end. */
export interface CloseExpectation {
  /** True: the client starts the closing handshake; false: the server fails the connection. */
  closedByMe: boolean;
  /** The close codes the server may send (sending none at all is also accepted). */
  codes: readonly number[];
  /** The closing handshake must complete and the server close the TCP connection. */
  requireClean: boolean;
}

/** One case: what it sends, what it expects back, how the connection must end. */
export interface ConformanceCase {
  /** Autobahn's case number, e.g. "5.19". */
  id: string;
  /** What the client does. */
  description: string;
  /** What a conforming server does. */
  expectation: string;
  /**
   * Sends the case's frames; may wait for events in between (bounded by
   * `ms`), and may mark points reached with the connection open.
   */
  run(connection: RawConnection, ms: number): Promise<void>;
  /** The received events that earn each grade; no match is FAILED. */
  expected: Partial<Record<'OK' | 'NON-STRICT', readonly Received[]>>;
  /** How the connection must end. */
  close: CloseExpectation;
  /** The case sends its own close frame(s): the runner does not close after a match. */
  sendsClose?: boolean;
  /** The behaviour is implementation-defined: reported, graded INFORMATIONAL. */
  informational?: boolean;
}

/** The client closes with 1000 and the handshake completes cleanly. */
export const NORMAL_CLOSE: CloseExpectation = {
  closedByMe: true,
  codes: [1000],
  requireClean: true,
};

/** The server fails the connection, with `codes` (or no close frame at all). */
export function serverFails(...codes: number[]): CloseExpectation {
  return { closedByMe: false, codes, requireClean: false };
}

/** A `run` that writes `frames`: in one write, one flushed write per frame (`sync`), or chopped. */
export function send(
  frames: FrameSpec[],
  options: WriteOptions & { sync?: boolean } = {},
): ConformanceCase['run'] {
  return (connection) => connection.sendFrames(frames, options);
}

/** A case whose server echoes what it is sent, then closes cleanly when the client does. */
export function echoCase(
  id: string,
  description: string,
  run: ConformanceCase['run'],
  expected: readonly Received[],
): ConformanceCase {
  return {
    id,
    description,
    expectation: 'The server echoes the message(s) or answers the ping(s); clean close 1000.',
    run,
    expected: { OK: expected },
    close: NORMAL_CLOSE,
  };
}

/**
 * A case the server must fail with `code`. `before` is what it may echo
 * before failing; when given, failing before echoing it is NON-STRICT.
 */
export function failCase(
  id: string,
  description: string,
  run: ConformanceCase['run'],
  code: number,
  before?: readonly Received[],
): ConformanceCase {
  return {
    id,
    description,
    expectation: `The server fails the connection (close ${code} or a dropped TCP connection)${
      before ? ' after echoing what came before the fault' : ''
    }.`,
    run,
    expected: before ? { OK: before, 'NON-STRICT': [] } : { OK: [] },
    close: serverFails(code),
  };
}

/** `length` octets repeating `pattern` (Autobahn's `payload_len`). */
export function repeat(pattern: string | Uint8Array, length: number): Buffer {
  const unit = Buffer.from(pattern);
  const out = Buffer.alloc(length);
  for (let at = 0; at < length; at += unit.length)
    unit.copy(out, at, 0, Math.min(unit.length, length - at));
  return out;
}

/** `payload` split into data frames of at most `size` octets: first `opcode`, then continuations. */
export function fragments(opcode: number, payload: Uint8Array, size: number): FrameSpec[] {
  const frames: FrameSpec[] = [];
  for (let at = 0; at === 0 || at < payload.length; at += size) {
    const end = Math.min(at + size, payload.length);
    frames.push({
      opcode: at === 0 ? opcode : 0,
      payload: payload.subarray(at, end),
      fin: end === payload.length,
    });
  }
  return frames;
}
