import {
  type HeaderList,
  HOP_BY_HOP,
  isFieldValue,
  isToken,
  parseContentLength,
  parseStatus,
  textResponseParts,
} from '@tsgi/spec';

/** A `startResponse` call, checked and turned into what a `Response` takes. */
export interface ResponseHead {
  /** The status code, 200-599. */
  readonly code: number;
  /** The reason phrase: the `Response`'s `statusText`. */
  readonly reason: string;
  /**
   * The header fields as `Response` takes them, each `Set-Cookie` its own;
   * no hop-by-hop field. A list, not a `Headers`: Bun makes a response's
   * headers from a list faster than it copies a `Headers`.
   */
  readonly headers: Array<[string, string]>;
  /** The app's `Content-Length`, or -1. */
  readonly declared: number;
}

/**
 * Checks a `startResponse` call's status [sr.1], [sr.2] and headers [sr.3],
 * [sr.4], [sr.5], [sr.7], as `@tsgi/node` does, and builds the `Headers` of
 * the `Response`: throws a TypeError naming the first problem. Hop-by-hop
 * fields [sr.6] are left out: framing and the connection belong to the
 * runtime that sends the `Response` [srv.4].
 */
export function responseHead(status: string, list: HeaderList): ResponseHead {
  const { code, reason } = parseStatus(status, true);
  if (!Array.isArray(list)) {
    throw new TypeError('startResponse: headers must be an array of [name, value]');
  }
  const headers: Array<[string, string]> = [];
  let declared = -1;
  for (let i = 0; i < list.length; i++) {
    const pair = list[i];
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new TypeError(`startResponse: header #${i} is not a [name, value] pair`);
    }
    const [name, value] = pair;
    if (typeof name !== 'string' || !isToken(name)) {
      throw new TypeError(
        `startResponse: header name ${JSON.stringify(name)} is not a valid token`,
      );
    }
    if (typeof value !== 'string' || !isFieldValue(value)) {
      throw new TypeError(
        `startResponse: value of header ${name} must be a string without CR, LF or other control characters`,
      );
    }
    const lower = name.toLowerCase();
    if (lower === 'content-length') {
      const length = parseContentLength(value);
      if (length === -1 || (declared !== -1 && length !== declared)) {
        throw new TypeError(`startResponse: bad Content-Length ${JSON.stringify(value)}`);
      }
      if (declared !== -1) continue;
      declared = length;
    } else if (HOP_BY_HOP.has(lower)) {
      continue;
    }
    headers.push([name, value]);
  }
  return { code, reason, headers, declared };
}

/** Statuses whose `Response` must have a null body (the fetch standard's null body statuses). */
export function isNullBodyStatus(code: number): boolean {
  return code === 204 || code === 205 || code === 304;
}

/** The `Response` for a checked head and a body (`null` for none). */
export function makeResponse(
  head: ResponseHead,
  body: ReadableStream<Uint8Array> | Uint8Array | null,
): Response {
  return new Response(body, { status: head.code, statusText: head.reason, headers: head.headers });
}

/**
 * A plain-text `Response` (`textResponseParts`: UTF-8, exact `Content-Length`):
 * the adapter's own answers, 400 to 500. `noBody` keeps the headers only (HEAD).
 */
export function plainResponse(code: number, text: string, noBody = false): Response {
  const parts = textResponseParts(code, text);
  return new Response(noBody ? null : parts.body, {
    status: code,
    statusText: parts.status.slice(4),
    headers: parts.headers,
  });
}

/** An error as `tsgi.errors` shows it: the stack when there is one. */
export function describeError(error: unknown): string {
  return error instanceof Error
    ? (error.stack ?? `${error.name}: ${error.message}`)
    : `non-Error thrown: ${String(error)}`;
}
