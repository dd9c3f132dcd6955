/** One row of the environ reference table: a key of the environ, or a family of keys. */
export interface EnvironKeyInfo {
  /** The key (`REQUEST_METHOD`), or a pattern for a family of keys (`HTTP_*`, `<owner>.<name>`). */
  readonly key: string;
  /** Its TypeScript type, as code (`string`, `"http" | "https"`). */
  readonly type: string;
  /** Whether a request may lack the key (it is then absent, never `undefined`). */
  readonly optional: boolean;
  /** What it holds: one Markdown sentence, code in backticks. */
  readonly meaning: string;
  /** An example value or use, as code. */
  readonly example: string;
}

/**
 * Every key of the environ, in the order SPEC.md lists them: the one source of
 * SPEC.md's reference table (written between its `environ-table` markers by
 * `pnpm --filter @tsgi/spec gen:spec`) and of any other listing, such as
 * `items-api --mode environ`. The rules about each key are in `rules`.
 *
 * @example
 * import { environKeys } from '@tsgi/spec';
 * for (const { key, meaning } of environKeys) console.log(key, meaning);
 */
export const environKeys: readonly EnvironKeyInfo[] = [
  {
    key: 'REQUEST_METHOD',
    type: 'string',
    optional: false,
    meaning: 'The request method, as sent (case-sensitive)',
    example: '"POST"',
  },
  {
    key: 'SCRIPT_NAME',
    type: 'string',
    optional: false,
    meaning:
      'Where the application is mounted: `""` or `/…` without a trailing `/`; percent-decoded',
    example: '"/api"',
  },
  {
    key: 'PATH_INFO',
    type: 'string',
    optional: false,
    meaning: 'The rest of the path after `SCRIPT_NAME`, percent-decoded as UTF-8; `""` or `/…`',
    example: '"/items/7"',
  },
  {
    key: 'QUERY_STRING',
    type: 'string',
    optional: false,
    meaning: 'The raw query after the first `?`, not decoded; `""` when none',
    example: '"page=2&q=caf%C3%A9"',
  },
  {
    key: 'REQUEST_URI',
    type: 'string',
    optional: false,
    meaning: 'The raw request target: path and query as sent, or `*`',
    example: '"/api/items/7?page=2"',
  },
  {
    key: 'CONTENT_TYPE',
    type: 'string',
    optional: true,
    meaning: "The request's `Content-Type`; absent when none",
    example: '"application/json"',
  },
  {
    key: 'CONTENT_LENGTH',
    type: 'string',
    optional: true,
    meaning: "The request's `Content-Length`, decimal digits; absent when none",
    example: '"42"',
  },
  {
    key: 'SERVER_NAME',
    type: 'string',
    optional: false,
    meaning: 'The host the request was addressed to, without port; IPv6 in brackets',
    example: '"api.example.com"',
  },
  {
    key: 'SERVER_PORT',
    type: 'string',
    optional: false,
    meaning: 'The port the request was addressed to',
    example: '"8002"',
  },
  {
    key: 'SERVER_PROTOCOL',
    type: 'string',
    optional: false,
    meaning: 'The protocol version the client used',
    example: '"HTTP/1.1"',
  },
  {
    key: 'REMOTE_ADDR',
    type: 'string',
    optional: false,
    meaning: 'The peer\'s address (no brackets); `""` for a Unix socket',
    example: '"127.0.0.1"',
  },
  {
    key: 'REMOTE_PORT',
    type: 'string',
    optional: false,
    meaning: 'The peer\'s port; `""` for a Unix socket',
    example: '"51234"',
  },
  {
    key: 'HTTP_HOST',
    type: 'string',
    optional: true,
    meaning: 'The `Host` header',
    example: '"api.example.com:8002"',
  },
  {
    key: 'HTTP_*',
    type: 'string',
    optional: true,
    meaning:
      'Every other request header: `HTTP_` + name upper-cased, `-` → `_`; repeats joined with `, `',
    example: 'HTTP_ACCEPT: "*/*"',
  },
  {
    key: 'SSL_CLIENT_VERIFY',
    type: 'string',
    optional: true,
    meaning:
      'HTTPS with client certificates asked for: `SUCCESS`, `NONE` (none sent) or `FAILED:<reason>`',
    example: '"SUCCESS"',
  },
  {
    key: 'SSL_CLIENT_S_DN',
    type: 'string',
    optional: true,
    meaning: "A verified client certificate's subject, RFC 2253 form",
    example: '"CN=client,O=Example"',
  },
  {
    key: 'SSL_CLIENT_I_DN',
    type: 'string',
    optional: true,
    meaning: 'Its issuer, RFC 2253 form',
    example: '"CN=Example CA"',
  },
  {
    key: 'SSL_CLIENT_M_SERIAL',
    type: 'string',
    optional: true,
    meaning: 'Its serial number, upper-case hex',
    example: '"3A2F"',
  },
  {
    key: 'SSL_CLIENT_V_START',
    type: 'string',
    optional: true,
    meaning: 'Start of its validity, as OpenSSL prints it',
    example: '"Dec  7 10:00:00 2026 GMT"',
  },
  {
    key: 'SSL_CLIENT_V_END',
    type: 'string',
    optional: true,
    meaning: 'End of its validity, likewise',
    example: '"Dec  7 10:00:00 2027 GMT"',
  },
  {
    key: 'tsgi.version',
    type: 'readonly [number, number]',
    optional: false,
    meaning: 'The TSGI version',
    example: '[1, 0]',
  },
  {
    key: 'tsgi.url_scheme',
    type: '"http" | "https"',
    optional: false,
    meaning: 'The scheme the client used',
    example: '"https"',
  },
  {
    key: 'tsgi.input',
    type: 'InputStream',
    optional: false,
    meaning: 'The request body: `read(size?)` and async iteration',
    example: "await environ['tsgi.input'].read()",
  },
  {
    key: 'tsgi.errors',
    type: 'ErrorStream',
    optional: false,
    meaning: 'Diagnostics: `write(text)`, `flush()`',
    example: "environ['tsgi.errors'].write('oops\\n')",
  },
  {
    key: 'tsgi.multithread',
    type: 'boolean',
    optional: false,
    meaning: 'Other requests may run concurrently in this process: always `true` on Node',
    example: 'true',
  },
  {
    key: 'tsgi.multiprocess',
    type: 'boolean',
    optional: false,
    meaning: 'Other processes run the same application (workers, cluster)',
    example: 'false',
  },
  {
    key: 'tsgi.run_once',
    type: 'boolean',
    optional: false,
    meaning: 'This process serves only this request (CGI-like)',
    example: 'false',
  },
  {
    key: 'tsgi.route',
    type: '{ pattern: string, params: Record<string, string> }',
    optional: true,
    meaning: 'Registered extension: the route a router matched',
    example: '{ pattern: "/items/:id", params: { id: "7" } }',
  },
  {
    key: 'tsgi.request_id',
    type: 'string',
    optional: true,
    meaning: 'Registered extension: an id for this request, for logs and tracing',
    example: '"4bf92f3577b34da6"',
  },
  {
    key: 'tsgi.websocket',
    type: 'WebSocketUpgrade',
    optional: true,
    meaning: 'Registered extension: the offer to switch to WebSocket, on a valid RFC 6455 upgrade',
    example: "await environ['tsgi.websocket'].accept()",
  },
  {
    key: '<owner>.<name>',
    type: 'any',
    optional: false,
    meaning: 'Other extension keys, owned by the server or middleware named before the dot',
    example: 'node.request',
  },
];

/**
 * The CGI keys every environ has, as strings (`REQUEST_METHOD` … `REMOTE_PORT`,
 * `REQUEST_URI`): the required rows of `environKeys` that are not `tsgi.*`.
 */
export const requiredCgiKeys: readonly string[] = Object.freeze(
  environKeys
    .filter((row) => !row.optional && /^[A-Z][A-Z0-9_]*$/.test(row.key))
    .map((row) => row.key),
);
