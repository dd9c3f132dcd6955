import { connect, type NetConnectOpts, type Socket } from 'node:net';
import { BOUNDS, bound, until as waitUntil } from '../../../tools/test-support/index.ts';

/** A raw client connection that collects what it reads and records how it ended. */
export interface RawConnection {
  readonly socket: Socket;
  /** Resolves once the socket has closed. */
  readonly closed: Promise<void>;
  /**
   * Resolves once `check` holds for what was read; rejects after `BOUNDS.process`
   * (a server process answers) or as soon as the socket is gone, with what was read.
   */
  until(check: (text: string) => boolean, what: string): Promise<void>;
  /** What was read so far, as latin1. */
  data(): string;
  /** The socket's error message (a reset, a broken pipe), if there was one. */
  error(): string | undefined;
}

/** Opens a raw connection (`allowHalfOpen: true` keeps sending after the server's FIN, as Nginx does). */
export function rawConnection(options: NetConnectOpts): RawConnection {
  const socket = connect(options);
  let data = '';
  let error: string | undefined;
  socket.on('data', (chunk: Buffer) => {
    data += chunk.toString('latin1');
  });
  socket.on('error', (e) => {
    error = e.message;
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const seen = () => `${error ?? 'no error'}; read: ${JSON.stringify(data)}`;
  const until = (check: (text: string) => boolean, what: string) =>
    waitUntil(
      () => {
        if (check(data)) return true;
        if (socket.destroyed) throw new Error(`no ${what}: the socket closed (${seen()})`);
        return false;
      },
      { what, ms: BOUNDS.process, details: seen },
    );
  return { socket, closed, until, data: () => data, error: () => error };
}

/**
 * Sends `bytes` to `port` without closing its side (as a stuck peer would)
 * and resolves with what came back once the server closed, or once
 * `complete(received)` holds; `'hung'` if neither happened within
 * `BOUNDS.short`. The fuzz tests of the gateway listeners use it.
 */
export function sendAndWait(
  port: number,
  bytes: Buffer,
  complete: (received: Buffer) => boolean = () => false,
): Promise<Buffer | 'hung'> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const got: Buffer[] = [];
    const done = (value: Buffer | 'hung') => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done('hung'), bound(BOUNDS.short));
    socket.on('error', () => {});
    socket.on('close', () => done(Buffer.concat(got)));
    socket.on('data', (chunk: Buffer) => {
      got.push(chunk);
      const all = Buffer.concat(got);
      if (complete(all)) done(all);
    });
    socket.write(bytes);
  });
}
