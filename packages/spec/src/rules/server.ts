import type { Rule } from './rule.js';

/**
 * The rules of SPEC.md's "Server obligations" (`srv.*`): duties on the wire that
 * a lint in front of the application cannot see, tested by the server packages.
 */
export const serverRules = {
  // Server obligations
  'srv.1': {
    text: 'The server builds a fresh environ for every request and completes what a front proxy leaves out (for example an empty `SERVER_NAME` from Nginx) before the application sees it.',
    enforcedBy: 'server',
  },
  'srv.2': {
    text: 'The server sends nothing until the body yields its first non-empty chunk, `write` is called with a non-empty chunk, or the body ends; then it sends the status and headers of the last `startResponse` call.',
    enforcedBy: 'server',
  },
  'srv.3': {
    text: 'For a `HEAD` request and for 204 and 304 responses the server sends no body bytes, whatever the application yields.',
    enforcedBy: 'server',
  },
  'srv.4': {
    text: 'The server owns connection management: it sets `Connection`, `Keep-Alive` and `Transfer-Encoding` itself.',
    enforcedBy: 'server',
  },
  'srv.5': {
    text: 'With a `Content-Length` the server sends exactly that many bytes; without one it uses chunked encoding on HTTP/1.1, or ends the message by closing the connection on HTTP/1.0; when the body disagrees with its `Content-Length`, the server closes the connection rather than send a malformed message.',
    enforcedBy: 'server',
  },
  'srv.6': {
    text: 'The server calls the body’s `close()` exactly once on every path: normal end, application error, client disconnect and server shutdown.',
    enforcedBy: 'server',
  },
  'srv.7': {
    text: 'When the application throws or its promise or body rejects before the headers are sent, the server answers 500 (or the `status` of a `RequestBodyError`) without leaking details, and reports the error on `tsgi.errors`; after the headers are sent, it aborts the connection.',
    enforcedBy: 'server',
  },
  'srv.8': {
    text: 'The server bounds what a client can make it hold: header size (431), body size (413 through `tsgi.input`) and idle time (408 or a closed connection).',
    enforcedBy: 'server',
  },
} as const satisfies Record<string, Rule>;
