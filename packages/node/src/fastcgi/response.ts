import { sendText } from '../response/error-response.js';
import type { ResponseSink } from '../response/sink.js';
import type { WireSocket } from '../wire/wire-socket.js';
import {
  END_REQUEST_SIZE,
  HEADER_SIZE,
  MAX_CONTENT,
  ProtocolStatus,
  RecordType,
  writeEndRequest,
  writeRecordHeader,
} from './record.js';

/** Responses up to this many bytes (records included) go out in one buffer, one write. */
const SMALL = 16_384;

/**
 * An empty `FCGI_STDERR` record sent after `FCGI_END_REQUEST`, in the same
 * write, when the connection is to close after this response: Nginx keeps an
 * upstream connection only when the `FCGI_END_REQUEST` record is the last
 * thing it read (`ngx_http_fastcgi_input_filter`), so these 8 bytes tell it,
 * as surely as `Connection: close` does over HTTP, not to reuse this one.
 */
const CLOSING_TRAILER_SIZE = HEADER_SIZE;

/** What a response needs from its connection. */
export interface FastcgiExchangeHost {
  readonly socket: WireSocket;
  /** Whether the connection closes after this response (asked once, just before the last write). */
  closesAfter(response: FastcgiResponse): boolean;
  /** The last bytes of the response were handed to the socket; `closing` as `closesAfter` said. */
  finished(response: FastcgiResponse, closing: boolean): void;
}

/**
 * The `ResponseSink` of one FastCGI request: the app's status and headers as a
 * CGI response head (`Status: 200 OK`, then the header lines, then an empty
 * line) and its body, in `FCGI_STDOUT` records of at most 65,535 bytes, then an
 * empty `FCGI_STDOUT` and `FCGI_END_REQUEST`. FastCGI frames the body itself,
 * so there is never chunked encoding; Nginx frames it for its client. Small
 * responses go out in one write. `'close'` comes once the last record is
 * written, or when the request is gone first (its connection closed, or the
 * web server sent `FCGI_ABORT_REQUEST`), with `writableFinished` false.
 */
export class FastcgiResponse implements ResponseSink {
  /** True once the head is on the wire. */
  headersSent = false;
  /** Set to false by the runner when the connection must not carry another request. */
  shouldKeepAlive = true;
  /** True once the last record was written. */
  writableFinished = false;
  readonly requestId: number;
  private head: string | undefined;
  private gone = false;
  private ended = false;
  private closeListeners: Array<() => void> | undefined;
  private drainListeners: Array<() => void> | undefined;
  private readonly host: FastcgiExchangeHost;

  constructor(host: FastcgiExchangeHost, requestId: number) {
    this.host = host;
    this.requestId = requestId;
  }

  /** True once the request can take no more bytes: ended, aborted, or its connection gone. */
  get destroyed(): boolean {
    return this.gone || this.host.socket.destroyed;
  }

  writeHead(statusCode: number, statusMessage: string, headers: string[]): void {
    if (this.headersSent) throw new Error('FastCGI response: headers were already sent');
    let head = `Status: ${statusCode} ${statusMessage}\r\n`;
    for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
    this.head = `${head}\r\n`;
  }

  write(chunk: Uint8Array): boolean {
    if (this.gone || this.ended) return false;
    return this.send(this.takeHead(), chunk, false);
  }

  end(chunk?: Uint8Array): void {
    if (this.gone || this.ended) return;
    this.ended = true;
    this.send(this.takeHead(), chunk, true);
  }

  /** Cuts the connection: the web server sees the response broken off. */
  destroy(): void {
    if (this.gone) return;
    this.host.socket.destroy();
  }

  on(event: 'drain' | 'close', listener: () => void): this {
    if (event === 'close') {
      if (this.gone || this.writableFinished) process.nextTick(listener);
      else if (this.closeListeners === undefined) this.closeListeners = [listener];
      else this.closeListeners.push(listener);
    } else if (this.drainListeners === undefined) {
      this.drainListeners = [listener];
    } else {
      this.drainListeners.push(listener);
    }
    return this;
  }

  cork(): void {
    this.host.socket.cork();
  }

  uncork(): void {
    this.host.socket.uncork();
  }

