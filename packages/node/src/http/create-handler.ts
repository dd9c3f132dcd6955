import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Application } from '@tsgi/spec';
import { isProblem, type RequestProblem } from '@tsgi/spec';
import type { LogRequest } from '../contracts/access-log.js';
import type { RequestListeners } from '../lifecycle/request-events.js';
import { logRefusal } from '../log/access-log.js';
import { describeError } from '../log/error-stream.js';
import type { HandlerOptions } from '../options/options.js';
import { createServerContext, type ServerContext } from '../options/server-context.js';
import { sendText } from '../response/error-response.js';
import { runApplication } from '../response/run-application.js';
import { followsClosingResponse } from './after-close.js';
import { httpRequest } from './listener-request.js';
import { peerOf } from './peer.js';
import { type DropRequest, isQueued, pipelined, type StartRequest } from './pipeline.js';
import { environFromRequest } from './request-head.js';

/** A `node:http` request listener running a TSGI app. */
export interface TsgiHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /**
   * Listener for the server's `'checkContinue'` event: sends `100 Continue`
   * only when the app first reads `tsgi.input` (and never when the declared
   * body is over the limit). Without it Node answers every `Expect: 100-continue` at once.
   */
  checkContinue(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * The TSGI machinery as a `(req, res)` listener, to mount a TSGI app in an
 * existing `node:http` server. Header-size and timeout limits belong to that
 * server; `createServer` sets them for you.
 *
 * @example
 * import { createServer } from 'node:http';
 * const handler = createHandler(app, { bodyLimit: 65_536 });
 * const server = createServer(handler).on('checkContinue', handler.checkContinue);
 * server.listen(8000);
 */
export function createHandler(app: Application, options: HandlerOptions = {}): TsgiHandler {
  return handlerFor(createServerContext(app, options));
}

/**
 * Builds the listener for an existing context (used by `createServer`);
 * `listeners` hears of each request just before the app runs it.
 */
export function handlerFor(context: ServerContext, listeners?: RequestListeners): TsgiHandler {
  const app = context.app;
  // ServerResponse.writeHead throws on a bad header name, value or reason
  // phrase (ERR_INVALID_CHAR / ERR_INVALID_HTTP_TOKEN), which the runner turns
  // into a 500: no need to run the same checks twice per header.
  context.sinkChecksHeaders = true;
  context.sinkTakesLatin1 = true;
  const drop: DropRequest = (req, arrivedAt) => {
    const log = context.log;
    if (log === undefined) return;
    try {
      log(describeRequest(req), 499, 0, arrivedAt);
    } catch (error) {
      context.errors.write(`tsgi: access log failed: ${describeError(error)}`);
    }
  };
  const start = (req: IncomingMessage, res: ServerResponse, onRead?: () => void): void => {
    if (listeners?.any) listeners.emit(httpRequest(req, res));
    if (followsClosingResponse(req, res)) return;
    const environ = environFromRequest(req, context, onRead);
    if (isProblem(environ)) {
      refuse(req, res, environ, context);
      return;
    }
    runApplication(app, environ, res, context);
  };
  const run: StartRequest = start;
  const runContinue: StartRequest = (req, res) =>
    start(req, res, () => {
      if (!res.headersSent) res.writeContinue();
    });
  const handler = ((req: IncomingMessage, res: ServerResponse): void => {
    if (isQueued(res)) pipelined(req, res, run, drop);
    else run(req, res);
  }) as TsgiHandler;
  handler.checkContinue = (req: IncomingMessage, res: ServerResponse): void => {
    if (isQueued(res)) pipelined(req, res, runContinue, drop);
    else runContinue(req, res);
  };
  return handler;
}

/** Answers a request the app never sees, logs it, and closes the connection after it. */
export function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  problem: RequestProblem,
  context: ServerContext,
): void {
  const body = `${problem.message}\n`;
  res.shouldKeepAlive = false;
  sendText(res, problem.status, body);
  logRefusal(context.log, context.errors, () => describeRequest(req), problem.status, body);
}

/** What the access log shows of a request that has no environ. */
function describeRequest(req: IncomingMessage): LogRequest {
  const agent = req.headers['user-agent'];
  return {
    REQUEST_METHOD: req.method ?? '',
    REQUEST_URI: req.url ?? '',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    REMOTE_ADDR: peerOf(req.socket).address,
    'tsgi.url_scheme': peerOf(req.socket).scheme,
    HTTP_USER_AGENT: typeof agent === 'string' ? agent : undefined,
  };
}
