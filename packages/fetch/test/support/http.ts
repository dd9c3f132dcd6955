/**
 * A raw HTTP/1.1 client on node:http for comparing servers: it sends header
 * lines exactly as given (two `Cookie` lines stay two) and returns the
 * response's status line, header lines and body bytes as they came.
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { BOUNDS, bound } from '../../../../tools/test-support/index.ts';

/** One request: the header lines after `Host` (which is always sent, first), and a body. */
export interface Exchange {
  readonly method: string;
  readonly path: string;
  /** Header lines as name, value pairs, in order; names as written. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: Uint8Array;
}

/** A response as it came off the wire. */
export interface RawResponse {
  readonly status: number;
  readonly reason: string;
  /** Header lines as name, value pairs, in order; names as the server wrote them. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
}

/**
 * Sends `exchange` to 127.0.0.1:`port` on a new connection (`Connection:
 * close`), with `Host: 127.0.0.1:<port>` first; rejects after a short bound.
 */
export function send(port: number, exchange: Exchange): Promise<RawResponse> {
  const lines: string[] = ['Host', `127.0.0.1:${port}`];
  for (const [name, value] of exchange.headers ?? []) lines.push(name, value);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        method: exchange.method,
        path: exchange.path,
        headers: lines,
        agent: false,
        timeout: bound(BOUNDS.short),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const raw = response.rawHeaders;
          const headers: Array<[string, string]> = [];
          for (let i = 0; i < raw.length; i += 2) headers.push([raw[i]!, raw[i + 1]!]);
          resolve({
            status: response.statusCode ?? 0,
            reason: response.statusMessage ?? '',
            headers,
            body: Buffer.concat(chunks),
          });
        });
      },
    );
    outgoing.on('timeout', () =>
      outgoing.destroy(new Error(`${exchange.method} ${exchange.path}: no answer in time`)),
    );
    outgoing.on('error', reject);
    outgoing.end(exchange.body);
  });
}

/**
 * Header fields that every server sets in its own way and that the comparison
 * leaves out: `Date` (its value changes; Bun also omits it on HEAD), and the
 * connection's own fields, `Connection` and `Keep-Alive` (Node and Deno
 * answer the client's `Connection: close` with their own, Bun sends none and
 * closes all the same).
 */
export const SERVER_OWN_FIELDS: ReadonlySet<string> = new Set(['date', 'connection', 'keep-alive']);

/** What two servers must agree on in a response. */
export interface Comparable {
  status: number;
  reason: string;
  /** Lower-cased names, sorted by name, each name's values in the order sent; no {@link SERVER_OWN_FIELDS}. */
  headers: Array<[string, string]>;
  /** The body as text when it is short UTF-8, else its length and SHA-256. */
  body: string;
}

/** `response` as a {@link Comparable}: field names' case and order, and the server's own fields, left out. */
export function comparable(response: RawResponse): Comparable {
  const headers = response.headers
    .map(([name, value]): [string, string] => [name.toLowerCase(), value])
    .filter(([name]) => !SERVER_OWN_FIELDS.has(name));
  // A stable sort: the lines of one name keep their order (Set-Cookie).
  headers.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const text = response.body.toString('utf8', 0, 4096);
  const body =
    response.body.length <= 4096 && Buffer.from(text, 'utf8').equals(response.body)
      ? text
      : `${response.body.length} bytes, sha256 ${createHash('sha256').update(response.body).digest('hex')}`;
  return { status: response.status, reason: response.reason, headers, body };
}
