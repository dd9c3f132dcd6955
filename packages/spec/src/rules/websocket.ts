import type { Rule } from './rule.js';

/**
 * The rules of SPEC.md's "WebSockets: `tsgi.websocket`" (`ws.*`): when the
 * server offers an upgrade, how the application accepts or denies it, and
 * what each side may do with the accepted connection.
 */
export const websocketRules = {
  // The offer
  'ws.1': {
    text: '`tsgi.websocket` is present only when the request is a valid RFC 6455 opening handshake: `GET` over HTTP/1.1, with `Host`, `Upgrade: websocket`, `Connection: upgrade`, a `Sec-WebSocket-Key` that decodes to 16 bytes, `Sec-WebSocket-Version: 13` and only tokens, none repeated, in `Sec-WebSocket-Protocol`.',
    enforcedBy: 'validate',
  },
  'ws.2': {
    text: 'Only a server that can switch protocols on the request’s connection sets `tsgi.websocket`, and such a server sets it on every valid opening handshake; a uwsgi or FastCGI listener never sets it.',
    enforcedBy: 'server',
  },
  'ws.3': {
    text: '`tsgi.websocket` is an object whose `protocols` is an array of the subprotocols the client offered in `Sec-WebSocket-Protocol`, in the client’s order, and whose `accept` is a function.',
    enforcedBy: 'validate',
  },

  // Accepting or denying
  'ws.4': {
    text: 'The application calls `accept()` at most once, never after calling `startResponse`, and before it returns its body (or its promise resolves).',
    enforcedBy: 'validate',
  },
  'ws.5': {
    text: '`accept()` takes no argument or an options object whose `protocol`, when not `undefined`, is one of `protocols`.',
    enforcedBy: 'validate',
  },
  'ws.6': {
    text: 'The `headers` option of `accept()`, when given, is a header list that keeps the `startResponse` header rules and names none of the handshake fields (`HANDSHAKE_FIELDS`: `Upgrade`, `Connection`, `Sec-WebSocket-*`, `Content-Length`, `Transfer-Encoding`).',
    enforcedBy: 'validate',
  },
  'ws.7': {
    text: 'An application that called `accept()` never calls `startResponse` afterwards and returns a body that yields no bytes, such as `[]`.',
    enforcedBy: 'validate',
  },
  'ws.8': {
    text: 'On `accept()` the server itself sends `101 Switching Protocols` with `Upgrade`, `Connection`, `Sec-WebSocket-Accept`, the chosen subprotocol as `Sec-WebSocket-Protocol` (none when none was chosen) and the application’s headers, and then returns or resolves to the connection.',
    enforcedBy: 'server',
  },
  'ws.9': {
    text: 'An application that calls `startResponse` without calling `accept()` denies the upgrade: the server sends that response as it sends any other and does not switch protocols.',
    enforcedBy: 'server',
  },

  // The connection
  'ws.10': {
    text: 'The connection `accept()` returns or resolves to is an async iterable object with a string `protocol` equal to the chosen subprotocol (`""` when none), `send` and `close` functions that return promises, and a `closed` promise.',
    enforcedBy: 'validate',
  },
  'ws.11': {
    text: 'Each message the connection yields is one whole message: a `string` for a text message, a `Uint8Array` for a binary one.',
    enforcedBy: 'validate',
  },
  'ws.12': {
    text: 'The connection’s iteration ends, after every message received before the close, when the peer closes the connection or it is closed by `close()` or the server.',
    enforcedBy: 'server',
  },
  'ws.13': {
    text: 'The application passes `send()` one message: a `string`, sent as text, or a `Uint8Array`, sent as binary.',
    enforcedBy: 'validate',
  },
  'ws.14': {
    text: '`send()` resolves once the message is handed to the socket and the socket can take more, and rejects when the connection is closing or closed; when the application stops asking for messages, the server stops reading from the socket, so what it holds for a fast peer stays bounded.',
    enforcedBy: 'server',
  },
  'ws.15': {
    text: 'The application calls `close(code, reason)` with no code or an application close code (`isAppCloseCode`: 1000, 1001, 1008, 1011–1013 or 3000–4999) and no reason or a well-formed string of at most 123 bytes of UTF-8.',
    enforcedBy: 'validate',
  },
  'ws.16': {
    text: '`closed` resolves once, when the connection is closed, with `{ code, reason }`: the integer code the close frame carried (1005 when it carried none, 1006 when the connection dropped without one) and its reason as a string.',
    enforcedBy: 'validate',
  },
  'ws.17': {
    text: 'The server owns the framing: it closes with 1002 on a protocol error (an unmasked client frame, a reserved opcode or bit, a fragmented or oversized control frame), with 1007 on invalid UTF-8 in a text message and with 1009 on a message over its size limit, answers pings with pongs, and reassembles fragments into whole messages.',
    enforcedBy: 'server',
  },
} as const satisfies Record<string, Rule>;