  /**
   * Answers with a short text response (`text` and a newline) when nothing
   * was sent yet (the harakiri 504, a refused request); otherwise cuts the connection.
   */
  abort(status: number, text: string): void {
    if (this.headersSent || this.ended || this.destroyed) {
      this.destroy();
      return;
    }
    sendText(this, status, `${text}\n`);
  }

  /** The socket can take more: tells the runner. */
  emitDrain(): void {
    for (const listener of this.drainListeners ?? []) listener();
  }

  /**
   * The request is gone before its end (the connection closed, or
   * `FCGI_ABORT_REQUEST`): `'close'` with `writableFinished` false, and
   * whatever the app still writes is dropped.
   */
  cancel(): void {
    if (this.gone || this.writableFinished) return;
    this.gone = true;
    this.emitClose();
  }

  private emitClose(): void {
    const listeners = this.closeListeners;
    this.closeListeners = undefined;
    for (const listener of listeners ?? []) listener();
  }

  private takeHead(): string | undefined {
    const head = this.head;
    if (head === undefined) {
      if (!this.headersSent) throw new Error('FastCGI response: body written before writeHead');
      return undefined;
    }
    this.head = undefined;
    this.headersSent = true;
    return head;
  }

  /** Writes `head` and `chunk` as `FCGI_STDOUT` records, and on `last` the end of the request. */
  private send(head: string | undefined, chunk: Uint8Array | undefined, last: boolean): boolean {
    const socket = this.host.socket;
    const headLength = head === undefined ? 0 : Buffer.byteLength(head, 'latin1');
    const bodyLength = chunk?.byteLength ?? 0;
    const content = headLength + bodyLength;
    const closing = last && this.host.closesAfter(this);
    const tail = last ? HEADER_SIZE + END_REQUEST_SIZE + (closing ? CLOSING_TRAILER_SIZE : 0) : 0;
    const id = this.requestId;
    let more: boolean;
    if (content <= MAX_CONTENT && HEADER_SIZE + content + tail <= SMALL) {
      // The usual case: head, body and the end of the request in one buffer, one write.
      const out = Buffer.allocUnsafe((content > 0 ? HEADER_SIZE + content : 0) + tail);
      let at = 0;
      if (content > 0) {
        at = writeRecordHeader(out, 0, RecordType.Stdout, id, content);
        if (head !== undefined) at += out.write(head, at, 'latin1');
        if (chunk !== undefined) {
          out.set(chunk, at);
          at += bodyLength;
        }
      }
      if (last) writeTail(out, at, id, closing);
      more = last ? socket.write(out, () => this.done()) : socket.write(out);
    } else {
      socket.cork();
      if (head !== undefined) writeStdout(socket, id, Buffer.from(head, 'latin1'));
      if (chunk !== undefined && bodyLength > 0) writeStdout(socket, id, chunk);
      if (last) {
        const out = Buffer.allocUnsafe(tail);
        writeTail(out, 0, id, closing);
        more = socket.write(out, () => this.done());
      } else {
        more = socket.writableLength < socket.writableHighWaterMark;
      }
      socket.uncork();
    }
    if (last) this.host.finished(this, closing);
    return more;
  }

  private done(): void {
    if (this.gone) return;
    this.writableFinished = true;
    this.emitClose();
  }
}

/** `bytes` as `FCGI_STDOUT` records of at most {@link MAX_CONTENT} bytes each. */
function writeStdout(socket: WireSocket, id: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.byteLength; at += MAX_CONTENT) {
    const piece = bytes.subarray(at, Math.min(at + MAX_CONTENT, bytes.byteLength));
    const header = Buffer.allocUnsafe(HEADER_SIZE);
    writeRecordHeader(header, 0, RecordType.Stdout, id, piece.byteLength);
    socket.write(header);
    socket.write(piece);
  }
}

/** The empty `FCGI_STDOUT`, `FCGI_END_REQUEST` and, when `closing`, the trailer. */
function writeTail(out: Buffer, at: number, id: number, closing: boolean): void {
  let next = writeRecordHeader(out, at, RecordType.Stdout, id, 0);
  next = writeEndRequest(out, next, id, ProtocolStatus.RequestComplete);
  if (closing) writeRecordHeader(out, next, RecordType.Stderr, id, 0);
}
