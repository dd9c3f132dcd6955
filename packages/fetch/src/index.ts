export {
  type FetchHandlerFunction,
  type FromFetchHandlerOptions,
  fromFetchHandler,
} from './from-fetch/application.js';
export { consoleErrors } from './to-fetch/console-errors.js';
export {
  type FetchHandler,
  type ToFetchHandlerOptions,
  toFetchHandler,
} from './to-fetch/handler.js';
export { type Peer, type PeerLookup, runtimePeer } from './to-fetch/peer.js';
export type {
  BunServerWebSocket,
  BunWebSocketHandlers,
} from './to-fetch/websocket/bun.js';
