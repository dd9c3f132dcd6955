import { TsgiValidationError } from '../errors.js';
import { HANDSHAKE_FIELDS, offeredProtocols, upgradeProblem } from '../websocket/handshake.js';
import type { WebSocketConnection, WebSocketUpgrade } from '../websocket/types.js';
import { checkHeaders } from './headers.js';
import type { ResponseState } from './response-state.js';
import { isThenable } from './thenable.js';
import { show, violation } from './violation.js';
import { wrapConnection } from './websocket-connection.js';

/** The request as `upgradeProblem` reads it, from the environ's CGI and `HTTP_*` keys. */
function handshakeOf(env: Record<string, unknown>) {
  return {
    method: String(env.REQUEST_METHOD),
    protocol: String(env.SERVER_PROTOCOL),
    field: (name: string) => {
      const value = env[`HTTP_${name.toUpperCase().replaceAll('-', '_')}`];
      return typeof value === 'string' ? value : undefined;
    },
  };
}

/**
 * Checks `tsgi.websocket` when the environ has it: the request is a valid
 * opening handshake (ws.1), and the offer has the shape and the
 * subprotocols of that handshake (ws.3). Reads only.
 */
export function checkWebSocketOffer(env: Record<string, unknown>): void {
  if (!('tsgi.websocket' in env)) return;
  // [ws.1] present only on a valid RFC 6455 opening handshake.
  const problem = upgradeProblem(handshakeOf(env));
  if (problem !== undefined) {
    throw violation('ws.1', `tsgi.websocket is set, but ${problem}`);
  }
  const offered = offeredProtocols(handshakeOf(env).field('sec-websocket-protocol'));
  if (offered === undefined) {
    throw violation(
      'ws.1',
      `tsgi.websocket is set, but Sec-WebSocket-Protocol is ${show(env.HTTP_SEC_WEBSOCKET_PROTOCOL)}`,
    );
  }
  // [ws.3] { protocols: the offered subprotocols in order, accept: function }.
  const upgrade = env['tsgi.websocket'] as Record<string, unknown> | null;
  if (upgrade === null || typeof upgrade !== 'object') {
    throw violation('ws.3', `tsgi.websocket is ${show(upgrade)}`);
  }
  const protocols = upgrade.protocols;
  if (
    !Array.isArray(protocols) ||
    protocols.length !== offered.length ||
    protocols.some((name, i) => name !== offered[i])
  ) {
    throw violation(
      'ws.3',
      `tsgi.websocket.protocols is ${show(protocols)}${Array.isArray(protocols) ? ` [${protocols.map(show).join(', ')}]` : ''}, but the client offered [${offered.map(show).join(', ')}]`,
    );
  }
  if (typeof upgrade.accept !== 'function') {
    throw violation('ws.3', `tsgi.websocket.accept is ${show(upgrade.accept)}`);
  }
}

/** Checks the arguments of `accept()` (ws.5, ws.6) and returns the chosen subprotocol, `''` for none. */
function checkAcceptOptions(args: unknown[], protocols: readonly string[]): string {
  // [ws.5] no argument, or an options object whose protocol is one of protocols.
  if (args.length > 1) throw violation('ws.5', `accept() was called with ${args.length} arguments`);
  const options = args[0];
  if (options === undefined) return '';
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw violation('ws.5', `accept() was called with ${show(options)}`);
  }
  const { protocol, headers } = options as { protocol?: unknown; headers?: unknown };
  if (protocol !== undefined && (typeof protocol !== 'string' || !protocols.includes(protocol))) {
    throw violation(
      'ws.5',
      `accept() chose the subprotocol ${show(protocol)}, but the client offered [${protocols.map(show).join(', ')}]`,
    );
  }
  // [ws.6] headers keep the startResponse header rules and name no handshake field.
  if (headers !== undefined) {
    if (!Array.isArray(headers)) throw violation('ws.6', `accept() headers are ${show(headers)}`);
    for (const pair of headers as unknown[]) {
      const name = Array.isArray(pair) ? pair[0] : undefined;
      if (typeof name === 'string' && HANDSHAKE_FIELDS.has(name.toLowerCase())) {
        throw violation('ws.6', `accept() headers set ${name}, a field of the handshake`);
      }
    }
    try {
      checkHeaders(headers, 101);
    } catch (error) {
      if (!(error instanceof TsgiValidationError)) throw error;
      const detail = error.message.slice(0, error.message.indexOf('. SPEC.md: '));
      throw violation('ws.6', `accept() headers break ${detail}`);
    }
  }
  return protocol ?? '';
}

/**
 * Wraps `tsgi.websocket` (already checked by `checkWebSocketOffer`) so that
 * the application's `accept()` is checked: called once, before
 * `startResponse` and before the body is returned (ws.4), with good options
 * (ws.5, ws.6); the connection it gives is wrapped in turn (ws.10 on). From
 * the call on, the response state knows the upgrade was accepted (ws.7).
 */
export function wrapUpgrade(upgrade: WebSocketUpgrade, state: ResponseState): WebSocketUpgrade {
  const protocols = upgrade.protocols;
  return {
    protocols,
    accept(...args: unknown[]): WebSocketConnection | Promise<WebSocketConnection> {
      // [ws.4] at most once, never after startResponse, before the body is returned.
      if (state.accepted) throw violation('ws.4', 'accept() was called a second time');
      if (state.started) throw violation('ws.4', 'accept() was called after startResponse');
      if (state.returned) {
        throw violation('ws.4', 'accept() was called after the application returned its body');
      }
      const chosen = checkAcceptOptions(args, protocols);
      state.accepted = true;
      const connection: unknown = Reflect.apply(upgrade.accept, upgrade, args);
      if (isThenable(connection)) {
        return Promise.resolve(connection).then((c) => wrapConnection(c, chosen, state.report));
      }
      return wrapConnection(connection, chosen, state.report);
    },
  };
}
