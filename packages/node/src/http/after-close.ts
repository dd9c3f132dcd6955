import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * For the `'clientError'` listener: true when `code` is llhttp's error for
 * bytes after a request that ends the connection (HTTP/1.0 without
 * keep-alive, `Connection: close`). Those bytes are ignored (RFC 9112 §9.6:
 * the server closes after its response): a response in flight is still
 * sent, and Node closes the connection after it; with none in flight the
 * connection is ended now. Answering a 400 instead would cut the first
 * request's response.
 *
 * @example
 * if (ignoredAfterClose(error.code, socket)) return;
 */
export function ignoredAfterClose(code: string, socket: Duplex): boolean {
  if (code !== 'HPE_CLOSED_CONNECTION') return false;
  const inFlight = (socket as { _httpMessage?: object | null })._httpMessage;
  if (inFlight === undefined || inFlight === null) socket.end();
  return true;
}

/**
 * For the request listener: true when `req` was pipelined after a request
 * whose response ends the connection (a refusal, which llhttp did not know
 * about when it parsed on), or arrived once the connection is closing. Such
 * a request is ignored: the app never runs it, and it gets no answer, since
 * the connection closes after the response before it (RFC 9112 §9.6).
 *
 * @example
 * if (followsClosingResponse(req, res)) return;
 */
export function followsClosingResponse(req: IncomingMessage, res: ServerResponse): boolean {
  const socket = req.socket;
  if (!socket.writable) return true;
  const current = (socket as { _httpMessage?: ServerResponse | null })._httpMessage;
  return current != null && current !== res && !current.shouldKeepAlive;
}
