import { type HeaderList, statusText, textResponseParts } from '@tsgi/spec';
import { closingHead } from './raw-head.js';
import type { ResponseSink } from './sink.js';

/**
 * Sends a whole plain-text response (`textResponseParts`: UTF-8, exact
 * `Content-Length`) through a sink that has sent nothing yet: one `writeHead`,
 * one `end`. `withBody` false sends the headers only (a HEAD request to a sink
 * that does not know it). Returns the body bytes sent.
 *
 * @example
 * sendText(res, 413, 'request body too large\n');
 */
export function sendText(sink: ResponseSink, code: number, text: string, withBody = true): number {
  const parts = textResponseParts(code, text);
  sink.writeHead(code, statusText(code), flatHeaders(parts.headers));
  if (!withBody) {
    sink.end();
    return 0;
  }
  sink.end(parts.body);
  return parts.body.byteLength;
}

/**
 * A whole plain-text HTTP/1.1 response with `Connection: close`, as bytes for
 * a raw socket (a request the HTTP parser refused).
 *
 * @example
 * socket.end(closingTextResponse(400, 'malformed request line\n'));
 */
export function closingTextResponse(code: number, text: string): Buffer {
  const parts = textResponseParts(code, text);
  const head = closingHead(code, statusText(code), flatHeaders(parts.headers));
  return Buffer.concat([Buffer.from(head, 'latin1'), parts.body]);
}

/** `[[name, value], …]` as the flat `[name, value, …]` list sinks take. */
function flatHeaders(headers: HeaderList): string[] {
  const flat: string[] = [];
  for (const [name, value] of headers) flat.push(name, value);
  return flat;
}
