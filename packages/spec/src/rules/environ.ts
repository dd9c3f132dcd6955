import type { Rule } from './rule.js';

/**
 * The rules of SPEC.md's "The application interface" (`app.*`) and "environ" (`env.*`):
 * what an application is and what the environ it receives holds.
 */
export const environRules = {
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
    text: '`SERVER_PROTOCOL` is `HTTP/` followed by the version the client used, e.g. `"HTTP/1.1"` or `"HTTP/2.0"` (the value Nginx passes for an HTTP/2 client).',
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
  'env.24': {
    text: 'When `SERVER_PROTOCOL` is HTTP/2 or later (major version 2 or more), the environ has none of HTTP/1.1’s connection-specific fields `HTTP_CONNECTION`, `HTTP_KEEP_ALIVE`, `HTTP_PROXY_CONNECTION`, `HTTP_TRANSFER_ENCODING` and `HTTP_UPGRADE`, and `HTTP_TE`, when present, names only `trailers` (in any case): the server refuses a request with any other as malformed (RFC 9113 §8.2.2).',
    enforcedBy: 'validate',
  },
} as const satisfies Record<string, Rule>;
