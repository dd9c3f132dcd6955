import type { WebSocketClose, WebSocketConnection, WebSocketMessage } from '@tsgi/spec';

const GONE: WebSocketClose = { code: 1006, reason: '' };

/**
 * What `accept()` returns when the client left before the handshake could be
 * answered: a connection that is already closed (1006, no close frame), so
 * the app's loop ends and its sends reject, as for any dropped peer.
 */
export class GoneSocket implements WebSocketConnection {
  readonly protocol: string;
  readonly closed: Promise<WebSocketClose> = Promise.resolve(GONE);

  constructor(protocol: string | undefined) {
    this.protocol = protocol ?? '';
  }

  send(_data: WebSocketMessage): Promise<void> {
    return Promise.reject(
      new Error('the WebSocket is closed: the client left during the handshake'),
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  [Symbol.asyncIterator](): AsyncIterator<WebSocketMessage> {
    return { next: () => Promise.resolve({ done: true, value: undefined }) };
  }
}
