import { readFileSync } from 'node:fs';
import { connect, type TLSSocket } from 'node:tls';
import { BOUNDS, until } from '../../../../tools/test-support/index.ts';

/** One kept-alive HTTPS/1.1 connection that sends GET requests one at a time. */
export interface KeptConnection {
  /** The subject CN of the certificate this connection was served. */
  readonly cn: string;
  /** Sends `GET path` and resolves with the status line and body of the answer. */
  get(path: string): Promise<{ status: string; body: string; close: boolean }>;
  close(): void;
}

/** Opens a TLS connection to 127.0.0.1:`port` trusting `caFile`, for requests one after another. */
export async function keptConnection(port: number, caFile: string): Promise<KeptConnection> {
  const socket: TLSSocket = connect({
    host: '127.0.0.1',
    port,
    servername: 'localhost',
    ca: readFileSync(caFile),
    ALPNProtocols: ['http/1.1'],
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  let received = '';
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
  });
  const cn = socket.getPeerX509Certificate()?.subject.match(/CN=(.*)/)?.[1] ?? '';
  return {
    cn,
    async get(path) {
      received = '';
      socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      let answer: { status: string; body: string; close: boolean } | undefined;
      await until(
        () => {
          const end = received.indexOf('\r\n\r\n');
          if (end === -1) return false;
          const head = received.slice(0, end);
          const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? '0');
          const body = received.slice(end + 4);
          if (body.length < length) return false;
          answer = {
            status: head.split('\r\n')[0]!,
            body: body.slice(0, length),
            close: /^connection: close/im.test(head),
          };
          return true;
        },
        {
          ms: BOUNDS.process,
          what: `an answer to GET ${path}`,
          details: () =>
            `received ${JSON.stringify(received)}, socket destroyed: ${socket.destroyed}`,
        },
      );
      return answer!;
    },
    close: () => socket.destroy(),
  };
}
