import type { Server } from 'node:net';
import { isProblem, type RequestProblem } from '@tsgi/spec';
import { logVarsRefusal } from '../cgi/refusal.js';
import { lingeringClose } from '../lifecycle/linger.js';
import { gatewayRequest, type RequestListeners } from '../lifecycle/request-events.js';
import type { ServerContext } from '../options/server-context.js';
import { runApplication } from '../response/run-application.js';
import type { WireSocket } from '../wire/wire-socket.js';
import { managementAnswer } from './management.js';
import { type PhaseTimeouts, PhaseTimer } from './phase-timer.js';
import {
  endRequest,
  FLAG_KEEP_CONN,
  ProtocolStatus,
  type RecordHeader,
  RecordType,
  ROLE_RESPONDER,
} from './record.js';
import { type RecordHandler, RecordParser } from './record-parser.js';
import { FastcgiRequest } from './request.js';
import { requestEnviron } from './request-environ.js';
import { type FastcgiExchangeHost, FastcgiResponse } from './response.js';

/** What every connection of one FastCGI server shares, its phases' timeouts included. */
export interface FastcgiServerState extends PhaseTimeouts {
  /** The listening server (its `maxConnections` answers `FCGI_GET_VALUES`). */
  readonly server: Server;
  /** The app, its options, logs and whether the server is closing. */
  readonly context: ServerContext;
  /** The transport's `'request'` listeners, told of each request before the app runs it. */
  readonly listeners: RequestListeners;
}

/**
 * One FastCGI connection and its requests. Its `RecordParser` hands it each
 * record; it takes the record to the request on the connection: it runs one
 * request at a time (`FCGI_MPXS_CONNS` is 0; a second `FCGI_BEGIN_REQUEST`
 * meanwhile gets `FCGI_CANT_MPX_CONN`), starts the app once the params are
 * complete while the body streams in, and answers a request it can read but
 * not serve with a status and a text body, like any refusal. A record it
 * cannot explain closes the connection, with the reason in `tsgi.errors`.
 * After the response (which asks through `FastcgiExchangeHost`) the
 * connection waits for the next request when the web server asked
 * (`FCGI_KEEP_CONN`), or ends lingering; its `PhaseTimer` bounds each phase,
 * and the web server's end or close of its side ends what runs.
 */
export class FastcgiConnection implements RecordHandler, FastcgiExchangeHost {
  /** The connection's socket (a `net.Socket` or a raw one). */
  readonly socket: WireSocket;
  private readonly state: FastcgiServerState;
  private readonly parser: RecordParser;
  private readonly timer: PhaseTimer;
  /** The request on the connection, from `FCGI_BEGIN_REQUEST` until its response is handed over. */
  private request: FastcgiRequest | undefined;
  /** Something in this request's framing was off: no other request follows on this connection. */
  private closeAfter = false;

  /** Starts serving `socket`, idle until its first `FCGI_BEGIN_REQUEST`. */
  constructor(socket: WireSocket, state: FastcgiServerState) {
    this.socket = socket;
    this.state = state;
    this.parser = new RecordParser(socket, this);
    this.timer = new PhaseTimer(socket, state);
    socket.on('drain', () => this.request?.response?.emitDrain());
    socket.on('timeout', () => this.onTimeout());
    socket.on('end', () => this.onEnd());
    socket.on('close', () => this.onClose());
    socket.on('error', () => {});
    this.timer.betweenRequests();
  }

  /** Ends an idle connection now (a quick stop); a busy one closes after its response. */
  closeIfIdle(): void {
    if (this.request === undefined) this.endConnection();
    else this.closeAfter = true;
  }

  /** Takes a record to its request: by id (0: management), then by type. */
  onRecord(header: RecordHeader, content: Buffer): void {
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

  /** Params still to come after all that arrived: they have `paramsTimeout` to. */
  parsed(): void {
    if (this.request?.readingParams) this.timer.awaitingParams();
  }

  /** A record the stream cannot explain: log why and cut the connection. */
  fail(reason: string): void {
    this.state.context.errors.write(`tsgi: FastCGI connection closed: ${reason}`);
    this.parser.discard();
    this.socket.destroy();
  }

  /** A management record: `FCGI_GET_VALUES` gets its answer, any other type `FCGI_UNKNOWN_TYPE`. */
  private management(type: number, content: Buffer): void {
    try {
      this.socket.write(managementAnswer(type, content, this.state.server.maxConnections));
    } catch (error) {
      this.fail(`malformed FCGI_GET_VALUES: ${(error as Error).message}`);
    }
  }

  /** `FCGI_BEGIN_REQUEST`: the request on the connection, unless one runs or the role is not ours. */
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

  /** `FCGI_PARAMS`: gathered until the empty one, then the request starts or is refused. */
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

  /** The params are complete: run the app on its environ while the body streams in. */
  private start(request: FastcgiRequest, vars: Map<string, string>): void {
    const context = this.state.context;
    const environ = requestEnviron(request, vars, context, this.socket, this.parser);
    if (isProblem(environ)) {
      this.refuse(request, environ, vars);
      return;
    }
    const response = new FastcgiResponse(this, request.id);
    request.response = response;
    this.timer.requestRunning();
    const listeners = this.state.listeners;
    if (listeners.any) listeners.emit(gatewayRequest(environ, response));
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

  /** `FCGI_STDIN`: the body's bytes to its stream (blocking the parser when it is full). */
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
    if (!body.accept(content)) this.parser.block();
  }

  /** `FCGI_ABORT_REQUEST`: the client went away; the app's body is closed as on a disconnect. */
  private abort(request: FastcgiRequest): void {
    this.request = undefined;
    request.body?.destroy(new Error('the web server aborted the request (FCGI_ABORT_REQUEST)'));
    request.response?.cancel();
    this.parser.unblock();
    const closing = !request.keepConn || this.closeAfter || this.state.context.closing;
    this.socket.write(endRequest(request.id, ProtocolStatus.RequestComplete));
    this.afterRequest(closing);
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
    this.parser.unblock();
    this.afterRequest(closing);
  }

  /** A request is over: end the connection if `closing`, else give the next `keepAliveTimeout`. */
  private afterRequest(closing: boolean): void {
    if (closing) this.endConnection();
    else this.timer.betweenRequests();
  }

  /**
   * Ends our side after the last response, and reads and drops whatever still
   * comes until the web server closes too: closing with unread bytes would
   * make the kernel reset the connection, and the response could be lost. A
   * peer that neither stops nor closes is cut after `LINGER_MS`.
   */
  private endConnection(): void {
    if (this.parser.ending) return;
    this.parser.stopParsing();
    this.timer.stop();
    this.socket.resume();
    lingeringClose.call(this.socket);
  }

  /**
   * The socket saw no traffic for the phase's timeout. Idle between
   * requests: end the connection. Params still arriving: cut it. A request
   * running: cut it once the silence reaches `idleTimeout` (`PhaseTimer`).
   */
  private onTimeout(): void {
    const request = this.request;
    if (request === undefined) this.endConnection();
    else if (request.response === undefined || this.timer.silentTooLong()) this.socket.destroy();
  }

  /** The web server ended its side: a running request finishes, then the connection closes. */
  private onEnd(): void {
    const request = this.request;
    if (request === undefined || this.parser.ending) {
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
