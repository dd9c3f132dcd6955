/*
 * Longer than our ~300-line guide on purpose: this file is the one source of
 * every rule sentence (SPEC.md's rule lines are generated from it), and a
 * registry read top to bottom beside SPEC.md is easier to keep true than the
 * same table cut into pieces.
 */
/**
 * Who enforces a rule: `'validate'` rules are checked by `validate()` at run
 * time; `'server'` rules are duties a lint in front of the application cannot
 * see (what goes on the wire), tested by the server packages' own tests.
 */
export type RuleEnforcer = 'validate' | 'server';

/** One numbered rule of SPEC.md. */
export interface Rule {
  /** The normative sentence; SPEC.md's `**[id]**` line is generated from it. */
  readonly text: string;
  /** Who checks it. */
  readonly enforcedBy: RuleEnforcer;
}

/**
 * The registry of every numbered rule in SPEC.md, keyed by id (`section.n`):
 * the one place a rule is written. `pnpm --filter @tsgi/spec gen:spec` writes
 * each rule into SPEC.md as `**[id]** text`, in the `rules:<section>` region
 * of its section and in the rule index, in this order;
 * `test/spec-sync.test.ts` fails when SPEC.md is not what that command
 * writes, when a `'validate'` rule has no check in `src/validate/`, or when it
 * lacks a passing and a failing test case.
 */
