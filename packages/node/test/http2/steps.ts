/**
 * The vocabulary of the HTTP/2 frame cases: the steps `h2-frames.py` plays,
 * builders for them, and the outcomes a case expects.
 */

/** A header field as sent: name and value, in order, not normalized. */
export type Field = [string, string];

/** Frame type numbers (RFC 9113 §6). */
export const TYPE = {
  DATA: 0,
  HEADERS: 1,
  PRIORITY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  WINDOW_UPDATE: 8,
  CONTINUATION: 9,
} as const;

/** Frame flag bits (RFC 9113 §6). */
export const FLAG = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 };

/** One thing the driver does, in order. */
export type Step =
  | {
      op: 'headers';
      stream: number;
      fields?: Field[];
      block?: string;
      endStream?: boolean;
      endHeaders?: boolean;
      priority?: { dependsOn: number; weight?: number; exclusive?: boolean };
    }
  | { op: 'continuation'; stream: number; fields?: Field[]; block?: string; endHeaders?: boolean }
  | { op: 'data'; stream: number; text?: string; size?: number; endStream?: boolean }
  /** A frame written byte by byte: type, flags, stream id and payload (hex) exactly as given. */
  | { op: 'raw'; type: number; flags?: number; stream?: number; payload?: string }
  /** SETTINGS by name (`INITIAL_WINDOW_SIZE`) or by number (`'255'`). */
  | { op: 'settings'; settings: Record<string, number> }
  | { op: 'ping'; data: string }
  | { op: 'priority'; stream: number; dependsOn: number }
  | { op: 'rst'; stream: number; code?: number }
  | { op: 'window_update'; stream: number; increment: number }
  /** Read until the server sent response headers, END_STREAM, `bytes` of DATA, or END_STREAM or RST_STREAM (`done`) on `stream`. */
  | { op: 'wait'; for: 'headers' | 'end' | 'data' | 'done'; stream: number; bytes?: number }
  /** A PING round trip; the driver records the DATA bytes per stream seen before its ACK. */
  | { op: 'sync' }
  /** Opens one stream more than the server's SETTINGS_MAX_CONCURRENT_STREAMS, none ended. */
  | { op: 'exceed_concurrency'; fields: Field[] };

/** HTTP/2 error code names (RFC 9113 §7). */
export type Code =
  | 'NO_ERROR'
  | 'PROTOCOL_ERROR'
  | 'INTERNAL_ERROR'
  | 'FLOW_CONTROL_ERROR'
  | 'STREAM_CLOSED'
  | 'FRAME_SIZE_ERROR'
  | 'REFUSED_STREAM'
  | 'CANCEL'
  | 'COMPRESSION_ERROR'
  | 'ENHANCE_YOUR_CALM';

/** What a case expects the server to do. */
export type Outcome =
  /** A connection error: GOAWAY with one of `codes`. */
  | { connectionError: Code[] }
  /** A stream error: RST_STREAM (on `stream`, when given) with one of `codes`, or a GOAWAY with one. */
  | { streamError: Code[]; stream?: number }
  /** A complete response on `stream`. */
  | { response: { stream: number; status: number; body?: string } }
  /** The frame is ignored: a PING after it is answered, nothing reset, no GOAWAY. */
  | { ignored: true }
  /** A PING answered with an ACK carrying the same 8 bytes (hex). */
  | { pingAck: string }
  /** `beforeUpdate` DATA bytes arrived on `stream` before the client's WINDOW_UPDATE, `total` in all. */
  | { flow: { stream: number; beforeUpdate: number; total: number } };

/** One conformance case: where in RFC 9113 it comes from, what is sent, what the RFC expects. */
export interface FrameCase {
  /** Unique, starts with its section: `6.5-settings-ack-with-payload`. */
  name: string;
  /** RFC 9113 section (RFC 7541 for HPACK-only cases). */
  section: string;
  /** What is sent, in one line. */
  title: string;
  /** The client's SETTINGS in its connection preface. */
  settings?: Record<string, number>;
  steps: Step[];
  /** When to stop reading after the steps: `end`, `rst`, `end:N`, `rst:N` (default `end`, `rst`); a GOAWAY or close always stops. */
  until?: string[];
  /** What RFC 9113 requires. */
  rfc: Outcome;
  /** Where bare node:http2 on the running Node major does otherwise: what it does, and that outcome, which its run asserts. */
  node?: { what: string; outcome: Outcome };
}

/** Replaced by `http` or `https` when the case runs. */
export const SCHEME = '$scheme';

/** A request's pseudo-headers, then `extra`. */
export function req(path = '/', extra: Field[] = [], method = 'GET'): Field[] {
  return [
    [':method', method],
    [':scheme', SCHEME],
    [':path', path],
    [':authority', 'localhost'],
    ...extra,
  ];
}

/** A complete GET of `path` on `stream` (END_STREAM). */
export function get(stream: number, path = '/', extra: Field[] = []): Step {
  return { op: 'headers', stream, fields: req(path, extra), endStream: true };
}

/** A request on `stream` whose body never ends: the stream stays open on the server. */
export function open(stream: number): Step {
  return { op: 'headers', stream, fields: req('/echo', [], 'POST') };
}

/** A frame written byte by byte. */
export function raw(type: number, flags: number, stream: number, payload = ''): Step {
  return { op: 'raw', type, flags, stream, payload };
}

/** A 32-bit big-endian number in hex. */
export function u32(value: number): string {
  return value.toString(16).padStart(8, '0');
}

/** One SETTINGS entry (16-bit id, 32-bit value) in hex. */
export function setting(id: number, value: number): string {
  return id.toString(16).padStart(4, '0') + u32(value);
}

/** A stream error of `code` (PROTOCOL_ERROR unless told). */
export function streamError(...codes: Code[]): Outcome {
  return { streamError: codes.length === 0 ? ['PROTOCOL_ERROR'] : codes };
}

/** A connection error of one of `codes`. */
export function connectionError(...codes: Code[]): Outcome {
  return { connectionError: codes };
}
