import type { Duplex } from 'node:stream';

/** What node:http keeps on a connection and does not type: the response being written on it. */
interface HttpConnection {
  _httpMessage?: { writableFinished: boolean; once(event: 'finish', f: () => void): void } | null;
}

/**
 * Calls `then` once every response of the requests before this moment on
 * `socket` has been written, in order: node:http writes pipelined responses
 * one after another, handing the connection to the next response when one
 * finishes, and `_httpMessage` names the one on the wire. With none, `then`
 * runs now; if the connection closes first, never. What `then` writes
 * therefore follows the earlier answers, as a client matching answers to
 * its pipelined requests needs.
 *
 * @example
 * afterResponses(socket, () => socket.end(closingTextResponse(400, 'bad request\n')));
 */
export function afterResponses(socket: Duplex, then: () => void): void {
  const current = (socket as HttpConnection)._httpMessage;
  if (current === undefined || current === null || current.writableFinished) {
    then();
    return;
  }
  // node:http's own 'finish' listener runs first and hands the connection on.
  current.once('finish', () => {
    if (socket.destroyed || !socket.writable) return;
    afterResponses(socket, then);
  });
}
