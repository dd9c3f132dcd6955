import type { Server } from 'node:net';
import { lingeringClose } from '../lifecycle/linger.js';
import type { RequestListeners } from '../lifecycle/request-events.js';
import type { ServerContext } from '../options/server-context.js';
import type { WireSocket } from '../wire/wire-socket.js';
import { RecordReader } from './record-reader.js';
import type { FastcgiRequest } from './request.js';
import type { FastcgiExchangeHost, FastcgiResponse } from './response.js';

/** What every connection of one FastCGI server shares. */
export interface FastcgiServerState {
  readonly server: Server;
  readonly context: ServerContext;
  /** The transport's `'request'` listeners, told of each request before the app runs it. */
  readonly listeners: RequestListeners;
  /** Time for `FCGI_PARAMS` to arrive after `FCGI_BEGIN_REQUEST`. */
  readonly paramsTimeout: number;
  /** Life of a connection with no request on it. */
  readonly keepAliveTimeout: number;
  /** Time a request may see no traffic at all before its connection is cut. */
  readonly idleTimeout: number;
}

/**
 * The life of a FastCGI connection around its requests: which request is on
 * it, one socket timeout for every phase (`keepAliveTimeout` between
 * requests, `paramsTimeout` while the params arrive, `idleTimeout` while a
 * request runs), whether it is kept after the response (the response asks
 * through `FastcgiExchangeHost`), its lingering end, and the web server's end
 * or close of its side. `FastcgiConnection` (`connection.ts`) adds what each
 * record does to the request.
 */
export abstract class ConnectionLifecycle extends RecordReader implements FastcgiExchangeHost {
  protected readonly state: FastcgiServerState;
  /** The request on the connection, from `FCGI_BEGIN_REQUEST` until its response is handed over. */
  protected request: FastcgiRequest | undefined;
  /** Something in this request's framing was off: no other request follows on this connection. */
  protected closeAfter = false;
  /** The socket's timeout now (ms; 0: none), changed only when a phase needs another. */
  private armed = 0;
  /** Milliseconds the running request has gone without traffic, in whole timeouts. */
  private silent = 0;
  /** Bytes read and written when the last timeout fired, to see traffic since. */
  private seen = 0;

  /** Starts serving `socket`, idle until its first `FCGI_BEGIN_REQUEST`. */
  constructor(socket: WireSocket, state: FastcgiServerState) {
    super(socket);
    this.state = state;
    socket.on('drain', () => this.request?.response?.emitDrain());
    socket.on('timeout', () => this.onTimeout());
    socket.on('end', () => this.onEnd());
    socket.on('close', () => this.onClose());
    socket.on('error', () => {});
    this.arm(state.keepAliveTimeout);
  }

  /** Ends an idle connection now (a quick stop); a busy one closes after its response. */
  closeIfIdle(): void {
    if (this.request === undefined) this.endConnection();
    else this.closeAfter = true;
  }

  /** Whether the connection closes after `response` (asked once, just before its last write). */
  closesAfter(response: FastcgiResponse): boolean {
    const request = this.request;
    return (
      request?.response !== response ||
      !request.keepConn ||
      !response.shouldKeepAlive ||
      this.closeAfter ||
      this.state.context.closing
    );
  }

  /**
   * The last bytes of `response` are on their way: the connection waits for
   * the next request, or ends (`closing`, as `closesAfter` said).
   */
  finished(response: FastcgiResponse, closing: boolean): void {
    const request = this.request;
    if (request?.response !== response) return;
    // The request is over: its records still to come (an unread body) are ignored from here.
    this.request = undefined;
    if (this.blocked) this.unblock();
    this.afterRequest(closing);
  }

  /** Params still to come after all that arrived: they have `paramsTimeout` to. */
  protected override parsed(): void {
    if (this.request?.readingParams) this.arm(this.state.paramsTimeout);
  }

  /** A record the stream cannot explain: log why and cut the connection. */
  protected override fail(reason: string): void {
    this.state.context.errors.write(`tsgi: FastCGI connection closed: ${reason}`);
    this.discard();
    this.socket.destroy();
  }

  /**
   * The app starts on the request: the timer running since the last request
   * goes on; `onTimeout` waits on to `idleTimeout` for a running request.
   */
  protected timeRunning(): void {
    this.silent = 0;
    if (this.armed === 0 || this.armed > this.state.idleTimeout) this.arm(this.state.idleTimeout);
  }

  /** A request is over: end the connection if `closing`, else give the next `keepAliveTimeout`. */
  protected afterRequest(closing: boolean): void {
    if (closing) this.endConnection();
    else this.arm(this.state.keepAliveTimeout);
  }

  /**
   * Ends our side after the last response, and reads and drops whatever still
   * comes until the web server closes too: closing with unread bytes would
   * make the kernel reset the connection, and the response could be lost. A
   * peer that neither stops nor closes is cut after `LINGER_MS`.
   */
  protected endConnection(): void {
    if (this.ending) return;
    this.stopParsing();
    this.socket.setTimeout(0);
    this.socket.resume();
    lingeringClose.call(this.socket);
  }

  /** Sets the socket's timeout to `ms` unless it is that already (a change costs a timer move). */
  private arm(ms: number): void {
    if (this.ending || ms === this.armed) return;
    this.armed = ms;
    this.socket.setTimeout(ms);
  }

  /**
   * The socket saw no traffic for `armed` ms. Idle between requests: end the
   * connection. Params still arriving: cut it. A request running: one timer
   * serves both phases, so count the silence, and cut the connection only
   * once it reaches `idleTimeout` (0: never) without a byte in between.
   */
  private onTimeout(): void {
    const request = this.request;
    if (request === undefined) {
      this.endConnection();
      return;
    }
    if (request.response === undefined) {
      this.socket.destroy();
      return;
    }
    const traffic = this.socket.bytesRead + this.socket.bytesWritten;
    if (traffic !== this.seen) this.silent = 0;
    this.seen = traffic;
    this.silent += this.armed;
    const limit = this.state.idleTimeout;
    if (limit > 0 && this.silent >= limit) {
      this.socket.destroy();
      return;
    }
    // Node does not restart a timeout that fired: wait again, no longer than what is left.
    const next = limit > 0 ? Math.min(this.armed, limit - this.silent) : this.armed;
    this.armed = next;
    this.socket.setTimeout(next);
  }

  /** The web server ended its side: a running request finishes, then the connection closes. */
  private onEnd(): void {
    const request = this.request;
    if (request === undefined || this.ending) {
      this.socket.destroy();
      return;
    }
    if (!request.stdinDone) request.body?.destroy(new Error('connection closed mid-body'));
    if (request.response === undefined) this.socket.destroy();
    else this.closeAfter = true;
  }

  /** The socket closed: a request still on it loses its body and its response. */
  private onClose(): void {
    const request = this.request;
    this.request = undefined;
    if (request === undefined) return;
    if (!request.stdinDone) request.body?.destroy(new Error('connection closed mid-body'));
    request.response?.cancel();
  }
}
