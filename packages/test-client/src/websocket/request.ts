import { createHash, randomBytes } from 'node:crypto';
import type { HeaderPairs } from '../request-headers.js';
import type { Location } from '../request-target.js';
import type { TestWebSocket } from './test-websocket.js';

/** The GUID RFC 6455 §1.3 appends to the key to make `Sec-WebSocket-Accept`. */
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The request fields of the opening handshake, which the client writes itself. */
const HANDSHAKE_REQUEST_FIELDS = new Set([
  'upgrade',
  'connection',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-protocol',
  'sec-websocket-extensions',
]);

/** Throws a `TypeError` naming a handshake field among the test's headers: the client writes those. */
export function checkHandshakeHeaders(headers: HeaderPairs): void {
  for (const [name] of headers) {
    const lower = name.toLowerCase();
    if (HANDSHAKE_REQUEST_FIELDS.has(lower)) {
      throw new TypeError(
        `test-client: the client writes the ${name} header of a WebSocket handshake itself${lower === 'sec-websocket-protocol' ? '; use { protocols }' : ''}`,
      );
    }
  }
}

/** Adds the cookie jar's `Cookie` value, merged into a `Cookie` header the test gave. */
export function addCookie(headers: HeaderPairs, cookie: string): void {
  const index = headers.findIndex(([name]) => name.toLowerCase() === 'cookie');
  if (index === -1) headers.push(['cookie', cookie]);
  else headers[index] = [headers[index]![0], `${headers[index]![1]}; ${cookie}`];
}

/** A WebSocket opening handshake resolved by the client, ready for a transport. */
export interface WebSocketRequest {
  location: Location;
  /** The headers the test asked for (the client's defaults merged with its own, and cookies); not the handshake fields. */
  headers: HeaderPairs;
  /** The subprotocols to offer, in order. */
  protocols: string[];
  /** In-process environ overrides. */
  environ: Record<string, unknown> | undefined;
  /** The bound of the handshake and of `receive()`, in ms. */
  timeout: number;
}

/** Opens a WebSocket: resolves when the app accepted, rejects with `WebSocketDenied` when it answered instead. */
export type WebSocketTransport = (request: WebSocketRequest) => Promise<TestWebSocket>;

/** The `ws:` or `wss:` URL of a location. */
export function websocketUrl(location: Location): string {
  const { origin, target } = location;
  return `${origin.scheme === 'https' ? 'wss' : 'ws'}://${origin.host}${target}`;
}

/** A fresh `Sec-WebSocket-Key`: 16 random bytes in base64 (RFC 6455 §4.1). */
export function websocketKey(): string {
  return randomBytes(16).toString('base64');
}

/** The `Sec-WebSocket-Accept` a server answers to `key` (RFC 6455 §4.2.2). */
export function acceptValue(key: string): string {
  return createHash('sha1')
    .update(key + GUID)
    .digest('base64');
}

/** The opening handshake's request fields, after the test's own headers, as a client sends them. */
export function handshakeHeaders(request: WebSocketRequest, key: string): HeaderPairs {
  const headers: HeaderPairs = [
    ...request.headers,
    ['Upgrade', 'websocket'],
    ['Connection', 'Upgrade'],
    ['Sec-WebSocket-Key', key],
    ['Sec-WebSocket-Version', '13'],
  ];
  if (request.protocols.length > 0)
    headers.push(['Sec-WebSocket-Protocol', request.protocols.join(', ')]);
  return headers;
}
