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
