import type { Rule } from './rule.js';

/**
 * The rules of SPEC.md's "The input stream" (`input.*`) and "The errors stream"
 * (`errors.*`): reading the request body and writing to `tsgi.errors`.
 */
export const inputRules = {
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
} as const satisfies Record<string, Rule>;
