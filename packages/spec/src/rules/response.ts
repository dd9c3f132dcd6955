import type { Rule } from './rule.js';

/**
 * The rules of SPEC.md's "startResponse" (`sr.*`) and its "write" (`write.*`):
 * the status and headers an application starts its response with, and the legacy `write`.
 */
export const responseRules = {
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
} as const satisfies Record<string, Rule>;
