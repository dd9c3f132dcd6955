import type { HeaderList } from '../header-list.js';

/** A WebSocket message: text as a `string`, binary as a `Uint8Array`. */
export type WebSocketMessage = string | Uint8Array;

/** How a WebSocket connection ended: the close code and reason (RFC 6455 §7.1.5, §7.1.6). */
export interface WebSocketClose {
  /** The close code; 1005 when the close frame carried none, 1006 when the connection dropped without one. */
  readonly code: number;
  /** The close reason, `''` when none was given. */
  readonly reason: string;
}

/** What `accept()` takes. */
export interface WebSocketAcceptOptions {
  /** The subprotocol to speak: one of `protocols`, sent back as `Sec-WebSocket-Protocol`. */
  protocol?: string;
  /**
   * Extra headers for the `101 Switching Protocols` response (a cookie, say).
   * The handshake fields (`Upgrade`, `Connection`, `Sec-WebSocket-*`) are the
   * server's and may not be among them.
   */
  headers?: HeaderList;
}

/**
 * One accepted WebSocket, as the application sees it: whole messages in,
 * whole messages out. The server owns framing, masking, UTF-8 checks,
 * fragmentation, ping/pong and the size limit.
 *
 * @example
 * const socket = await environ['tsgi.websocket'].accept();
 * for await (const message of socket) await socket.send(message);
 */
export interface WebSocketConnection extends AsyncIterable<WebSocketMessage> {
  /** The subprotocol chosen at `accept()`, `''` when none. */
  readonly protocol: string;
  /**
   * Sends one message. Resolves once the message is handed to the socket and
   * the socket can take more, so an app that awaits it holds at most the
   * socket's high-water mark for a peer that stops reading. Rejects when the
   * connection is closing or closed.
   */
  send(data: WebSocketMessage): Promise<void>;
  /**
   * Starts the closing handshake with `code` (1000 by default; any code
   * `isAppCloseCode` allows) and `reason` (at most 123 bytes of UTF-8);
   * resolves when the connection is closed.
   */
  close(code?: number, reason?: string): Promise<void>;
  /** Resolves once, when the connection is closed, with the code and reason. */
  readonly closed: Promise<WebSocketClose>;
}

/**
 * `environ['tsgi.websocket']`: present only when the request is a valid
 * RFC 6455 upgrade on a server that can switch protocols.
 */
export interface WebSocketUpgrade {
  /** The subprotocols the client offered in `Sec-WebSocket-Protocol`, in order. */
  readonly protocols: readonly string[];
  /**
   * Accepts the upgrade: the server sends the `101` itself. The application
   * that accepts returns an empty body and never calls `startResponse`; one
   * that calls `startResponse` instead denies the upgrade with that response.
   */
  accept(options?: WebSocketAcceptOptions): WebSocketConnection | Promise<WebSocketConnection>;
}
