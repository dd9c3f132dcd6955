import type { Rule } from './rule.js';

/**
 * The rules of SPEC.md's "The response body" (`body.*`) and "Async applications"
 * (`async.*`): what a body yields, who closes it, and how a promised response behaves.
 */
export const bodyRules = {
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
} as const satisfies Record<string, Rule>;
