import { connect, type Socket } from 'node:net';

/**
 * Opens a connection to 127.0.0.1:`port` that writes `count` pipelined GETs
 * of `path` in one go and never reads an answer (a client flooding a server
 * with requests it will not take the responses of). Destroy it to close.
 */
export async function flood(port: number, count: number, path = '/'): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.pause();
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(`GET ${path} HTTP/1.1\r\nHost: flood\r\n\r\n`.repeat(count));
  return socket;
}
