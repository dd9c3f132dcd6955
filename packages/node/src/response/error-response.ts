import { type HeaderList, RequestBodyError, statusText, textResponseParts } from '@tsgi/spec';
import { describeError } from '../log/error-stream.js';
import type { Exchange } from './exchange.js';
import { Phase } from './phase.js';
import { closingHead } from './raw-head.js';
import type { ResponseSink } from './sink.js';

/**
 * Answers an error from the app, its body or the runner's own checks. Before
 * any byte went out the client gets a plain-text 500 (the error's stack in it
 * with `debug`), or the `RequestBodyError`'s own status and message (400, 413);
 * once the headers are out the only honest thing left is to destroy the
 * connection. Errors are reported on `tsgi.errors` (but a `RequestBodyError`,
 * which is the client's doing, and one after the client went away). Ends the
 * exchange.
 */
export function answerError(exchange: Exchange, error: unknown): void {
  const errors = exchange.context.errors;
  if (exchange.phase >= Phase.Finished) {
    if (exchange.phase !== Phase.Gone) {
      errors.write(`tsgi: error after the response ended: ${describeError(error)}`);
    }
    return;
  }
  const environ = exchange.environ;
  const bodyError = error instanceof RequestBodyError;
  if (!bodyError) {
    errors.write(`tsgi: ${environ.REQUEST_METHOD} ${environ.REQUEST_URI}: ${describeError(error)}`);
  }
  const sink = exchange.sink;
  if (exchange.phase === Phase.Started && !sink.destroyed) {
    const code = bodyError ? error.status : 500;
    const text = bodyError
      ? `${error.message}\n`
      : exchange.context.debug
        ? describeError(error)
        : 'Internal Server Error\n';
    exchange.code = code;
    try {
      exchange.beforeHead();
      exchange.sent = sendText(sink, code, text, environ.REQUEST_METHOD !== 'HEAD');
    } catch (writeError) {
      errors.write(`tsgi: could not send the error response: ${describeError(writeError)}`);
      sink.destroy();
    }
  } else {
    sink.destroy();
  }
  exchange.phase = Phase.Ended;
  exchange.complete(Phase.Finished);
}

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
