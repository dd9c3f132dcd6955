import type { FetchWebSocket } from './connection.js';

/** What a runtime's switch gives back: the handler's answer, and the connection to come. */
export interface Switched {
  /** What the fetch handler resolves to: Deno's `101` response, or `undefined` on Bun. */
  readonly response: Response | undefined;
  /** Resolves once the socket is open (or already closed, if the client went away first). */
  readonly connection: Promise<FetchWebSocket>;
}

/**
 * Switches one request to WebSocket on its runtime, with the chosen
 * subprotocol (`''` for none) and the application's extra `101` fields.
 * Throws when the runtime refuses.
 */
export type Switch = (protocol: string, headers: Headers) => Switched;
