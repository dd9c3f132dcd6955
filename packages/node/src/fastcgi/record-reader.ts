import type { WireSocket } from '../wire/wire-socket.js';
import { HEADER_SIZE, type RecordHeader, RecordType, readRecordHeader } from './record.js';
import { recordProblem } from './record-checks.js';

/**
 * The record loop at the bottom of a FastCGI connection: it takes the
 * socket's chunks and cuts whole records out of them where they lie (no
 * stream object, no copy unless a record spans two reads), checks each
 * header (`record-checks.ts`) and hands it with its content to `onRecord`.
 * When the request body's consumer lags, `block` pauses the socket and the
 * loop until `unblock`. `FastcgiConnection` builds on it (through
 * `ConnectionLifecycle`): one object per connection, no closures per record.
 */
export abstract class RecordReader {
  readonly socket: WireSocket;
  /** Bytes received and not parsed yet (at most one partial record, unless `blocked`). */
  private pending: Buffer | undefined;
  /** The body's consumer wants no more for now: parsing waits, the socket is paused. */
  protected blocked = false;
  private parsing = false;
  /** While `parse` runs: where the record after the one being handled starts in `pending`. */
  private cursor = 0;
  /** Our side is ended (`stopParsing`): what still comes is dropped until the peer closes. */
  protected ending = false;

  /** Starts reading records off `socket`. */
  constructor(socket: WireSocket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  /** One whole record whose header passed `recordProblem`; `content` is a view of the read. */
  protected abstract onRecord(header: RecordHeader, content: Buffer): void;

  /** Every whole record that arrived was handled; parsing waits for more bytes (or `unblock`). */
  protected abstract parsed(): void;

  /** A record the stream cannot explain: log why, `discard`, and cut the connection. */
  protected abstract fail(reason: string): void;

  /** The body's consumer wants no more for now: stop parsing and reading the socket. */
  protected block(): void {
    this.blocked = true;
    this.socket.pause();
  }

  /** The body's consumer wants more: parse what waits, then read the socket again. */
  protected unblock(): void {
    if (!this.blocked) return;
    this.blocked = false;
    this.parse();
    if (!this.blocked && !this.socket.destroyed) this.socket.resume();
  }

  /** True when the next record already here is the empty `FCGI_STDIN` of `id`: no body follows. */
  protected stdinEndsNext(id: number): boolean {
    const buffer = this.pending;
    const at = this.cursor;
    if (buffer === undefined || buffer.byteLength - at < HEADER_SIZE) return false;
    const next = readRecordHeader(buffer, at);
    return next.type === RecordType.Stdin && next.requestId === id && next.contentLength === 0;
  }

  /** Forgets the bytes not parsed yet: the connection is being cut. */
  protected discard(): void {
    this.pending = undefined;
  }

  /** Our side is ending: from now on, whatever arrives is read and dropped, never parsed. */
  protected stopParsing(): void {
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
    let at = 0;
    try {
      while (buffer !== undefined && !this.blocked && !this.ending) {
        if (buffer.byteLength - at < HEADER_SIZE) break;
        const header = readRecordHeader(buffer, at);
        const problem = recordProblem(header);
        if (problem !== undefined) {
          this.fail(problem);
          return;
        }
        const end = at + HEADER_SIZE + header.contentLength + header.paddingLength;
        if (end > buffer.byteLength) break;
        const content = buffer.subarray(at + HEADER_SIZE, at + HEADER_SIZE + header.contentLength);
        at = end;
        this.cursor = end;
        this.onRecord(header, content);
        if (this.socket.destroyed) return;
      }
      this.pending =
        buffer === undefined || at >= buffer.byteLength || this.ending
          ? undefined
          : buffer.subarray(at);
      this.parsed();
    } finally {
      this.parsing = false;
    }
  }
}
