import type { ServerHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import { buildEnviron, isProblem } from '@tsgi/spec';
import { gatewayRequest, type RequestListeners } from '../lifecycle/request-events.js';
import { logRefusal } from '../log/access-log.js';
import type { ServerContext } from '../options/server-context.js';
import { sendText } from '../response/error-response.js';
import { Exchange } from '../response/exchange.js';
import { runExchange } from '../response/run-application.js';
import { HTTP2_PROTOCOL, StreamHead } from './head.js';
import { Http2Response } from './response.js';
import { limitRequest } from './stream-limits.js';

/**
 * Runs one HTTP/2 stream as one request: the environ from its header list
 * (`head.ts`), the response through the shared exchange onto the stream
 * (`response.ts`). A stream the client resets (`RST_STREAM`, its session
 * gone) ends the exchange as gone at once, so the body's `close()` runs even
 * while the app waits on something else. A request the environ builder
 * refuses (431, 414, 400) gets its short text answer and never reaches the app,
 * as does one that expects anything but `100-continue` (417); `100-continue`
 * gets its interim 100 at once, as over HTTP/1.1.
 * `requestTimeout` bounds the arrival of the whole request (`limitRequest`).
 */
export function serveStream(
  context: ServerContext,
  listeners: RequestListeners,
  stream: ServerHttp2Stream,
  socket: Socket,
  rawHeaders: readonly string[],
  requestTimeout: number,
): void {
  // A reset stream's errors are told by its 'close'; never an unhandled 'error'.
  stream.on('error', ignore);
  const head = new StreamHead(stream, socket, rawHeaders, context.options.bodyLimit);
  const environ = buildEnviron(head, context);
  const response = new Http2Response(stream, context.idleTimeout);
  if (isProblem(environ)) {
    refuseStream(context, head, response, environ.status, environ.message);
    return;
  }
  const expectation = environ.HTTP_EXPECT;
  if (expectation !== undefined) {
    if (expectation.toLowerCase() !== '100-continue') {
      refuseStream(
        context,
        head,
        response,
        417,
        `Expectation Failed: only 100-continue is supported, got ${JSON.stringify(expectation)}`,
      );
      return;
    }
    // The client waits for it before sending the body, as over HTTP/1.1.
    if (!stream.endAfterHeaders) stream.additionalHeaders({ ':status': 100 });
  }
  if (listeners.any) listeners.emit(gatewayRequest(environ, response));
  limitRequest(stream, response, requestTimeout);
  runExchange(context.app, new Exchange(environ, response, context));
}

function ignore(): void {}

/** Answers a request the app never sees with its short text, and logs it. */
function refuseStream(
  context: ServerContext,
  head: StreamHead,
  response: Http2Response,
  status: number,
  message: string,
): void {
  const text = `${message}\n`;
  sendText(response, status, text, head.method !== 'HEAD');
  logRefusal(
    context.log,
    context.errors,
    () => ({
      REQUEST_METHOD: head.method,
      REQUEST_URI: head.target,
      SERVER_PROTOCOL: HTTP2_PROTOCOL,
      REMOTE_ADDR: head.remoteAddr,
      HTTP_USER_AGENT: undefined,
      'tsgi.url_scheme': head.scheme,
    }),
    status,
    text,
  );
}
