/**
 * Grades one finished case the way Autobahn|Testsuite does: the events the
 * client received against each expected outcome, then how the connection
 * ended, then one overall grade.
 */
import type { ConformanceCase, Grade } from './case.js';
import type { RawConnection } from './client.js';
import { describeEvents, sameEvents } from './events.js';

/** Autobahn's grades of how a connection ended. */
export type CloseGrade =
  | 'OK'
  | 'FAILED'
  | 'UNCLEAN'
  | 'WRONG CODE'
  | 'FAILED BY CLIENT'
  | 'INFORMATIONAL';

/** The result of one case. */
export interface CaseResult {
  id: string;
  description: string;
  expectation: string;
  /** The overall grade: FAILED when either part failed. */
  grade: Grade;
  /** The grade of the events received. */
  behavior: Grade;
  /** The grade of how the connection ended. */
  closeBehavior: CloseGrade;
  /** Why `behavior`. */
  result: string;
  /** Why `closeBehavior`. */
  closeResult: string;
  /** The events received, abridged. */
  received: string;
  /** How it ended: who closed first, the server's close code and reason, clean or not. */
  close: {
    closedByMe: boolean | undefined;
    code: number | undefined;
    reason: string | undefined;
    clean: boolean;
    droppedByMe: boolean;
  };
  /** Wall time of the case in ms: reported, never graded. */
  ms: number;
}

function gradeEvents(spec: ConformanceCase, connection: RawConnection, notes: string[]) {
  if (notes.length > 0) return { behavior: 'FAILED' as Grade, result: notes.join('; ') };
  if (connection.problems.length > 0)
    return {
      behavior: 'FAILED' as Grade,
      result: `the server sent ${connection.problems.join('; ')}`,
    };
  for (const grade of ['OK', 'NON-STRICT'] as const) {
    const expected = spec.expected[grade];
    if (expected && sameEvents(connection.events, expected))
      return { behavior: grade as Grade, result: `received what the ${grade} outcome expects` };
  }
  const outcomes = Object.entries(spec.expected)
    .map(([grade, events]) => `${grade}: ${describeEvents(events ?? [])}`)
    .join(' | ');
  return {
    behavior: 'FAILED' as Grade,
    result: `received ${describeEvents(connection.events)}; expected ${outcomes}`,
  };
}

function gradeClose(spec: ConformanceCase, connection: RawConnection) {
  const expected = spec.close;
  const code = connection.closeReceived?.code;
  const who = (mine: boolean | undefined) =>
    mine === undefined ? 'nobody' : mine ? 'the client' : 'the server';
  if (connection.closedByMe !== expected.closedByMe)
    return {
      closeBehavior: 'FAILED' as CloseGrade,
      closeResult: `${who(connection.closedByMe)} started the close; expected ${who(expected.closedByMe)}`,
    };
  if (expected.requireClean && !connection.wasClean)
    return {
      closeBehavior: 'UNCLEAN' as CloseGrade,
      closeResult: connection.closeReceived
        ? 'the server did not close the TCP connection after the closing handshake'
        : 'the server closed the TCP connection without a close frame',
    };
  if (code !== undefined && !expected.codes.includes(code))
    return {
      closeBehavior: 'WRONG CODE' as CloseGrade,
      closeResult: `the server closed with ${code}; expected ${expected.codes.join(' or ')} or none`,
    };
  if (connection.droppedByMe)
    return {
      closeBehavior: 'FAILED BY CLIENT' as CloseGrade,
      closeResult: 'the client had to drop the TCP connection (the server should close it)',
    };
  return { closeBehavior: 'OK' as CloseGrade, closeResult: 'the connection was properly closed' };
}

/**
 * Grades a finished case. `notes` are failures the run itself found (a
 * handshake refused, a step that never came). A wrong close code fails the
 * case in every section (Autobahn fails it only in section 7): the close codes
 * are part of the contract this suite checks.
 */
export function gradeCase(
  spec: ConformanceCase,
  connection: RawConnection,
  notes: string[],
  ms: number,
): CaseResult {
  const events = gradeEvents(spec, connection, notes);
  const close = gradeClose(spec, connection);
  let grade: Grade = events.behavior;
  if (['FAILED', 'UNCLEAN', 'WRONG CODE'].includes(close.closeBehavior)) grade = 'FAILED';
  else if (close.closeBehavior === 'FAILED BY CLIENT' && grade === 'OK') grade = 'NON-STRICT';
  if (spec.informational && notes.length === 0 && connection.problems.length === 0) {
    grade = 'INFORMATIONAL';
    events.behavior = 'INFORMATIONAL';
    events.result = `received ${describeEvents(connection.events)} (implementation-defined)`;
    close.closeBehavior = 'INFORMATIONAL';
  }
  return {
    id: spec.id,
    description: spec.description,
    expectation: spec.expectation,
    grade,
    ...events,
    ...close,
    received: describeEvents(connection.events),
    close: {
      closedByMe: connection.closedByMe,
      code: connection.closeReceived?.code,
      reason: connection.closeReceived?.reason,
      clean: connection.wasClean,
      droppedByMe: connection.droppedByMe,
    },
    ms,
  };
}

/** A FAILED result for a case that could not run (the handshake failed, the run's time ran out). */
export function notRun(spec: ConformanceCase, why: string, ms = 0): CaseResult {
  return {
    id: spec.id,
    description: spec.description,
    expectation: spec.expectation,
    grade: 'FAILED',
    behavior: 'FAILED',
    closeBehavior: 'FAILED',
    result: why,
    closeResult: why,
    received: '(none)',
    close: {
      closedByMe: undefined,
      code: undefined,
      reason: undefined,
      clean: false,
      droppedByMe: false,
    },
    ms,
  };
}
