/**
 * Reads what `h2-frames.py` reported against the outcome a case expects.
 */
import type { Outcome } from './steps.ts';

/** One stream as the driver saw it. */
export interface StreamReport {
  status: number | null;
  headers: Record<string, string>;
  trailers: Record<string, string> | null;
  dataBytes: number;
  body: string;
  endStream: boolean;
  reset: string | null;
}

/** The JSON line `h2-frames.py` prints: facts, no verdicts. */
export interface DriverReport {
  case: string;
  alpn: string | null;
  error: string | null;
  timedOut?: boolean;
  closed?: boolean;
  goaway?: { code: string; lastStream: number; debug: string } | null;
  streams?: Record<string, StreamReport>;
  serverSettings?: Record<string, number>;
  windowUpdates?: Array<{ stream: number; increment: number }>;
  pingAcks?: string[];
  syncs?: Array<Record<string, number> | null>;
  notes?: string[];
}

/** Why `report` does not show `outcome`, or undefined when it does. */
export function mismatch(outcome: Outcome, report: DriverReport): string | undefined {
  if (report.error) return `the driver failed: ${report.error}`;
  const streams = report.streams ?? {};
  const resets = Object.entries(streams).filter(([, s]) => s.reset !== null);
  const goaway = report.goaway ?? null;
  if ('connectionError' in outcome) {
    if (goaway !== null && outcome.connectionError.includes(goaway.code as never)) return undefined;
    return `expected GOAWAY ${outcome.connectionError.join(' or ')}`;
  }
  if ('streamError' in outcome) {
    const codes: string[] = outcome.streamError;
    const onStream = resets.filter(
      ([id, s]) =>
        (outcome.stream === undefined || Number(id) === outcome.stream) &&
        codes.includes(s.reset ?? ''),
    );
    if (onStream.length > 0) return undefined;
    if (goaway !== null && codes.includes(goaway.code)) return undefined;
    return `expected RST_STREAM or GOAWAY ${codes.join(' or ')}`;
  }
  const clean = goaway === null && resets.length === 0 && !report.closed;
  if ('response' in outcome) {
    const { stream, status, body } = outcome.response;
    const seen = streams[String(stream)];
    if (!clean || seen === undefined) return `expected a response on stream ${stream}`;
    if (seen.status !== status || !seen.endStream)
      return `expected a complete ${status} on stream ${stream}`;
    if (body !== undefined && seen.body !== body)
      return `expected the body ${JSON.stringify(body)}`;
    return undefined;
  }
  if ('ignored' in outcome) {
    const synced = (report.syncs ?? []).length > 0 && !(report.syncs ?? []).includes(null);
    return clean && synced
      ? undefined
      : 'expected the frame ignored and the PING after it answered';
  }
  if ('pingAck' in outcome) {
    return clean && (report.pingAcks ?? []).includes(outcome.pingAck)
      ? undefined
      : `expected a PING ACK carrying ${outcome.pingAck}`;
  }
  const { stream, beforeUpdate, total } = outcome.flow;
  const before = report.syncs?.[0]?.[String(stream)];
  const seen = streams[String(stream)];
  if (!clean || before !== beforeUpdate || seen?.dataBytes !== total || !seen.endStream)
    return `expected ${beforeUpdate} bytes before WINDOW_UPDATE and ${total} in all on stream ${stream}`;
  return undefined;
}
