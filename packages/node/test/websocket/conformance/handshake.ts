/**
 * The client side of the RFC 6455 opening handshake over node:net, checked
 * (a 101 with the right Sec-WebSocket-Accept) and bounded.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * Connects to `url` (ws://host:port/path), sends the upgrade request and
 * reads the answer. Resolves with the socket and the bytes that came after
 * the answer's head (the server's first frames); rejects on anything but a
 * valid 101, or after `ms`.
 */
export function handshake(url: string, ms: number): Promise<{ socket: Socket; rest: Buffer }> {
  const target = new URL(url);
  const key = randomBytes(16).toString('base64');
  const accept = createHash('sha1')
    .update(key + GUID)
    .digest('base64');
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.hostname, port: Number(target.port) });
    socket.setNoDelay(true);
    let head = Buffer.alloc(0);
    const timer = setTimeout(() => fail(new Error(`no handshake answer within ${ms} ms`)), ms);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', fail);
      const lines = head.subarray(0, end).toString('latin1').split('\r\n');
      const headers = new Map(
        lines.slice(1).map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
        }),
      );
      if (!/^HTTP\/1\.1 101 /.test(lines[0] ?? ''))
        return fail(new Error(`handshake answered ${JSON.stringify(lines[0])}`));
      if (headers.get('sec-websocket-accept') !== accept)
        return fail(new Error('handshake answered a wrong Sec-WebSocket-Accept'));
      resolve({ socket, rest: head.subarray(end + 4) });
    };
    socket.on('data', onData);
    socket.once('error', fail);
    socket.write(
      `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n` +
        'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}
