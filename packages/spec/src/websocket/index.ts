export {
  closeProblem,
  isAppCloseCode,
  isWireCloseCode,
  MAX_CLOSE_REASON_BYTES,
} from './close-codes.js';
export {
  HANDSHAKE_FIELDS,
  hasToken,
  offeredProtocols,
  type UpgradeFields,
  upgradeProblem,
  WEBSOCKET_VERSION,
} from './handshake.js';
export type {
  WebSocketAcceptOptions,
  WebSocketClose,
  WebSocketConnection,
  WebSocketMessage,
  WebSocketUpgrade,
} from './types.js';
