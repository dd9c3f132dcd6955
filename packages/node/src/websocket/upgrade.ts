import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import {
  HANDSHAKE_FIELDS,
  type HeaderList,
  isFieldValue,
  isToken,
  type WebSocketAcceptOptions,
  type WebSocketConnection,
  type WebSocketUpgrade,
} from '@tsgi/spec';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Exchange } from '../response/exchange.js';
import { NodeWebSocket } from './connection.js';
import { GoneSocket } from './gone-socket.js';
import type { OpenSockets } from './open-sockets.js';

/** What `accept()` asked of the handshake, read by the `ws` server's hooks. */
export interface AcceptPlan {
  readonly protocol: string | undefined;
  readonly headers: readonly string[];
}

/** The plans of handshakes under way, keyed by request. */
export const acceptPlans = new WeakMap<IncomingMessage, AcceptPlan>();

/**
 * `environ['tsgi.websocket']` on `@tsgi/node`'s HTTP listener. `accept()`
 * ends the request's exchange (the access log shows 101) and hands the socket
 * to `ws`, which writes the 101 and owns the framing from then on.
 */
export class NodeUpgrade implements WebSocketUpgrade {
  readonly protocols: readonly string[];
  private readonly req: IncomingMessage;
  private readonly socket: Socket;
  private readonly head: Buffer;
  private readonly wss: WebSocketServer;
  private readonly sockets: OpenSockets;
  private readonly release: () => void;
  private exchange: Exchange | undefined;
  private connection: NodeWebSocket | undefined;

  /** `release` gives the socket back from the response it was lent to, before `ws` takes it. */
  constructor(
    req: IncomingMessage,
    socket: Socket,
    head: Buffer,
    protocols: readonly string[],
    wss: WebSocketServer,
    sockets: OpenSockets,
    release: () => void,
  ) {
    this.req = req;
    this.socket = socket;
    this.head = head;
    this.protocols = protocols;
    this.wss = wss;
    this.sockets = sockets;
    this.release = release;
  }

  /** The exchange of the handshake request, known before the app runs. */
  bind(exchange: Exchange): void {
    this.exchange = exchange;
  }

  accept(options: WebSocketAcceptOptions = {}): WebSocketConnection {
    if (this.connection !== undefined) throw new Error('tsgi.websocket.accept() was called twice');
    const plan = planOf(options, this.protocols);
    this.exchange?.switchProtocols();
    const socket = this.socket;
    if (socket.destroyed || !socket.readable || !socket.writable)
      return new GoneSocket(plan.protocol);
    this.release();
    acceptPlans.set(this.req, plan);
    let accepted: WebSocket | undefined;
    this.wss.handleUpgrade(this.req, socket, this.head, (ws) => {
      accepted = ws;
    });
    acceptPlans.delete(this.req);
    // ws answers synchronously; it refused (and wrote a 400) only if it saw a handshake we did not.
    if (accepted === undefined) return new GoneSocket(plan.protocol);
    const connection = new NodeWebSocket(accepted, socket, this.sockets.counts);
    this.connection = connection;
    this.sockets.add(connection);
    return connection;
  }

  /** The app failed after it accepted: the peer gets 1011 (Internal Error). */
  failed(): void {
    this.connection?.closeBy(1011, 'internal error');
  }
}

/** Checks `accept()`'s options; throws a TypeError naming the problem. */
function planOf(options: WebSocketAcceptOptions, offered: readonly string[]): AcceptPlan {
  const { protocol, headers = [] } = options;
  if (protocol !== undefined && !offered.includes(protocol)) {
    throw new TypeError(
      `tsgi.websocket.accept(): protocol ${JSON.stringify(protocol)} was not offered (offered: ${offered.join(', ') || 'none'})`,
    );
  }
  return { protocol, headers: headerLines(headers) };
}

/** The 101's extra header lines, each checked. */
function headerLines(headers: HeaderList): string[] {
  const lines: string[] = [];
  for (const entry of headers) {
    const [name, value] = entry;
    if (typeof name !== 'string' || !isToken(name))
      throw new TypeError(`tsgi.websocket.accept(): invalid header name ${JSON.stringify(name)}`);
    if (HANDSHAKE_FIELDS.has(name.toLowerCase()))
      throw new TypeError(`tsgi.websocket.accept(): ${name} is the server's to send`);
    if (typeof value !== 'string' || !isFieldValue(value))
      throw new TypeError(`tsgi.websocket.accept(): invalid value for header ${name}`);
    lines.push(`${name}: ${value}`);
  }
  return lines;
}
