/**
 * FastCGI 1.0 records (the FastCGI Specification, section 3.3): an 8-byte
 * header, `contentLength` bytes of content, `paddingLength` bytes to skip.
 * Numbers are big-endian. Only what a Responder needs is named here.
 */

/** `FCGI_VERSION_1`, the only version there is. */
export const VERSION = 1;

/** Bytes in a record header (`FCGI_HEADER_LEN`). */
export const HEADER_SIZE = 8;

/** The most content one record carries (its length field is 16 bits). */
export const MAX_CONTENT = 65_535;

/** Record types (`FCGI_BEGIN_REQUEST` … `FCGI_UNKNOWN_TYPE`). */
export const RecordType = {
  BeginRequest: 1,
  AbortRequest: 2,
  EndRequest: 3,
  Params: 4,
  Stdin: 5,
  Stdout: 6,
  Stderr: 7,
  Data: 8,
  GetValues: 9,
  GetValuesResult: 10,
  UnknownType: 11,
} as const;

/** `FCGI_RESPONDER`: the only role served (no Authorizer, no Filter). */
export const ROLE_RESPONDER = 1;

/** `FCGI_KEEP_CONN`: the web server keeps the connection after the response. */
export const FLAG_KEEP_CONN = 1;

/** `protocolStatus` of `FCGI_END_REQUEST`. */
export const ProtocolStatus = {
  RequestComplete: 0,
  CantMultiplex: 1,
  Overloaded: 2,
  UnknownRole: 3,
} as const;

/** A record header as read from the wire. */
export interface RecordHeader {
  readonly version: number;
  readonly type: number;
  readonly requestId: number;
  readonly contentLength: number;
  readonly paddingLength: number;
}

/** The header at `offset` of `buffer`; the caller checked that 8 bytes are there. */
export function readRecordHeader(buffer: Uint8Array, offset: number): RecordHeader {
  return {
    version: buffer[offset]!,
    type: buffer[offset + 1]!,
    requestId: (buffer[offset + 2]! << 8) | buffer[offset + 3]!,
    contentLength: (buffer[offset + 4]! << 8) | buffer[offset + 5]!,
    paddingLength: buffer[offset + 6]!,
  };
}

/** Writes a header without padding at `offset` of `target`; returns the offset after it. */
export function writeRecordHeader(
  target: Uint8Array,
  offset: number,
  type: number,
  requestId: number,
  contentLength: number,
): number {
  target[offset] = VERSION;
  target[offset + 1] = type;
  target[offset + 2] = requestId >> 8;
  target[offset + 3] = requestId & 0xff;
  target[offset + 4] = contentLength >> 8;
  target[offset + 5] = contentLength & 0xff;
  target[offset + 6] = 0;
  target[offset + 7] = 0;
  return offset + HEADER_SIZE;
}

/** One whole record of `type` for `requestId` holding `content` (at most {@link MAX_CONTENT} bytes). */
export function record(type: number, requestId: number, content: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER_SIZE + content.byteLength);
  out.set(content, writeRecordHeader(out, 0, type, requestId, content.byteLength));
  return out;
}

/** Bytes of an `FCGI_END_REQUEST` record. */
export const END_REQUEST_SIZE = HEADER_SIZE + 8;

/**
 * Writes `FCGI_END_REQUEST` for `requestId` at `offset` of `target`, with
 * `appStatus` 0; returns the offset after it.
 */
export function writeEndRequest(
  target: Uint8Array,
  offset: number,
  requestId: number,
  protocolStatus: number,
): number {
  const at = writeRecordHeader(target, offset, RecordType.EndRequest, requestId, 8);
  target.fill(0, at, at + 8);
  target[at + 4] = protocolStatus;
  return at + 8;
}

/** A whole `FCGI_END_REQUEST` record. */
export function endRequest(requestId: number, protocolStatus: number): Buffer {
  const out = Buffer.allocUnsafe(END_REQUEST_SIZE);
  writeEndRequest(out, 0, requestId, protocolStatus);
  return out;
}

/** `FCGI_UNKNOWN_TYPE`: the answer to a management record of a type not understood. */
export function unknownType(type: number): Buffer {
  const content = new Uint8Array(8);
  content[0] = type;
  return record(RecordType.UnknownType, 0, content);
}
