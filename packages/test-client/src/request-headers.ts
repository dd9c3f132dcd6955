import { isToken } from '@tsgi/spec';
import type { HeadersInput } from './options.js';

/** Request headers as ordered `[name, value]` pairs; a name may repeat. */
export type HeaderPairs = Array<[string, string]>;

/** Turns any {@link HeadersInput} into pairs, in order. */
export function toHeaderPairs(input: HeadersInput | undefined): HeaderPairs {
  const pairs: HeaderPairs = [];
  if (input === undefined) return pairs;
  if (input instanceof Headers) {
    for (const [name, value] of input) pairs.push([name, value]);
  } else if (Array.isArray(input)) {
    for (const [name, value] of input as ReadonlyArray<readonly [string, string]>) {
      pairs.push([name, String(value)]);
    }
  } else {
    const record = input as Record<string, string | number | readonly string[] | undefined>;
    for (const name of Object.keys(record)) {
      const value = record[name];
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) pairs.push([name, String(item)]);
      else pairs.push([name, String(value)]);
    }
  }
  return pairs;
}

/** The client's defaults overlaid by a request's own headers: a request header replaces every default of its name. */
export function mergeHeaders(defaults: HeaderPairs, own: HeaderPairs): HeaderPairs {
  if (own.length === 0) return defaults.slice();
  if (defaults.length === 0) return own;
  const replaced = new Set<string>();
  for (const [name] of own) replaced.add(name.toLowerCase());
  const merged: HeaderPairs = [];
  for (const pair of defaults) if (!replaced.has(pair[0].toLowerCase())) merged.push(pair);
  for (const pair of own) merged.push(pair);
  return merged;
}

/** Whether any header has this (lower-case) name. */
export function hasHeader(headers: HeaderPairs, lowerName: string): boolean {
  for (const [name] of headers) if (name.toLowerCase() === lowerName) return true;
  return false;
}

/** The first value of a header (lower-case name), or `undefined`. */
export function getHeader(headers: HeaderPairs, lowerName: string): string | undefined {
  for (const [name, value] of headers) if (name.toLowerCase() === lowerName) return value;
  return undefined;
}

/** Removes every header with one of these lower-case names. */
export function withoutHeaders(headers: HeaderPairs, lowerNames: readonly string[]): HeaderPairs {
  return headers.filter(([name]) => !lowerNames.includes(name.toLowerCase()));
}

const BAD_VALUE = /[\r\n\0]/;

/** Throws a `TypeError` naming the first header a real client could not send. */
export function checkHeaders(headers: HeaderPairs): void {
  for (const [name, value] of headers) {
    if (!isToken(name)) {
      throw new TypeError(`test-client: header name ${JSON.stringify(name)} is not an HTTP token`);
    }
    if (BAD_VALUE.test(value)) {
      throw new TypeError(
        `test-client: the value of header ${name} contains CR, LF or NUL: ${JSON.stringify(value)}`,
      );
    }
  }
}
