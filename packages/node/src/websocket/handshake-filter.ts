import { type ServerOptions as HttpServerOptions, IncomingMessage, Server } from 'node:http';
import { offeredProtocols, type UpgradeFields, upgradeProblem } from '@tsgi/spec';

/** A `node:http` request as the RFC 6455 checks of `@tsgi/spec` read it. */
function fieldsOf(req: IncomingMessage): UpgradeFields {
  return {
    method: req.method ?? '',
    protocol: `HTTP/${req.httpVersion}`,
    field: (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/**
 * Why `req` is not a WebSocket opening handshake TSGI accepts, or undefined
 * when it is: RFC 6455 §4.2.1 (`upgradeProblem`), well-formed subprotocols,
 * and `Upgrade` being exactly `websocket`, as `ws` requires.
 */
export function webSocketProblem(req: IncomingMessage): string | undefined {
  const problem = upgradeProblem(fieldsOf(req));
  if (problem !== undefined) return problem;
  if (req.headers.upgrade?.trim().toLowerCase() !== 'websocket')
    return 'Upgrade must be websocket alone';
  const offered = req.headers['sec-websocket-protocol'];
  if (offered !== undefined && offeredProtocols(offered) === undefined)
    return 'Sec-WebSocket-Protocol is not a list of distinct tokens';
  return undefined;
}

/** True when `req` is a valid WebSocket upgrade: only those leave the HTTP request path. */
export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return webSocketProblem(req) === undefined;
}

/**
 * Node 20's request class with the `shouldUpgradeCallback` of later Nodes:
 * node:http reads `req.upgrade` once the head is parsed to choose between
 * the `'upgrade'` event and the request listener, so an upgrade other than
 * a valid WebSocket one (an `h2c` offer, a bad handshake) reads as false and
 * is served as a plain request, body and all. Node 20 gets no more releases,
 * so the internals this leans on no longer move.
 */
class WebSocketFilteringMessage extends IncomingMessage {
  private upgradeOffered = false;

  get upgrade(): boolean {
    return this.upgradeOffered && (this.method === 'CONNECT' || isWebSocketUpgrade(this));
  }

  set upgrade(value: boolean) {
    this.upgradeOffered = value;
  }
}

/**
 * The `node:http` server options that send valid WebSocket upgrades, and
 * only those, to the `'upgrade'` event: `shouldUpgradeCallback` where Node
 * has it (22.21, 24.9 and later), Node 20's filtering request class elsewhere.
 */
export function upgradeRouting(): Pick<HttpServerOptions, 'IncomingMessage'> {
  const server = new Server() as { shouldUpgradeCallback?: unknown };
  // Where Node takes the option, its server keeps a default callback.
  if (typeof server.shouldUpgradeCallback === 'function') {
    return { shouldUpgradeCallback: isWebSocketUpgrade } as Pick<
      HttpServerOptions,
      'IncomingMessage'
    >;
  }
  return { IncomingMessage: WebSocketFilteringMessage };
}
