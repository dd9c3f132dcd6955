import type { Server, Socket } from 'node:net';
import { type InputStream, isProblem, type RequestProblem } from '@tsgi/spec';
import { environFromVars } from '../cgi/environ.js';
import { logVarsRefusal } from '../cgi/refusal.js';
import { RequestInput } from '../http/input.js';
import { lingeringClose } from '../listener/linger.js';
import { runApplication } from '../response/run-application.js';
import type { ServerContext } from '../server-context.js';
import { managementAnswer } from './management.js';
import {
  endRequest,
  FLAG_KEEP_CONN,
  ProtocolStatus,
  type RecordHeader,
  RecordType,
  ROLE_RESPONDER,
} from './record.js';
import { RecordReader } from './record-reader.js';
import { declaredLength, FastcgiRequest } from './request.js';
import { FastcgiBody } from './request-body.js';
import { type FastcgiExchangeHost, FastcgiResponse } from './response.js';

/** What every connection of one FastCGI server shares. */
export interface FastcgiServerState {
  readonly server: Server;
  readonly context: ServerContext;
  /** Time for `FCGI_PARAMS` to arrive after `FCGI_BEGIN_REQUEST`. */
  readonly paramsTimeout: number;
  /** Life of a connection with no request on it. */
  readonly keepAliveTimeout: number;
  /** Time a request may see no traffic at all before its connection is cut. */
  readonly idleTimeout: number;
}

/**
 * One FastCGI connection: reads records straight off the socket (no stream
 * object per request; `record-reader.ts`), runs one request at a time
 * (`FCGI_MPXS_CONNS` is 0; a second `FCGI_BEGIN_REQUEST` meanwhile gets
 * `FCGI_CANT_MPX_CONN`), and keeps the connection for the next request when
 * the web server asked (`FCGI_KEEP_CONN`). A record it cannot explain closes
 * the connection, with the reason in `tsgi.errors` (`record-checks.ts`); a
 * request it can read but not serve gets a status and a text body, like any
 * refusal.
 */
export class FastcgiConnection extends RecordReader implements FastcgiExchangeHost {
  private readonly state: FastcgiServerState;
  private request: FastcgiRequest | undefined;
  /** Something in this request's framing was off: no other request follows on this connection. */
  private closeAfter = false;
  /** The socket's timeout now (ms; 0: none), changed only when a phase needs another. */
  private armed = 0;
  /** Milliseconds the running request has gone without traffic, in whole timeouts. */
  private silent = 0;
  /** Bytes read and written when the last timeout fired, to see traffic since. */
  private seen = 0;

