import type { WebSocketMessage } from '@tsgi/spec';
import { FetchWebSocket, SendStatus, type SocketTransport } from './connection.js';
import type { Switch, Switched } from './switch.js';

/** The parts of Deno's `Deno.upgradeWebSocket` the bridge uses. */
type UpgradeWebSocket = (
  request: Request,
  options?: { protocol?: string },
) => { socket: WebSocket; response: Response };

/** `Deno.upgradeWebSocket` when this runtime has it. */
export function denoUpgrader(): UpgradeWebSocket | undefined {
  const deno = (globalThis as { Deno?: { upgradeWebSocket?: unknown } }).Deno;
  const upgrade = deno?.upgradeWebSocket;
  return typeof upgrade === 'function' ? (upgrade as UpgradeWebSocket) : undefined;
}

/** The WHATWG `WebSocket.readyState` while open. */
const OPEN = 1;

/**
 * Deno's server-side `WebSocket` as a transport. It has no drain event
 * (`bufferedAmount` can only be polled), so every send counts as taken with
 * room for more: Deno buffers what a slow peer has not read.
 */
class DenoSocket implements SocketTransport {
  readonly connection: Promise<FetchWebSocket>;
  #ws: WebSocket;
  #socket: FetchWebSocket;
  #closing = false;

  constructor(ws: WebSocket, protocol: string) {
    this.#ws = ws;
    this.#socket = new FetchWebSocket(this, protocol);
    ws.binaryType = 'arraybuffer';
    this.connection = new Promise((resolve) => {
      ws.addEventListener('open', () => resolve(this.#socket), { once: true });
      ws.addEventListener(
        'close',
        (event) => {
          this.#closing = true;
          // Closed before it opened: the application gets a connection that is already over.
          resolve(this.#socket);
          this.#socket.ended(event.code, event.reason);
        },
        { once: true },
      );
    });
    ws.addEventListener('message', (event: MessageEvent) => {
      const data: unknown = event.data;
      this.#socket.receive(
        typeof data === 'string' ? data : new Uint8Array(data as ArrayBufferLike),
      );
    });
  }

  get open(): boolean {
    return !this.#closing && this.#ws.readyState === OPEN;
  }

  send(data: WebSocketMessage): SendStatus {
    this.#ws.send(data as string | Uint8Array<ArrayBuffer>);
    return SendStatus.Sent;
  }

  close(code: number, reason: string): void {
    this.#closing = true;
    this.#ws.close(code, reason);
  }
}

/**
 * The switch on Deno: `Deno.upgradeWebSocket(request, { protocol })`, whose
 * `response` the fetch handler answers with, the application's extra fields
 * added to its headers (Deno sends what they hold when it switches); the
 * connection is there at the socket's `open`.
 */
export function denoSwitch(upgrade: UpgradeWebSocket, request: Request): Switch {
  return (protocol, headers): Switched => {
    // Deno reads the offer split on ", " only, and refuses a protocol it does
    // not find there (ws offers "a,b"): such a choice goes out as a field.
    const offer = request.headers.get('sec-websocket-protocol') ?? '';
    const byOption = protocol !== '' && offer.split(', ').includes(protocol);
    if (protocol !== '' && !byOption) headers.set('sec-websocket-protocol', protocol);
    const { socket, response } = upgrade(request, byOption ? { protocol } : undefined);
    try {
      headers.forEach((value, name) => {
        if (name === 'set-cookie') return;
        response.headers.set(name, value);
      });
      for (const cookie of headers.getSetCookie()) response.headers.append('set-cookie', cookie);
    } catch (error) {
      throw new TypeError(
        `accept: this Deno does not let the 101 response carry extra headers (${String(error)}); accept without headers`,
      );
    }
    return { response, connection: new DenoSocket(socket, protocol).connection };
  };
}