export const rules = {
  // The application interface
  'app.1': {
    text: 'An application is a function that takes the environ and `startResponse` and returns a response body or a promise of one.',
    enforcedBy: 'validate',
  },
  'app.2': {
    text: 'A server calls the application once per request with exactly two arguments: the environ and a `startResponse` function.',
    enforcedBy: 'validate',
  },

  // environ
  'env.1': {
    text: 'The environ is a plain object (not `null`, not an array) created for this request only.',
    enforcedBy: 'validate',
  },
  'env.2': {
    text: 'The environ holds the keys `REQUEST_METHOD`, `SCRIPT_NAME`, `PATH_INFO`, `QUERY_STRING`, `SERVER_NAME`, `SERVER_PORT`, `SERVER_PROTOCOL`, `REMOTE_ADDR`, `REMOTE_PORT` and `REQUEST_URI`, each a string.',
    enforcedBy: 'validate',
  },
  'env.3': {
    text: 'A key without a dot is a CGI variable: its name is made of upper-case ASCII letters, digits and `_`, and its value is a string (a key that has no value is absent, not `undefined`).',
    enforcedBy: 'validate',
  },
  'env.4': {
    text: '`REQUEST_METHOD` is the request method exactly as the client sent it, a non-empty HTTP token such as `GET`.',
    enforcedBy: 'validate',
  },
  'env.5': {
    text: '`SCRIPT_NAME` is `""` or starts with `/` and does not end with `/`.',
    enforcedBy: 'validate',
  },
  'env.6': {
    text: '`PATH_INFO` is `""` or starts with `/`.',
    enforcedBy: 'validate',
  },
  'env.7': {
    text: '`SCRIPT_NAME` and `PATH_INFO` are not both empty, except for `OPTIONS *`: a request for the root of an application mounted at the root has `PATH_INFO` `"/"`.',
    enforcedBy: 'validate',
  },
  'env.8': {
    text: '`QUERY_STRING` is the raw text after the first `?` of `REQUEST_URI`, not decoded, and `""` when there is none.',
    enforcedBy: 'validate',
  },
  'env.9': {
    text: '`REQUEST_URI` is the raw request target in origin form: it starts with `/`, or it is `*` and the method is `OPTIONS`; it contains no space or control character.',
    enforcedBy: 'validate',
  },
  'env.10': {
    text: '`CONTENT_TYPE` is absent when the request has no `Content-Type`, and a non-empty string when it has one.',
    enforcedBy: 'validate',
  },
  'env.11': {
    text: '`CONTENT_LENGTH` is absent when the request has no `Content-Length`, and a string of decimal digits when it has one.',
    enforcedBy: 'validate',
  },
  'env.12': {
    text: 'The environ has no `HTTP_CONTENT_TYPE` or `HTTP_CONTENT_LENGTH` key: those headers appear only as `CONTENT_TYPE` and `CONTENT_LENGTH`.',
    enforcedBy: 'validate',
  },
  'env.13': {
    text: '`SERVER_NAME` is a non-empty host: a name, an IPv4 address or an IPv6 address in brackets, with no port.',
    enforcedBy: 'validate',
  },
  'env.14': {
    text: '`SERVER_PORT` is the port as decimal digits, e.g. `"8080"`.',
    enforcedBy: 'validate',
  },
  'env.15': {
    text: '`SERVER_PROTOCOL` is `HTTP/` followed by the version the client used, e.g. `"HTTP/1.1"` or `"HTTP/2"`.',
    enforcedBy: 'validate',
  },
  'env.16': {
    text: '`REMOTE_ADDR` is the peer address without brackets and `REMOTE_PORT` its port as decimal digits; both are `""` when the peer has none (a Unix socket without a proxy).',
    enforcedBy: 'validate',
  },
  'env.17': {
    text: 'Every other request header appears as `HTTP_` plus its name upper-cased with `-` turned into `_`; its value contains no CR, LF or NUL, and repeated headers are joined with `", "` (`"; "` for `Cookie`).',
    enforcedBy: 'validate',
  },
  'env.18': {
    text: '`tsgi.version` is the array `[1, 0]`.',
    enforcedBy: 'validate',
  },
  'env.19': {
    text: '`tsgi.url_scheme` is `"http"` or `"https"`, the scheme the client used.',
    enforcedBy: 'validate',
  },
  'env.20': {
    text: '`tsgi.input` is an input stream: an object with a `read` method that is also async-iterable.',
    enforcedBy: 'validate',
  },
  'env.21': {
    text: '`tsgi.errors` is an error stream: an object with `write` and `flush` methods.',
    enforcedBy: 'validate',
  },
  'env.22': {
    text: '`tsgi.multithread`, `tsgi.multiprocess` and `tsgi.run_once` are booleans; `tsgi.multithread` is `true` on Node.',
    enforcedBy: 'validate',
  },

  'env.23': {
    text: '`HTTP_HOST`, when present, is a valid authority: a host as in `env.13`, optionally followed by `:` and a port; the server answers a request with an invalid `Host` with 400 itself.',
    enforcedBy: 'validate',
  },

  // The input stream
  'input.1': {
    text: '`read` takes no argument, or one positive integer `size`.',
    enforcedBy: 'validate',
  },
  'input.2': {
    text: '`read(size)` resolves to a `Uint8Array` of 1 to `size` bytes, or to an empty one at the end of the input.',
    enforcedBy: 'validate',
  },
  'input.3': {
    text: '`read()` without a size resolves to all the bytes that remain, so the next `read` resolves to an empty array.',
    enforcedBy: 'validate',
  },
  'input.4': {
    text: 'Once the input has ended (an empty read, or the end of an iteration), every later `read` resolves to an empty array.',
    enforcedBy: 'validate',
  },
  'input.5': {
    text: 'The input never yields more than `CONTENT_LENGTH` bytes in total.',
    enforcedBy: 'validate',
  },
  'input.6': {
    text: 'The input has one consumer at a time: the application does not call `read` or `next` while another read is pending.',
    enforcedBy: 'validate',
  },
  'input.7': {
    text: 'Async iteration over the input yields non-empty `Uint8Array` chunks, the same bytes `read` would give, and ends at the end of the input.',
    enforcedBy: 'validate',
  },
  'input.8': {
    text: 'When `CONTENT_LENGTH` is set, the input ends only after that many bytes; a body cut short (the client went away) or one that breaks a server limit makes the read reject with a `RequestBodyError` instead.',
    enforcedBy: 'validate',
  },
  'input.9': {
    text: 'When the request has `Expect: 100-continue`, the server sends `100 Continue` when the application first reads the input, and not at all if the application answers without reading.',
    enforcedBy: 'server',
  },
  'input.10': {
    text: 'Bytes the application leaves unread are drained or the connection is closed before the server reads the next request on it.',
    enforcedBy: 'server',
  },

  // The errors stream
  'errors.1': {
    text: '`tsgi.errors.write` takes one string.',
    enforcedBy: 'validate',
  },
  'errors.2': {
    text: '`tsgi.errors.write` and `tsgi.errors.flush` never throw.',
    enforcedBy: 'validate',
  },

  // startResponse
  'sr.1': {
    text: 'The status is a string: three digits, one space and a non-empty reason phrase of visible ASCII characters, spaces and tabs, e.g. `"404 Not Found"`.',
    enforcedBy: 'validate',
  },
  'sr.2': {
    text: 'The status code is between 200 and 599: informational (1xx) responses are the server’s business.',
    enforcedBy: 'validate',
  },
  'sr.3': {
    text: 'The headers are an array of `[name, value]` pairs of strings.',
    enforcedBy: 'validate',
  },
  'sr.4': {
    text: 'A header name is an HTTP token in any case, compared case-insensitively, and is not `Status`.',
    enforcedBy: 'validate',
  },
  'sr.5': {
    text: 'A header value contains no CR, LF, NUL or other control character except HTAB, no character above U+00FF (each character goes on the wire as one byte, ISO-8859-1: percent-encode UTF-8 text such as a non-ASCII path in `Location`), and has no leading or trailing space or tab.',
    enforcedBy: 'validate',
  },
  'sr.6': {
    text: 'The application sends no hop-by-hop header: `Connection`, `Keep-Alive`, `Proxy-Connection`, `Transfer-Encoding`, `TE`, `Trailer` and `Upgrade` are the server’s business.',
    enforcedBy: 'validate',
  },
  'sr.7': {
    text: '`Content-Length` appears at most once and is decimal digits.',
    enforcedBy: 'validate',
  },
  'sr.8': {
    text: 'A 204 response has no `Content-Length`; 204 and 304 responses have no `Content-Type`.',
    enforcedBy: 'validate',
  },
  'sr.9': {
    text: '`startResponse` is called once per request; a second call passes `excInfo` and happens before the headers are sent.',
    enforcedBy: 'validate',
  },
  'sr.10': {
    text: 'When `startResponse` is called with `excInfo` after the headers were sent, it throws `excInfo` again.',
    enforcedBy: 'validate',
  },
  'sr.11': {
    text: '`startResponse` is called before the body yields its first chunk, before the first `write`, and at the latest by the end of an empty body.',
    enforcedBy: 'validate',
  },
  'sr.12': {
    text: '`startResponse` returns a `write` function.',
    enforcedBy: 'validate',
  },

  // write (legacy)
  'write.1': {
    text: '`write` takes one `Uint8Array`.',
    enforcedBy: 'validate',
  },
  'write.2': {
    text: '`write` is called after `startResponse` and before the body has ended or been closed.',
    enforcedBy: 'validate',
  },
  'write.3': {
    text: 'The promise `write` returns resolves once the bytes are handed to the connection and never rejects.',
    enforcedBy: 'validate',
  },

  // The response body
  'body.1': {
    text: 'The response body is an object that is `Iterable` or `AsyncIterable`; a string, a bare `Uint8Array` or `Buffer`, `null` or `undefined` is not a body.',
    enforcedBy: 'validate',
  },
  'body.2': {
    text: 'Every chunk the body yields is a `Uint8Array` (a `Buffer` is one); empty chunks are allowed.',
    enforcedBy: 'validate',
  },
  'body.3': {
    text: 'The response to a `HEAD` request and 204 and 304 responses carry no body bytes; a `HEAD` response may keep the `Content-Length` a `GET` would have.',
    enforcedBy: 'validate',
  },
  'body.4': {
    text: 'When `Content-Length` is set, the bytes written and yielded add up to exactly that number.',
    enforcedBy: 'validate',
  },
  'body.5': {
    text: 'Whoever consumes a body that has `close()` (a server, or a middleware that replaces the body) calls it exactly once, whatever happens: normal end, application error, or the client going away.',
    enforcedBy: 'validate',
  },
  'body.6': {
    text: 'A body is iterated at most once, never after `close()`, and `next()` is not called again while a previous call is pending.',
    enforcedBy: 'validate',
  },
  'body.7': {
    text: 'The body’s iterator follows the iterator protocol: `next()` returns, or for an async iterator resolves to, an object with a `done` flag.',
    enforcedBy: 'validate',
  },

  // Async applications
  'async.1': {
    text: 'An application that returns a promise resolves it to a response body; it may call `startResponse` before or after that, as long as `sr.11` holds.',
    enforcedBy: 'validate',
  },
  'async.2': {
    text: 'The server asks for the next chunk only after the previous one was handed to the connection and the connection can take more (backpressure).',
    enforcedBy: 'server',
  },

  // Middleware
  'mw.1': {
    text: 'A middleware that changes the environ (for example with `shiftPathInfo`) changes it in place and keeps every `env` and `ext` rule true for the application it calls.',
    enforcedBy: 'validate',
  },

  // URL reconstruction
  'url.1': {
    text: 'The server sets `SCRIPT_NAME + PATH_INFO` to the path of `REQUEST_URI` percent-decoded as UTF-8, with `%2F` decoded too and dot segments kept as sent; a path that does not decode to valid UTF-8 or contains `%00` is answered with 400.',
    enforcedBy: 'server',
  },
  'url.2': {
    text: '`SCRIPT_NAME` and `PATH_INFO` are well-formed Unicode text with no NUL character.',
    enforcedBy: 'validate',
  },

  // Extension keys
  'ext.1': {
    text: 'A key that is not a CGI variable contains a dot, and the part before the first dot names who owns it, e.g. `node.request`.',
    enforcedBy: 'validate',
  },
  'ext.2': {
    text: 'Keys starting with `tsgi.` are reserved: only the keys of this specification and the registered extensions (`tsgi.route`, `tsgi.request_id`) may be used.',
    enforcedBy: 'validate',
  },
  'ext.3': {
    text: '`tsgi.route`, when present, is `{ pattern: string, params: Record<string, string> }`, set by the router that matched the request.',
    enforcedBy: 'validate',
  },
  'ext.4': {
    text: '`tsgi.request_id`, when present, is a non-empty string of visible ASCII characters.',
    enforcedBy: 'validate',
  },

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

/** The id of a SPEC.md rule, e.g. `"env.3"`. */
export type RuleId = keyof typeof rules;
