import type { HeaderList, ResponseBody, StartResponse } from './application.js';
import { statusLine } from './status.js';

/** A plain-text response as parts: for servers that write it themselves. */
export interface TextResponseParts {
  /** The status code, e.g. `404`. */
  readonly code: number;
  /** The status line, e.g. `"404 Not Found"`. */
  readonly status: string;
  /** `Content-Type: text/plain; charset=utf-8`, the exact `Content-Length`, then any extra headers. */
  readonly headers: HeaderList;
  /** The text as UTF-8. */
  readonly body: Uint8Array;
}

/**
 * The parts of a plain-text response: the one shape of every error a server
 * or middleware answers by itself (400, 404, 413, 500…). `text` is sent as
 * given (add the `\n` yourself); extra `headers` go after the two it sets.
 *
 * @example
 * const { status, headers, body } = textResponseParts(413, 'request body too large\n');
 */
export function textResponseParts(
  code: number,
  text: string,
  headers?: HeaderList,
): TextResponseParts {
  const body: Uint8Array = Buffer.from(text, 'utf8');
  const list: HeaderList = [
    ['Content-Type', 'text/plain; charset=utf-8'],
    ['Content-Length', String(body.byteLength)],
  ];
  if (headers !== undefined) for (const header of headers) list.push(header);
  return { code, status: statusLine(code), headers: list, body };
}

/**
 * Starts a plain-text response and returns its body, like `jsonResponse` for
 * text: `Content-Type: text/plain; charset=utf-8` and an exact `Content-Length`.
 *
 * @example
 * const notFound: Application = (environ, startResponse) =>
 *   textResponse(startResponse, 404, `no route for ${environ.PATH_INFO}\n`);
 */
export function textResponse(
  startResponse: StartResponse,
  code: number,
  text: string,
  headers?: HeaderList,
): ResponseBody {
  const parts = textResponseParts(code, text, headers);
  startResponse(parts.status, parts.headers);
  return [parts.body];
}
