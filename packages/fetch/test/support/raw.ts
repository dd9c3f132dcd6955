/**
 * A raw exchange on a fresh TCP connection, for requests node:http would not
 * send as written: the bytes go out as given, and everything the server sent
 * comes back once it closed the connection.
 */
import { connect } from 'node:net';
import { BOUNDS, bound } from '../../../../tools/test-support/index.ts';

/** What the server sent, as latin1 text, and whether the connection ended in a reset. */
export interface RawAnswer {
  readonly text: string;
  /** True when the connection ended with an error (a reset) rather than a close. */
  readonly reset: boolean;
}

/**
 * Sends `request` to 127.0.0.1:`port` and resolves once the connection
 * closed, a reset too; rejects when it is still open after a process bound.
 */
export function rawExchange(port: number, request: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let reset = false;
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => {
      text += data;
    });
    socket.on('error', () => {
      reset = true;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, reset });
    });
    const timer = setTimeout(() => {
      reject(new Error(`no close within ${bound(BOUNDS.process)} ms`));
      socket.destroy();
    }, bound(BOUNDS.process));
    socket.write(request, 'latin1');
  });
}
