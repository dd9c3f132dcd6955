import { type Application, jsonResponse } from '@tsgi/spec';
import { ClientStream } from '../events/client-stream.js';
import type { CreationHub } from '../events/hub.js';

/** The subprotocol of `GET /items/events`, chosen when the client offers it. */
export const EVENTS_PROTOCOL = 'items.v1';

/**
 * Whether a browser page from `origin` may open the stream: any origin when
 * the CORS list is `'*'`, else only one on the list (exact match, as the
 * CORS middleware compares them). A WebSocket is not under the same-origin
 * policy, so without this check any site could open it from a visitor's
 * browser, with the visitor's cookies (cross-site WebSocket hijacking).
 */
export function originAllowed(origin: string, corsOrigins: '*' | readonly string[]): boolean {
  return corsOrigins === '*' || corsOrigins.includes(origin);
}

/**
 * `GET /items/events`: a WebSocket that receives a text message
 * `{"type": "item.created", "item": {"id", "name", "stock"}}` for every item
 * committed after the handshake, by any worker or host (see `CreationHub`).
 *
 * - not a WebSocket upgrade: 426 `{"error": …}` naming what is missing;
 * - an `Origin` outside `corsOrigins`: 403 `{"error": …}`, not upgraded;
 * - the database out of reach when the feed starts: 503 (by `answerUnavailable`);
 * - accepted with the subprotocol `items.v1` when offered, with none when
 *   none is offered; other subprotocols only: 400 `{"error": …}`;
 * - a message from the client: closed with 1008; a client more than
 *   `MAX_BEHIND` events behind: closed with 1013 (see `ClientStream`).
 */
export function eventsView(hub: CreationHub, corsOrigins: '*' | readonly string[]): Application {
  return async (environ, startResponse) => {
    const upgrade = environ['tsgi.websocket'];
    if (upgrade === undefined) {
      return jsonResponse(startResponse, 426, {
        error:
          'GET /items/events is a WebSocket: open it with a WebSocket client (Upgrade: websocket, Connection: Upgrade, Sec-WebSocket-Version: 13); behind a proxy, the proxy must pass the upgrade on',
      });
    }
    const origin = environ.HTTP_ORIGIN;
    if (origin !== undefined && !originAllowed(origin, corsOrigins)) {
      return jsonResponse(startResponse, 403, {
        error: `origin ${JSON.stringify(origin)} may not open /items/events (CORS_ORIGINS)`,
      });
    }
    const offered = upgrade.protocols;
    if (offered.length > 0 && !offered.includes(EVENTS_PROTOCOL)) {
      // Accepted without one of them, the client would fail the connection itself (RFC 6455 §4.1).
      return jsonResponse(startResponse, 400, {
        error: `/items/events speaks the subprotocol ${EVENTS_PROTOCOL} (or none), not ${offered.join(', ')}`,
      });
    }
    const stream = new ClientStream(hub);
    // Joined before the 101: every item committed after the client sees it is sent.
    const leave = await hub.join(stream.wake);
    let socket: Awaited<ReturnType<typeof upgrade.accept>>;
    try {
      socket = await upgrade.accept(offered.length > 0 ? { protocol: EVENTS_PROTOCOL } : undefined);
    } catch (error) {
      leave();
      throw error;
    }
    stream.run(socket).then(leave, (error: unknown) => {
      leave();
      environ['tsgi.errors'].write(`GET /items/events: ${(error as Error)?.message ?? error}\n`);
    });
    return [];
  };
}
