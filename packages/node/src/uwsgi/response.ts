import { sendText } from '../response/error-response.js';
import { closingHead } from '../response/raw-head.js';
import type { ResponseSink } from '../response/sink.js';
import type { WireSocket } from '../wire/wire-socket.js';

/** Bodies up to this size are copied behind the head and sent in one write. */
const SMALL_BODY = 16_384;

/**
 * The `ResponseSink` of a uwsgi connection: an HTTP/1.1 response written
 * straight onto the socket, which Nginx's uwsgi module parses like a proxied
 * one. Nginx reads a uwsgi response until the connection closes (the protocol
 * has no keep-alive), so a body without `Content-Length` is close-delimited:
 * never chunked, which the uwsgi module would pass through undecoded. The
 * connection ends with the response.
 */
export class UwsgiResponse implements ResponseSink {
  /** True once the status line and headers are on the wire. */
  headersSent = false;
  private head: string | undefined;
  private readonly socket: WireSocket;
  private readonly onDone: () => void;

  /** `onDone` runs once the whole response is written: it ends the connection. */
  constructor(socket: WireSocket, onDone: () => void) {
    this.socket = socket;
    this.onDone = onDone;
  }

  get writableFinished(): boolean {
    return this.socket.writableFinished;
  }

  get destroyed(): boolean {
    return this.socket.destroyed;
  }

  writeHead(statusCode: number, statusMessage: string, headers: string[]): void {
    if (this.headersSent) throw new Error('uwsgi response: headers were already sent');
    this.head = closingHead(statusCode, statusMessage, headers);
  }

  write(chunk: Uint8Array): boolean {
    const head = this.takeHead();
    if (head === undefined) return this.socket.write(chunk);
    this.socket.cork();
    this.socket.write(head, 'latin1');
    const more = this.socket.write(chunk);
    this.socket.uncork();
    return more;
  }

  end(chunk?: Uint8Array): void {
    const head = this.takeHead();
    if (head !== undefined) {
      if (chunk !== undefined && chunk.byteLength > 0) {
        if (chunk.byteLength <= SMALL_BODY) {
          // The common case: status line, headers and body in one write.
          const headLength = Buffer.byteLength(head, 'latin1');
          const out = Buffer.allocUnsafe(headLength + chunk.byteLength);
          out.write(head, 0, 'latin1');
          out.set(chunk, headLength);
          this.socket.write(out);
        } else {
          this.socket.cork();
          this.socket.write(head, 'latin1');
          this.socket.write(chunk);
          this.socket.uncork();
        }
      } else {
        this.socket.write(head, 'latin1');
      }
    } else if (chunk !== undefined && chunk.byteLength > 0) {
      this.socket.write(chunk);
    }
    this.onDone();
  }

  destroy(): void {
    this.socket.destroy();
  }

  on(event: 'drain' | 'close', listener: () => void): this {
    if (event === 'close' && this.socket.closed) {
      // Closed before anyone listened: tell the late listener all the same.
      process.nextTick(listener);
      return this;
    }
    this.socket.on(event, listener);
    return this;
  }

  cork(): void {
    this.socket.cork();
  }

  uncork(): void {
    this.socket.uncork();
  }

  /**
   * Answers with a short text response (`text` and a newline) when nothing
   * was sent yet (the harakiri 504, a refused packet); otherwise cuts the
   * connection.
   */
  abort(status: number, text: string): void {
    if (this.headersSent || this.socket.destroyed || this.socket.writableEnded) {
      this.socket.destroy();
      return;
    }
    sendText(this, status, `${text}\n`);
  }

  private takeHead(): string | undefined {
    const head = this.head;
    if (head === undefined) {
      if (!this.headersSent) throw new Error('uwsgi response: body written before writeHead');
      return undefined;
    }
    this.head = undefined;
    this.headersSent = true;
    return head;
  }
}
