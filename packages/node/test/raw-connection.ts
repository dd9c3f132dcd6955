import { connect, type NetConnectOpts, type Socket } from 'node:net';

/** A raw client connection that collects what it reads and records how it ended. */
export interface RawConnection {
  readonly socket: Socket;
  /** Resolves once the socket has closed. */
  readonly closed: Promise<void>;
  /** Resolves once `check` holds for what was read; rejects after 20 s or when the socket is gone. */
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
  const until = async (check: (text: string) => boolean, what: string) => {
    const deadline = Date.now() + 20_000;
    while (!check(data)) {
      if (Date.now() > deadline || socket.destroyed)
        throw new Error(`no ${what} (${error ?? 'no error'}): ${JSON.stringify(data)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { socket, closed, until, data: () => data, error: () => error };
}

/**
 * Sends `bytes` to `port` without closing its side (as a stuck peer would)
 * and resolves with what came back once the server closed, or once
 * `complete(received)` holds; `'hung'` if neither happened in 5 s. The fuzz
 * tests of the gateway listeners use it.
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
    const timer = setTimeout(() => done('hung'), 5000);
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