  constructor(socket: Socket, state: FastcgiServerState) {
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

  finished(response: FastcgiResponse, closing: boolean): void {
    const request = this.request;
    if (request?.response !== response) return;
    // The request is over: its records still to come (an unread body) are ignored from here.
    this.request = undefined;
    if (this.blocked) this.unblock();
    if (closing) this.endConnection();
    else this.arm(this.state.keepAliveTimeout);
  }

  /** Params still to come after all that arrived: they have `paramsTimeout` to. */
  protected override parsed(): void {
    if (this.request?.readingParams) this.arm(this.state.paramsTimeout);
  }

  /** Takes a record to its request: by id (0: management), then by type. */
  protected override onRecord(header: RecordHeader, content: Buffer): void {
    const id = header.requestId;
    if (id === 0) {
      this.management(header.type, content);
      return;
    }
    if (header.type === RecordType.BeginRequest) {
      this.begin(id, content);
      return;
    }
    const request = this.request;
    // Records of a request that is not active (over, refused, never begun) are ignored (spec 3.3).
    if (request === undefined || request.id !== id) return;
    if (header.type === RecordType.AbortRequest) this.abort(request);
    else if (header.type === RecordType.Params) this.params(request, content);
    else this.stdin(request, content);
  }

  /** A management record: `FCGI_GET_VALUES` gets its answer, any other type `FCGI_UNKNOWN_TYPE`. */
  private management(type: number, content: Buffer): void {
    try {
      this.socket.write(managementAnswer(type, content, this.state.server.maxConnections));
    } catch (error) {
      this.fail(`malformed FCGI_GET_VALUES: ${(error as Error).message}`);
    }
  }

  private begin(id: number, content: Buffer): void {
    const role = (content[0]! << 8) | content[1]!;
    const keepConn = (content[2]! & FLAG_KEEP_CONN) !== 0;
    if (this.request !== undefined) {
      if (this.request.id === id) {
        this.fail(`FCGI_BEGIN_REQUEST for request ${id}, which is already running`);
      } else {
        this.socket.write(endRequest(id, ProtocolStatus.CantMultiplex));
      }
      return;
    }
    if (role !== ROLE_RESPONDER) {
      this.socket.write(endRequest(id, ProtocolStatus.UnknownRole));
      if (!keepConn) this.endConnection();
      return;
    }
    this.request = new FastcgiRequest(id, keepConn);
  }

  private params(request: FastcgiRequest, content: Buffer): void {
    if (!request.readingParams) {
      this.fail(`FCGI_PARAMS for request ${request.id} after the end of its params`);
      return;
    }
    const read = request.addParams(content);
    if (read === undefined) return;
    if (read instanceof Map) this.start(request, read);
    else this.refuse(request, read.problem, read.vars);
  }

  private stdin(request: FastcgiRequest, content: Buffer): void {
    if (request.readingParams) {
      this.fail(`FCGI_STDIN for request ${request.id} before the end of its params`);
      return;
    }
    if (request.stdinDone) {
      this.fail(`FCGI_STDIN for request ${request.id} after the end of its body`);
      return;
    }
    if (content.byteLength === 0) request.stdinDone = true;
    const body = request.body;
    if (body === undefined) {
      // Body bytes for a request that announced none: serve it, but end the connection after.
      if (content.byteLength > 0) this.closeAfter = true;
      return;
    }
    if (!body.accept(content)) this.block();
  }

  /** `FCGI_ABORT_REQUEST`: the client went away; the app's body is closed as on a disconnect. */
  private abort(request: FastcgiRequest): void {
    this.request = undefined;
    request.body?.destroy(new Error('the web server aborted the request (FCGI_ABORT_REQUEST)'));
    request.response?.cancel();
    if (this.blocked) this.unblock();
    const closing = !request.keepConn || this.closeAfter || this.state.context.closing;
    this.socket.write(endRequest(request.id, ProtocolStatus.RequestComplete));
    if (closing) this.endConnection();
    else this.arm(this.state.keepAliveTimeout);
  }

  /** The params are complete: build the environ and run the app while the body streams in. */
  private start(request: FastcgiRequest, vars: Map<string, string>): void {
    const context = this.state.context;
    const declared = declaredLength(vars);
    let input: InputStream | undefined;
    if (declared > 0 || (declared === -1 && !this.stdinEndsNext(request.id))) {
      const body = new FastcgiBody(declared, () => this.unblock());
      request.body = body;
      input = new RequestInput(body, declared, context.options.bodyLimit) as InputStream;
    }
    const socket = this.socket;
    const environ = environFromVars(
      vars,
      context,
      { localAddress: socket.localAddress, localPort: socket.localPort },
      input,
      'fastcgi',
    );
    if (isProblem(environ)) {
      this.refuse(request, environ, vars);
      return;
    }
    const response = new FastcgiResponse(this, request.id);
    request.response = response;
    // The keep-alive timer goes on; `onTimeout` waits on to `idleTimeout` for a running request.
    this.silent = 0;
    if (this.armed === 0 || this.armed > this.state.idleTimeout) this.arm(this.state.idleTimeout);
    const server = this.state.server;
    if (server.listenerCount('request') > 0) server.emit('request', environ, response);
    runApplication(context.app, environ, response, context);
  }

  /** Answers a request the app never sees with a short text, logs it, and closes after. */
  private refuse(
    request: FastcgiRequest,
    problem: RequestProblem,
    vars: Map<string, string> = new Map(),
  ): void {
    this.closeAfter = true;
    const response = new FastcgiResponse(this, request.id);
    request.response = response;
    response.abort(problem.status, problem.message);
    logVarsRefusal(this.state.context, problem, vars);
  }

  /** A record the stream cannot explain: log why and cut the connection. */
  protected override fail(reason: string): void {
    this.state.context.errors.write(`tsgi: FastCGI connection closed: ${reason}`);
    this.discard();
    this.socket.destroy();
  }

  /**
   * Ends our side after the last response, and reads and drops whatever still
   * comes until the web server closes too: closing with unread bytes would
   * make the kernel reset the connection, and the response could be lost. A
   * peer that neither stops nor closes is cut after `LINGER_MS`.
   */
  private endConnection(): void {
    if (this.ending) return;
    this.stopParsing();
    this.socket.setTimeout(0);
    this.socket.resume();
    lingeringClose.call(this.socket);
  }

  /** Sets the socket's timeout to `ms` unless it is that already (each change costs a timer move). */
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

  /** The web server ended its side: a request still running finishes, then the connection closes. */
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

  private onClose(): void {
    const request = this.request;
    this.request = undefined;
    if (request === undefined) return;
    if (!request.stdinDone) request.body?.destroy(new Error('connection closed mid-body'));
    request.response?.cancel();
  }
}
