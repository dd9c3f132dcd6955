import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type Application, isProblem, offeredProtocols } from '@tsgi/spec';
import type { WebSocketServer } from 'ws';
import type { ListenerRequest } from '../contracts/request-events.js';
import type { RequestListeners } from '../lifecycle/request-events.js';
import type { ServerContext } from '../options/server-context.js';
import { Exchange } from '../response/exchange.js';
import { runExchange } from '../response/run-application.js';
import type { OpenSockets } from '../websocket/open-sockets.js';
import { NodeUpgrade } from '../websocket/upgrade.js';
import { refuse } from './create-handler.js';
import { httpRequest } from './listener-request.js';
import { environFromRequest } from './request-head.js';

/** Socket errors before `ws` takes over (a reset mid-handshake) end the socket, nothing more. */
function ignoreSocketError(): void {}

/**
 * The HTTP server's `'upgrade'` listener, which only valid WebSocket
 * handshakes reach (`upgradeRouting`). The request runs like any other, with
 * `environ['tsgi.websocket']` set, on a response lent the socket: an app that
 * answers with `startResponse` denies the upgrade and that response goes out
 * (then the connection closes); one that calls `accept()` gets the socket
 * back from the response and hands it to `ws`.
 */
export function upgradeListener(
  context: ServerContext,
  listeners: RequestListeners | undefined,
  wss: WebSocketServer,
  sockets: OpenSockets,
): (req: IncomingMessage, socket: Socket, head: Buffer) => void {
  return (req, socket, head) => {
    // A handshake on a kept-alive connection (something was written on it
    // before) to a server that is draining: drop it unanswered, as an idle
    // connection closing, so the proxy or client retries it on a new
    // connection, to a new worker, instead of opening a WebSocket here that
    // the drain will have to cut.
    if (context.closing && socket.bytesWritten > 0) {
      socket.destroy();
      return;
    }
    socket.on('error', ignoreSocketError);
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    // node:http does not watch this socket any more: close it after the answer.
    res.on('finish', () => socket.destroySoon());
    const request = new UpgradeRequest(httpRequest(req, res));
    res.on('close', request.end);
    if (listeners?.any) listeners.emit(request);
    const environ = environFromRequest(req, context);
    if (isProblem(environ)) {
      refuse(req, res, environ, context);
      return;
    }
    const protocols = offeredProtocols(req.headers['sec-websocket-protocol']) ?? [];
    const upgrade = new NodeUpgrade(req, socket, head, protocols, wss, sockets, () => {
      res.detachSocket(socket);
      request.end();
    });
    environ['tsgi.websocket'] = upgrade;
    const exchange = new Exchange(environ, res, context);
    upgrade.bind(exchange);
    runExchange(closingOnFailure(context.app, upgrade), exchange);
  };
}

/**
 * The handshake request as the listener's `'request'` event reports it: it
 * ends when the response does or when the app accepts, so a long-lived
 * WebSocket is never a request in flight (harakiri, drain counts).
 */
class UpgradeRequest implements ListenerRequest {
  readonly method: string;
  readonly target: string;
  readonly scheme: string | undefined;
  private readonly inner: ListenerRequest;
  private listeners: Array<() => void> | undefined = [];

  constructor(inner: ListenerRequest) {
    this.inner = inner;
    this.method = inner.method;
    this.target = inner.target;
    this.scheme = inner.scheme;
    this.end = this.end.bind(this);
  }

  abort(status: number, text: string): void {
    if (this.listeners !== undefined) this.inner.abort(status, text);
  }

  onClose(listener: () => void): void {
    if (this.listeners === undefined) listener();
    else this.listeners.push(listener);
  }

  /** Runs the close listeners once. */
  end(): void {
    const listeners = this.listeners;
    if (listeners === undefined) return;
    this.listeners = undefined;
    for (const listener of listeners) listener();
  }
}

/** `app`, with its failure after an accept closing the WebSocket with 1011. */
function closingOnFailure(app: Application, upgrade: NodeUpgrade): Application {
  return (environ, startResponse) => {
    let result: ReturnType<Application>;
    try {
      result = app(environ, startResponse);
    } catch (error) {
      upgrade.failed();
      throw error;
    }
    if (result !== null && typeof (result as Promise<unknown>).then === 'function') {
      return (result as Promise<Awaited<ReturnType<Application>>>).then(undefined, (error) => {
        upgrade.failed();
        throw error;
      });
    }
    return result;
  };
}
