/**
 * What the conformance client records of a connection, in arrival order, and
 * how two such records are compared (Autobahn's "received" list).
 */

/** One thing the client saw (or a case marked) on a connection. */
export type Received =
  | { type: 'message'; binary: boolean; data: Buffer }
  | { type: 'ping'; data: Buffer }
  | { type: 'pong'; data: Buffer }
  /** A point a case reached with the connection still open (Autobahn's "timeout A"). */
  | { type: 'mark'; label: string };

function asBuffer(payload: string | Uint8Array): Buffer {
  return Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
}

/** A text message event (the payload as UTF-8). */
export function text(payload: string | Uint8Array): Received {
  return { type: 'message', binary: false, data: asBuffer(payload) };
}

/** A binary message event. */
export function binary(payload: Uint8Array): Received {
  return { type: 'message', binary: true, data: asBuffer(payload) };
}

/** A pong event with `payload`. */
export function pong(payload: string | Uint8Array = ''): Received {
  return { type: 'pong', data: Buffer.from(payload) };
}

/** A mark event: the case reached `label` with the connection open. */
export function mark(label: string): Received {
  return { type: 'mark', label };
}

function same(a: Received, b: Received): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'mark') return b.type === 'mark' && a.label === b.label;
  if (a.type === 'message' && b.type === 'message' && a.binary !== b.binary) return false;
  return (a as { data: Buffer }).data.equals((b as { data: Buffer }).data);
}

/** True when both lists hold the same events in the same order. */
export function sameEvents(a: readonly Received[], b: readonly Received[]): boolean {
  return a.length === b.length && a.every((event, i) => same(event, b[i]!));
}

/** A short, readable form of an event, for reports (long payloads abridged). */
export function describeEvent(event: Received): string {
  if (event.type === 'mark') return `mark ${event.label}`;
  const data = event.data;
  const kind = event.type === 'message' ? (event.binary ? 'binary' : 'text') : event.type;
  const shown =
    event.type === 'message' && !event.binary
      ? JSON.stringify(data.subarray(0, 40).toString('utf8'))
      : `0x${data.subarray(0, 20).toString('hex')}`;
  const more = data.length > (event.type === 'message' && !event.binary ? 40 : 20) ? '…' : '';
  return `${kind}(${data.length} B ${shown}${more})`;
}

/** A list of events as one line. */
export function describeEvents(events: readonly Received[]): string {
  return events.length === 0 ? '(none)' : events.map(describeEvent).join(', ');
}
