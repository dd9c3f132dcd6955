import { Readable } from 'node:stream';

/**
 * The request body of a FastCGI request: the content of its `FCGI_STDIN`
 * records, up to the empty one that ends the stream. The connection pushes
 * each record's content with `accept`; when the consumer lags, `accept`
 * returns false and the connection stops reading the socket (so a slow app
 * pushes back on Nginx) until `_read` calls `wantMore`. `RequestInput` wraps it
 * as `tsgi.input`, which enforces the body limit.
 *
 * A body that fails (too short, too long, aborted, its connection gone) is
 * destroyed with the reason, which reaches the app through `tsgi.input`'s
 * next read. It always has an `'error'` listener of its own: an app that never
 * reads the body must not turn that failure into an unhandled `'error'` event,
 * which would end the process.
 */
export class FastcgiBody extends Readable {
  /** Body bytes received so far. */
  received = 0;
  private readonly declared: number;
  private readonly wantMore: () => void;

  /**
   * `declared`: the request's `CONTENT_LENGTH`, or -1 when it has none (a
   * streamed body); `wantMore`: called when the consumer wants more.
   */
  constructor(declared: number, wantMore: () => void) {
    super({ highWaterMark: 65_536 });
    this.declared = declared;
    this.wantMore = wantMore;
    this.on('error', ignore);
  }

  /**
   * Takes one `FCGI_STDIN` record's content; an empty one ends the body.
   * Returns false when the consumer wants no more for now. A body longer or
   * shorter than its `CONTENT_LENGTH` fails the stream.
   */
  accept(content: Uint8Array): boolean {
    if (this.destroyed) return true;
    if (content.byteLength === 0) {
      if (this.declared >= 0 && this.received < this.declared) {
        this.destroy(
          new Error(
            `FCGI_STDIN ended ${this.declared - this.received} bytes short of CONTENT_LENGTH`,
          ),
        );
      } else {
        this.push(null);
      }
      return true;
    }
    this.received += content.byteLength;
    if (this.declared >= 0 && this.received > this.declared) {
      this.destroy(new Error('FCGI_STDIN holds more bytes than CONTENT_LENGTH'));
      return true;
    }
    return this.push(content);
  }

  override _read(): void {
    this.wantMore();
  }
}

/** The body's own `'error'` listener: the failure is read from the stream by `tsgi.input`. */
function ignore(): void {}
