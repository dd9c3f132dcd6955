/**
 * The requests runtimes.test.ts sends to the fixture on Node, Bun and Deno,
 * with what Node's answer must be, and each place where Bun's or Deno's
 * answer differs from Node's for a reason of the runtime's own (said as the
 * change to Node's answer, so that everything else must still be equal).
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { Comparable, Exchange, RawResponse } from './support/http.ts';

/** One request, and what its answers must be. */
export interface Case extends Exchange {
  readonly name: string;
  /** Checks of Node's answer, so that "alike" is also "right". */
  check(node: RawResponse): void;
  /** How Bun's answer differs from Node's, if it does. */
  readonly bun?: (node: Comparable) => Comparable;
  /** How Deno's answer differs from Node's, if it does. */
  readonly deno?: (node: Comparable) => Comparable;
  /** Only on the wire: the in-process client cannot send this request (a target with a fragment). */
  readonly wireOnly?: boolean;
}

/** The values of header field `name` (lower-case), in order. */
export function fieldValues(response: RawResponse, name: string): string[] {
  return response.headers.filter(([field]) => field.toLowerCase() === name).map(([, v]) => v);
}

/** `headers` with `name` set to `value` (or removed, for `undefined`), sorted as comparable() sorts. */
function withField(
  headers: Array<[string, string]>,
  name: string,
  value: string | undefined,
): Array<[string, string]> {
  const rest = headers.filter(([field]) => field !== name);
  if (value !== undefined) rest.push([name, value]);
  return rest.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** 1 MiB of random bytes: `@tsgi/node`'s and `toFetchHandler`'s default body limit, exactly. */
const MEBIBYTE = randomBytes(1024 * 1024);

/** A HEAD answer without a length of its own: Bun and Deno write `Content-Length: 0` for its null body. */
const lengthZero = (node: Comparable): Comparable => ({
  ...node,
  headers: withField(node.headers, 'content-length', '0'),
});

export const CASES: readonly Case[] = [
  {
    name: 'response header fields',
    method: 'GET',
    path: '/headers',
    check(node) {
      expect([node.status, node.reason]).toEqual([200, 'OK']);
      expect(fieldValues(node, 'x-fixture')).toEqual(['headers']);
      expect(fieldValues(node, 'content-length')).toEqual(['8']);
      expect(node.body.toString()).toBe('headers\n');
    },
  },
  {
    name: 'two Set-Cookie fields',
    method: 'GET',
    path: '/cookies',
    check(node) {
      expect(fieldValues(node, 'set-cookie')).toEqual([
        'session=abc; Path=/; HttpOnly',
        'theme=dark; Max-Age=60; SameSite=Lax',
      ]);
    },
  },
  {
    name: 'a 1 MiB binary body with a Content-Length, echoed',
    method: 'POST',
    path: '/echo',
    headers: [
      ['Content-Type', 'application/octet-stream'],
      ['Content-Length', String(MEBIBYTE.length)],
    ],
    body: MEBIBYTE,
    check(node) {
      expect(node.status).toBe(200);
      expect(fieldValues(node, 'content-length')).toEqual([String(MEBIBYTE.length)]);
      expect(node.body.equals(MEBIBYTE)).toBe(true);
    },
  },
  {
    name: 'a 1 MiB binary body sent chunked, echoed',
    method: 'POST',
    path: '/echo',
    headers: [
      ['Content-Type', 'application/octet-stream'],
      ['Transfer-Encoding', 'chunked'],
    ],
    body: MEBIBYTE,
    check(node) {
      expect(node.status).toBe(200);
      expect(node.body.equals(MEBIBYTE)).toBe(true);
    },
  },
  {
    name: 'a streamed body (an async generator)',
    method: 'GET',
    path: '/stream',
    check(node) {
      expect(fieldValues(node, 'transfer-encoding')).toEqual(['chunked']);
      expect(fieldValues(node, 'content-length')).toEqual([]);
      expect(node.body.toString()).toBe('chunk 0\nchunk 1\nchunk 2\nchunk 3\nchunk 4\n');
    },
  },
  {
    name: 'a streamed body with a declared Content-Length',
    method: 'GET',
    path: '/sized-stream',
    check(node) {
      expect(fieldValues(node, 'content-length')).toEqual(['40']);
      expect(fieldValues(node, 'transfer-encoding')).toEqual([]);
      expect(node.body.toString()).toBe('chunk 0\nchunk 1\nchunk 2\nchunk 3\nchunk 4\n');
    },
    // Bun sends a stream body that does not end at once chunked, whatever Content-Length it has.
    bun: (node) => ({
      ...node,
      headers: withField(
        withField(node.headers, 'content-length', undefined),
        'transfer-encoding',
        'chunked',
      ),
    }),
  },
  {
    name: 'HEAD: the GET fields, Content-Length included, no body',
    method: 'HEAD',
    path: '/headers',
    check(node) {
      expect(fieldValues(node, 'content-length')).toEqual(['8']);
      expect(fieldValues(node, 'x-fixture')).toEqual(['headers']);
      expect(node.body.length).toBe(0);
    },
  },
  {
    name: 'HEAD of a streamed body: no length',
    method: 'HEAD',
    path: '/stream',
    check(node) {
      expect(fieldValues(node, 'content-length')).toEqual([]);
      expect(node.body.length).toBe(0);
    },
    bun: lengthZero,
    deno: lengthZero,
  },
  {
    name: 'the JSON 404',
    method: 'GET',
    path: '/nope',
    check(node) {
      expect([node.status, node.reason]).toEqual([404, 'Not Found']);
      expect(fieldValues(node, 'content-type')).toEqual(['application/json; charset=utf-8']);
      expect(JSON.parse(node.body.toString())).toEqual({ error: 'no route matches GET /nope' });
    },
  },
  {
    name: 'HEAD of the JSON 404',
    method: 'HEAD',
    path: '/nope',
    check(node) {
      expect(node.status).toBe(404);
      expect(fieldValues(node, 'content-length')).toEqual(['39']);
      expect(node.body.length).toBe(0);
    },
  },
  {
    name: "a reason phrase of the application's own",
    method: 'GET',
    path: '/reason',
    check(node) {
      expect([node.status, node.reason]).toEqual([299, 'Fine Thanks']);
    },
    // A Response's statusText never reaches the wire: Bun writes a reason of its own, Deno the
    // standard one (none for 299).
    bun: (node) => ({ ...node, reason: 'HM' }),
    deno: (node) => ({ ...node, reason: '' }),
  },
  {
    name: 'a byte body without a Content-Type',
    method: 'GET',
    path: '/untyped',
    check(node) {
      expect(fieldValues(node, 'content-type')).toEqual([]);
    },
    // Bun gives a byte body (an array body becomes one) that has no Content-Type its own.
    bun: (node) => ({
      ...node,
      headers: withField(node.headers, 'content-type', 'application/octet-stream'),
    }),
  },
  {
    name: 'a request target with a fragment',
    method: 'GET',
    path: '/environ/a#frag',
    wireOnly: true,
    check(node) {
      // HTTP has no fragment in a request target: llhttp refuses it, toFetchHandler too.
      expect(node.status).toBe(400);
    },
  },
];
