import { TOKEN } from '../grammar.js';

/** The only `Sec-WebSocket-Version` RFC 6455 defines. */
export const WEBSOCKET_VERSION = '13';

/**
 * The response fields the server writes itself in a `101`: an app's
 * `accept({ headers })` may not name them (compared lower-cased).
 */
export const HANDSHAKE_FIELDS: ReadonlySet<string> = new Set([
  'upgrade',
  'connection',
  'sec-websocket-accept',
  'sec-websocket-protocol',
  'sec-websocket-extensions',
  'sec-websocket-version',
  'content-length',
  'transfer-encoding',
]);

/** A base64 encoding of 16 bytes: 22 characters and `==` (RFC 6455 §4.1, item 7). */
const NONCE = /^[A-Za-z0-9+/]{21}[AQgw]==$/;

/** The request fields an upgrade check reads, lower-case names to their values (repeats joined with `, `). */
export interface UpgradeFields {
  readonly method: string;
  readonly protocol: string;
  /** Returns the field's value (repeated lines joined with `, `), or undefined. */
  field(name: string): string | undefined;
}

/** `HTTP/1.1` and later 1.x versions: the upgrade mechanism RFC 6455 builds on is HTTP/1.1's. */
const HTTP_1_1_OR_LATER = /^HTTP\/1\.(?:[1-9]|[0-9]{2,})$/;

/** True when the comma-separated `list` holds `token`, compared case-insensitively. */
export function hasToken(list: string | undefined, token: string): boolean {
  if (list === undefined) return false;
  const wanted = token.toLowerCase();
  for (const item of list.split(',')) {
    if (item.trim().toLowerCase() === wanted) return true;
  }
  return false;
}

/**
 * Why the request is not a valid RFC 6455 opening handshake (§4.2.1), or
 * undefined when it is: a `GET` over HTTP/1.1 (or a later 1.x), a `Host`,
 * `Upgrade: websocket`, `Connection: upgrade`, a `Sec-WebSocket-Key` that is
 * the base64 of 16 bytes and `Sec-WebSocket-Version: 13`. HTTP/2 and later
 * carry WebSockets with an extended `CONNECT` (RFC 8441), not this handshake.
 */
export function upgradeProblem(request: UpgradeFields): string | undefined {
  if (request.method !== 'GET') return `a WebSocket upgrade must be GET, not ${request.method}`;
  if (!HTTP_1_1_OR_LATER.test(request.protocol))
    return `a WebSocket upgrade needs HTTP/1.1, not ${request.protocol}`;
  if (request.field('host') === undefined) return 'a WebSocket upgrade needs a Host';
  if (!hasToken(request.field('upgrade'), 'websocket')) return 'Upgrade does not name websocket';
  if (!hasToken(request.field('connection'), 'upgrade')) return 'Connection does not name upgrade';
  const key = request.field('sec-websocket-key');
  if (key === undefined || !NONCE.test(key.trim()))
    return 'Sec-WebSocket-Key is missing or not 16 bytes of base64';
  const version = request.field('sec-websocket-version');
  if (version?.trim() !== WEBSOCKET_VERSION)
    return `Sec-WebSocket-Version must be ${WEBSOCKET_VERSION}`;
  return undefined;
}

/**
 * The subprotocols offered in `Sec-WebSocket-Protocol` (all lines joined with
 * `, `), in order; undefined when one is not a token, which makes the
 * handshake invalid.
 */
export function offeredProtocols(value: string | undefined): string[] | undefined {
  if (value === undefined) return [];
  const protocols: string[] = [];
  for (const item of value.split(',')) {
    const name = item.trim();
    if (name === '') continue;
    if (!TOKEN.test(name) || protocols.includes(name)) return undefined;
    protocols.push(name);
  }
  return protocols;
}
