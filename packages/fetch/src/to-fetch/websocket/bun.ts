import type { WebSocketMessage } from '@tsgi/spec';
import { FetchWebSocket, SendStatus, type SocketTransport } from './connection.js';
import type { Switch, Switched } from './switch.js';

/** The parts of Bun's `ServerWebSocket` the bridge uses. */
export interface BunServerWebSocket {
  readonly data: unknown;
  readonly readyState: number;
  binaryType?: string;
  send(data: string | Uint8Array): number;
  close(code?: number, reason?: string): void;
}

/** The parts of Bun's `Server` (the fetch handler's second argument) the bridge uses. */
interface BunServer {
  upgrade(request: Request, options: { data: unknown; headers?: Headers }): boolean;
}

/**
 * The `websocket` handlers of `Bun.serve` that carry Bun's WebSocket events
 * to the bridge's connections. Give them to `Bun.serve` beside the handler:
 * `Bun.serve({ fetch: handler, websocket: handler.websocket })`.
 */
export interface BunWebSocketHandlers {
  open(ws: BunServerWebSocket): void;
  message(ws: BunServerWebSocket, message: string | Uint8Array): void;
  drain(ws: BunServerWebSocket): void;
  close(ws: BunServerWebSocket, code: number, reason: string): void;
}

/** Bun's `ServerWebSocket.readyState` while open. */
const OPEN = 1;

/** One upgraded request on Bun: the `data` Bun keeps with the socket until it opens and after. */
class BunSocket implements SocketTransport {
  readonly connection: Promise<FetchWebSocket>;
  #protocol: string;
  #ws: BunServerWebSocket | undefined;
  #socket: FetchWebSocket | undefined;
  #closing = false;
  #resolve!: (socket: FetchWebSocket) => void;

  constructor(protocol: string) {
    this.#protocol = protocol;
    this.connection = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  get open(): boolean {
    return !this.#closing && this.#ws !== undefined && this.#ws.readyState === OPEN;
  }

  send(data: WebSocketMessage): SendStatus {
    const status = this.#ws!.send(data);
    // -1: queued behind backpressure; 0: dropped, but an empty message also gives 0.
    if (status === -1) return SendStatus.Pressure;
    if (status === 0 && (typeof data === 'string' ? data.length : data.byteLength) > 0)
      return SendStatus.Dropped;
    return SendStatus.Sent;
  }

  close(code: number, reason: string): void {
    this.#closing = true;
    this.#ws?.close(code, reason);
  }

  opened(ws: BunServerWebSocket): void {
    ws.binaryType = 'uint8array';
    this.#ws = ws;
    this.#socket = new FetchWebSocket(this, this.#protocol);
    this.#resolve(this.#socket);
  }

  message(message: string | Uint8Array): void {
    this.#socket?.receive(message);
  }

  drained(): void {
    this.#socket?.drained();
  }

  ended(code: number, reason: string): void {
    this.#closing = true;
    let socket = this.#socket;
    if (socket === undefined) {
      // Closed before it opened: the application gets a connection that is already over.
      socket = new FetchWebSocket(this, this.#protocol);
      this.#socket = socket;
      this.#resolve(socket);
    }
    socket.ended(code, reason);
  }
}

/** The socket's bridge state, or undefined for a socket another upgrade made. */
function state(ws: BunServerWebSocket): BunSocket | undefined {
  return ws.data instanceof BunSocket ? ws.data : undefined;
}

/** One set of handlers serves every `toFetchHandler`: each socket carries its own state in `data`. */
export const BUN_WEBSOCKET: BunWebSocketHandlers = Object.freeze({
  open: (ws: BunServerWebSocket) => state(ws)?.opened(ws),
  message: (ws: BunServerWebSocket, message: string | Uint8Array) => state(ws)?.message(message),
  drain: (ws: BunServerWebSocket) => state(ws)?.drained(),
  close: (ws: BunServerWebSocket, code: number, reason: string) =>
    state(ws)?.ended(code, reason ?? ''),
});

/** True when `info` is Bun's `Server`, which can upgrade. */
export function isBunServer(info: unknown): info is BunServer {
  return (
    info !== null && typeof info === 'object' && typeof (info as BunServer).upgrade === 'function'
  );
}

/**
 * The switch on Bun: `server.upgrade(request, { data, headers })`, after
 * which the fetch handler answers `undefined` and Bun sends the `101`; the
 * connection is there when Bun's `open` runs.
 */
export function bunSwitch(server: BunServer, request: Request): Switch {
  return (protocol, headers): Switched => {
    const socket = new BunSocket(protocol);
    if (protocol !== '') headers.set('sec-websocket-protocol', protocol);
    if (!server.upgrade(request, { data: socket, headers })) {
      throw new Error('accept: Bun refused to upgrade the request (server.upgrade returned false)');
    }
    return { response: undefined, connection: socket.connection };
  };
}
