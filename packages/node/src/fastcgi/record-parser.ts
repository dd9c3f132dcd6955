import type { WireSocket } from '../wire/wire-socket.js';
import { HEADER_SIZE, type RecordHeader, RecordType, readRecordHeader } from './record.js';
import { recordProblem } from './record-checks.js';

/** What a {@link RecordParser} hands its records to: the connection. */
export interface RecordHandler {
  /** One whole record whose header passed `recordProblem`; `content` is a view of the read. */
  onRecord(header: RecordHeader, content: Buffer): void;
  /** Every whole record that arrived was handled; parsing waits for more bytes (or `unblock`). */
  parsed(): void;
  /** A record the stream cannot explain: log why, `discard`, and cut the connection. */
  fail(reason: string): void;
}

/**
 * The record loop of one FastCGI connection: it takes the socket's chunks
 * and cuts whole records out of them where they lie (no stream object, no
 * copy unless a record spans two reads), checks each header
 * (`record-checks.ts`) and hands it with its content to its
 * {@link RecordHandler}. When the request body's consumer lags, `block`
 * pauses the socket and the loop until `unblock`. One per connection, with
 * one `'data'` listener; nothing is allocated per record but the header.
 */
export class RecordParser {
  /** The body's consumer wants no more for now: parsing waits, the socket is paused (`block`). */
  blocked = false;
  /** Our side is ended (`stopParsing`): what still comes is dropped until the peer closes. */
  ending = false;
  private readonly socket: WireSocket;
  private readonly handler: RecordHandler;
  /** Bytes received and not parsed yet (at most one partial record, unless `blocked`). */
  private pending: Buffer | undefined;
  private parsing = false;
  /** While `parse` runs: where the record after the one being handled starts in `pending`. */
  private cursor = 0;

  /** Starts reading records off `socket`, handing each to `handler`. */
  constructor(socket: WireSocket, handler: RecordHandler) {
    this.socket = socket;
    this.handler = handler;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  /** The body's consumer wants no more for now: stop parsing and reading the socket. */
  block(): void {
    this.blocked = true;
    this.socket.pause();
  }

  /** The body's consumer wants more: parse what waits, then read the socket again. */
  unblock(): void {
    if (!this.blocked) return;
    this.blocked = false;
    this.parse();
    if (!this.blocked && !this.socket.destroyed) this.socket.resume();
  }

  /** True when the next record already here is the empty `FCGI_STDIN` of `id`: no body follows. */
  stdinEndsNext(id: number): boolean {
    const buffer = this.pending;
    const at = this.cursor;
    if (buffer === undefined || buffer.byteLength - at < HEADER_SIZE) return false;
    const next = readRecordHeader(buffer, at);
    return next.type === RecordType.Stdin && next.requestId === id && next.contentLength === 0;
  }

  /** Forgets the bytes not parsed yet: the connection is being cut. */
  discard(): void {
    this.pending = undefined;
  }

  /** Our side is ending: from now on, whatever arrives is read and dropped, never parsed. */
  stopParsing(): void {
    this.ending = true;
    this.pending = undefined;
    this.blocked = false;
  }

  private onData(chunk: Buffer): void {
    if (this.ending) return;
    this.pending = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk]);
    this.parse();
  }

  /** Takes every whole record in `pending`, unless the body pushes back. */
  private parse(): void {
    if (this.parsing) return;
    this.parsing = true;
    const buffer = this.pending;
    const handler = this.handler;
    let at = 0;
    try {
      while (buffer !== undefined && !this.blocked && !this.ending) {
        if (buffer.byteLength - at < HEADER_SIZE) break;
        const header = readRecordHeader(buffer, at);
        const problem = recordProblem(header);
        if (problem !== undefined) {
          handler.fail(problem);
          return;
        }
        const end = at + HEADER_SIZE + header.contentLength + header.paddingLength;
        if (end > buffer.byteLength) break;
        const content = buffer.subarray(at + HEADER_SIZE, at + HEADER_SIZE + header.contentLength);
        at = end;
        this.cursor = end;
        handler.onRecord(header, content);
        if (this.socket.destroyed) return;
      }
      this.pending =
        buffer === undefined || at >= buffer.byteLength || this.ending
          ? undefined
          : buffer.subarray(at);
      handler.parsed();
    } finally {
      this.parsing = false;
    }
  }
}
