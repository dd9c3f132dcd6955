import { type InputStream, isProblem, type RequestProblem } from '@tsgi/spec';
import { environFromVars } from '../cgi/environ.js';
import { logVarsRefusal } from '../cgi/refusal.js';
import { gatewayRequest } from '../lifecycle/request-events.js';
import { RequestInput } from '../request/input.js';
import { runApplication } from '../response/run-application.js';
import { ConnectionLifecycle } from './connection-lifecycle.js';

export type { FastcgiServerState } from './connection-lifecycle.js';

import { managementAnswer } from './management.js';
import {
  endRequest,
  FLAG_KEEP_CONN,
  ProtocolStatus,
  type RecordHeader,
  RecordType,
  ROLE_RESPONDER,
} from './record.js';
import { declaredLength, FastcgiRequest } from './request.js';
import { FastcgiBody } from './request-body.js';
import { FastcgiResponse } from './response.js';

/**
 * One FastCGI connection, and what each record does to its request: it runs
 * one request at a time (`FCGI_MPXS_CONNS` is 0; a second
 * `FCGI_BEGIN_REQUEST` meanwhile gets `FCGI_CANT_MPX_CONN`), starts the app
 * once the params are complete while the body streams in, and answers a
 * request it can read but not serve with a status and a text body, like any
 * refusal. A record it cannot explain closes the connection, with the reason
 * in `tsgi.errors` (`record-checks.ts`). Underneath, records come straight
 * off the socket, with no stream object per request (`record-reader.ts`), and
 * the connection is kept for the next request when the web server asked
 * (`FCGI_KEEP_CONN`; timeouts and its end are `connection-lifecycle.ts`).
 */
export class FastcgiConnection extends ConnectionLifecycle {
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
    this.afterRequest(closing);
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
    this.timeRunning();
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
}
