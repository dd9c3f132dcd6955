import {
  type Application,
  concatBytes,
  isProblem,
  type ResponseBody,
  type StartResponse,
} from '@tsgi/spec';
import { buildEnviron } from '../environ-builder.js';
import { type ErrorLog, RequestErrors } from '../error-log.js';
import { plainResponse } from '../in-process.js';
import { EMPTY_INPUT } from '../in-process-input.js';
import type { OutgoingRequest } from '../outgoing-request.js';
import { TestResponse } from '../response.js';
import { bodyOrThrow, drain, noBodyAllowed, ResponseCollector } from '../response-collector.js';
import { WebSocketDenied } from './denied.js';
import { InMemoryUpgrade } from './in-memory.js';
import {
  acceptValue,
  handshakeHeaders,
  type WebSocketRequest,
  type WebSocketTransport,
  websocketKey,
  websocketUrl,
} from './request.js';
import { TestWebSocket, type WebSocketLink } from './test-websocket.js';

/** Options of {@link inProcessWebSocket}. */
export interface InProcessWebSocketOptions {
  scriptName: string;
  log: ErrorLog;
}

/** The body of an app that accepted: it must yield no bytes. */
class AcceptedBody extends ResponseCollector {
  override push(chunk: unknown): void {
    if (chunk instanceof Uint8Array && chunk.byteLength === 0) return;
    throw new Error(
      'the app accepted the WebSocket but its body produced a chunk; an app that accepts returns an empty body',
    );
  }
}

/**
 * Opens a WebSocket to the app directly, no socket: builds the handshake's
 * environ with an in-memory `tsgi.websocket`, calls the app (wrapped in
 * `validate()` by the client), and resolves when the app accepts. When the app
 * calls `startResponse` instead, its response is collected and thrown as
 * {@link WebSocketDenied}. An error the app throws before accepting comes out
 * unchanged; one after accepting closes the connection with 1011 and rejects
 * the socket's reads and `closed` with it.
 */
export function inProcessWebSocket(
  app: Application,
  options: InProcessWebSocketOptions,
): WebSocketTransport {
  const { scriptName, log } = options;
  return async function open(request: WebSocketRequest): Promise<TestWebSocket> {
    const url = websocketUrl(request.location);
    const httpUrl = request.location.origin.href + request.location.target;
    const key = websocketKey();
    const outgoing: OutgoingRequest = {
      method: 'GET',
      location: request.location,
      headers: handshakeHeaders(request, key),
      body: undefined,
      environ: request.environ,
      stream: false,
    };
    const errors = new RequestErrors(log);
    const environ = buildEnviron(outgoing, scriptName, EMPTY_INPUT, errors);
    if (isProblem(environ)) {
      const response = plainResponse(environ.status, environ.message, 'GET', httpUrl, errors);
      throw new WebSocketDenied(url, response, await response.text());
    }

    let link: WebSocketLink | undefined;
    let signalAccepted!: () => void;
    const accepted = new Promise<undefined>((resolve) => {
      signalAccepted = () => resolve(undefined);
    });
    const upgrade = new InMemoryUpgrade(request.protocols, {
      accepted(side, extra) {
        const headers = new Headers([
          ['Upgrade', 'websocket'],
          ['Connection', 'Upgrade'],
          ['Sec-WebSocket-Accept', acceptValue(key)],
        ]);
        if (side.protocol !== '') headers.append('Sec-WebSocket-Protocol', side.protocol);
        for (const [name, value] of extra) headers.append(name, value);
        link = { ...side, url, headers, send: side.send, close: side.close };
        signalAccepted();
      },
    });
    environ['tsgi.websocket'] = upgrade;

    const collector = new ResponseCollector();
    const startResponse: StartResponse = (status, headers, excInfo) => {
      upgrade.deny();
      return collector.startResponse(status, headers, excInfo);
    };
    const run = (async () => bodyOrThrow(await app(environ, startResponse)))();
    const first = await Promise.race([accepted, run]);

    if (upgrade.accepted && link !== undefined) {
      run
        .then((body) => drain(body, new AcceptedBody()))
        .then(
          () => upgrade.finished(),
          (error: unknown) => upgrade.finished({ error }),
        );
      return new TestWebSocket(link, request.timeout);
    }
    const response = await deniedResponse(first as ResponseBody, collector, httpUrl, errors);
    throw new WebSocketDenied(url, response, await response.text());
  };
}

/** The response of an app that answered the upgrade with `startResponse`. */
async function deniedResponse(
  body: ResponseBody,
  collector: ResponseCollector,
  url: string,
  errors: RequestErrors,
): Promise<TestResponse> {
  await drain(body, collector);
  const status = collector.status;
  if (status === undefined) {
    throw new Error(
      'the app neither accepted the WebSocket (environ["tsgi.websocket"].accept()) nor called startResponse',
    );
  }
  const code = Number(status.slice(0, 3));
  return new TestResponse({
    status: code,
    statusText: status.slice(4),
    headerList: collector.headers!,
    bytes: noBodyAllowed('GET', code) ? new Uint8Array(0) : concatBytes(collector.chunks),
    url,
    errors,
  });
}
